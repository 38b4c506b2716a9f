-- Issue 15: the navigation's counts (src/access/concern-records.ts countConcerns) on every page.
-- A partner's filter is its organisation, so its open concerns are found by organisation alone,
-- however many it has sent over the years.
create index concerns_open_by_organisation on concerns (organisation_id, decision_due_at)
  include (immediate_risk) where status = 'received';
