-- A partner's concern in a child's chronology points at the concern itself, so that those who
-- may read the chronology (the child's social worker, their team manager, the front door) can
-- read what the partner wrote, not only that a concern was raised.
alter table chronology_events add column concern_id uuid references concerns (id);

update chronology_events e set concern_id = c.id
from concerns c
where e.event_type in ('Partner concern', 'Front door decision') and strpos(e.summary, c.reference) > 0;

create index chronology_concern on chronology_events (concern_id) where concern_id is not null;
