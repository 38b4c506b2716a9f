// The chronology and "Viewed by" as people read them (issue 11, point 6), as presenters: plain
// labels for every code the seed and the portal write, a partner concern's live status, the
// agency filter and the paging of "Viewed by". Through the app: test/chronology-summary.test.ts.
import { describe, expect, it } from 'vitest';
import type { ChronologyEntry, ReleasedChild } from '../src/access/index.ts';
import type { ChildView } from '../src/audit/access-log.ts';
import { agencyLabels, eventTypeLabels, genderLabels, humanise, labelFor } from '../src/children/labels.ts';
import { CHRONOLOGY_PAGE_SIZE, presentChildFields, VIEWED_BY_PAGE_SIZE } from '../src/children/summary.ts';
import { CHRONOLOGY_SUMMARIES } from '../src/seed/names.ts';

const CHILD_ID = '00000000-0000-4000-8000-000000000001';
const child = (fields: ReleasedChild['fields'], values: Partial<ReleasedChild> = {}): ReleasedChild => ({ id: CHILD_ID, fields, ...values });
const entry = (eventType: string, sourceAgency: string, summary = 'Something happened.'): ChronologyEntry =>
  ({ occurredOn: '2026-11-20', eventType, sourceAgency, summary, concern: null });

describe('labels', () => {
  it('has a label for every event type the seed and the portal write, every agency and every gender', () => {
    for (const type of [...Object.keys(CHRONOLOGY_SUMMARIES), 'Partner concern', 'Partner follow-up', 'Front door decision']) {
      expect(Object.hasOwn(eventTypeLabels, type), type).toBe(true);
    }
    for (const agency of ['council', 'education', 'health', 'police']) expect(Object.hasOwn(agencyLabels, agency), agency).toBe(true);
    for (const gender of ['male', 'female', 'other', 'not_known']) expect(Object.hasOwn(genderLabels, gender), gender).toBe(true);
  });

  it('humanises a code it does not know, and never throws', () => {
    expect(humanise('school_nurse_visit')).toBe('School nurse visit');
    expect(labelFor(eventTypeLabels, 'FAMILY-GROUP_conference')).toBe('Family group conference');
    expect(labelFor(eventTypeLabels, 'Contact')).toBe('Contact');
    expect(labelFor(eventTypeLabels, 'toString')).toBe('Tostring');
    expect(labelFor(agencyLabels, '___')).toBe('___');
    expect(labelFor(agencyLabels, null)).toBe('');
  });

  it('shows gender in words', () => {
    expect(presentChildFields(child(['gender'], { gender: 'not_known' } as never)).rows).toEqual([{ field: 'gender', label: expect.any(String), value: 'Not known' }]);
  });
});

describe('a partner concern in the chronology', () => {
  const concern = (status: 'received' | 'decided') => ({
    reference: 'SPP-2026-000001', submittedByName: 'Sarah Collins', referrerPhone: '01632 960 001', whatHappened: 'No coat', childWords: null,
    immediateRisk: false, actionsTaken: null, parentsAware: true, parentsNotAwareReason: null,
    status, decision: status === 'decided' ? 'strategy_discussion' as const : null, decidedOn: status === 'decided' ? '2026-11-24' : null,
  });
  const summary = 'Neglect concern raised by Riverside (SPP-2026-000001). Awaiting front-door decision.';

  it('says it is waiting while it is', () => {
    const [shown] = presentChildFields(child(['chronology'], { chronology: [{ ...entry('Partner concern', 'education', summary), concern: concern('received') }] })).chronology!;
    expect(shown).toMatchObject({ eventType: 'Concern raised by a partner', sourceAgency: 'Education', status: 'Waiting for the front door’s decision' });
    expect(shown!.summary).toBe('Neglect concern raised by Riverside (SPP-2026-000001).');
  });

  it('gives the decision once decided, and no longer says it is awaited', () => {
    const [shown] = presentChildFields(child(['chronology'], { chronology: [{ ...entry('Partner concern', 'education', summary), concern: concern('decided') }] })).chronology!;
    expect(shown!.status).toBe('Decided: Strategy discussion on 24 November 2026');
    expect(JSON.stringify(shown)).not.toContain('Awaiting');
  });

  it('labels a follow-up, with no status of its own', () => {
    const [shown] = presentChildFields(child(['chronology'], { chronology: [entry('Partner follow-up', 'health', 'Further information from X on SPP-2026-000001: more.')] })).chronology!;
    expect(shown).toMatchObject({ eventType: 'Further information from a partner', sourceAgency: 'Health', status: null });
  });
});

describe('the summary page’s options', () => {
  const chronology = [entry('home_visit', 'council'), entry('school_report', 'education'), entry('health_report', 'health'), entry('police_notification', 'police')];
  const options = { agency: null, chronologyPage: 1, viewedPage: 1, viewsAll: false };

  it('links to each agency’s entries and to all, marking the one shown', () => {
    const all = presentChildFields(child(['chronology'], { chronology }), options);
    expect(all.chronology).toHaveLength(4);
    expect(all.chronologyFilter!.map((l) => [l.text, l.current])).toEqual([
      ['All agencies', true], ['Council (children’s social care)', false], ['Education', false], ['Health', false], ['Police', false]]);
    expect(all.chronologyFilter![3]!.href).toBe(`/children/${CHILD_ID}?agency=health#chronology`);
    // The query filters (src/access/chronology.ts); the presenter shows the page it made.
    const health = presentChildFields(child(['chronology'], { chronology: [chronology[2]!] }), { ...options, agency: 'health', chronologyPage: 2 });
    expect(health.chronology!.map((e) => e.eventType)).toEqual(['Report from health']);
    expect(health.chronologyFilter!.find((l) => l.current)!.text).toBe('Health');
    // Another agency starts again at the first page.
    expect(health.chronologyFilter![0]!.href).toBe(`/children/${CHILD_ID}#chronology`);
    expect(health.chronologyFilter![4]!.href).toBe(`/children/${CHILD_ID}?agency=police#chronology`);
    expect(presentChildFields(child(['chronology'], { chronology: [] }), { ...options, agency: 'health' }).chronologyEmpty).toBe('No entries from Health.');
  });

  it('pages the chronology from one more entry than a page', () => {
    const many = Array.from({ length: CHRONOLOGY_PAGE_SIZE + 1 }, () => entry('home_visit', 'council'));
    const first = presentChildFields(child(['chronology'], { chronology: many }), options);
    expect(first.chronology).toHaveLength(CHRONOLOGY_PAGE_SIZE);
    expect(first.chronologyPagination).toMatchObject({ previous: null, next: { href: `/children/${CHILD_ID}?chronology=2#chronology` } });
    const second = presentChildFields(child(['chronology'], { chronology: many.slice(0, 3) }), { ...options, agency: 'council', chronologyPage: 2, viewedPage: 3 });
    expect(second.chronology).toHaveLength(3);
    expect(second.chronologyPagination).toMatchObject({ previous: { href: `/children/${CHILD_ID}?agency=council&viewed=3#chronology` }, next: null });
    expect(presentChildFields(child(['chronology'], { chronology: [] }), { ...options, chronologyPage: 5 }).chronologyEmpty).toBe('There are no more entries.');
    expect(presentChildFields(child(['chronology'], { chronology: many.slice(0, 2) }), options).chronologyPagination).toBeNull();
  });

  it('has no filter or paging where the fields are not released, or off the summary page', () => {
    expect(presentChildFields(child(['forename'], { forename: 'A' }), options)).toMatchObject({ chronologyFilter: null, viewedByPanel: null });
    expect(presentChildFields(child(['chronology', 'viewedBy'], { chronology, viewedBy: [] }))).toMatchObject({ chronologyFilter: null, viewedByPanel: null });
  });

  it('pages "Viewed by" from one more row than a page', () => {
    const views: ChildView[] = Array.from({ length: VIEWED_BY_PAGE_SIZE + 1 }, (_, i) => ({
      organisationName: 'Riverside', role: 'education.dsl', userName: `Viewer ${i}`, action: 'view_summary', reason: null, at: new Date('2026-11-23T09:05:00Z'),
    }));
    const first = presentChildFields(child(['viewedBy'], { viewedBy: views }), options);
    expect(first.viewedBy).toHaveLength(VIEWED_BY_PAGE_SIZE);
    expect(first.viewedByPanel!.pagination).toMatchObject({ previous: null, next: { href: `/children/${CHILD_ID}?viewed=2#viewed-by` } });
    expect(first.viewedByPanel!.switchLink.href).toBe(`/children/${CHILD_ID}?views=all#viewed-by`);
    const second = presentChildFields(child(['viewedBy'], { viewedBy: views.slice(0, 3) }), { ...options, viewedPage: 2, viewsAll: true, agency: 'police' });
    expect(second.viewedBy).toHaveLength(3);
    expect(second.viewedByPanel!.pagination).toMatchObject({ previous: { href: `/children/${CHILD_ID}?agency=police&views=all#viewed-by` }, next: null });
    expect(second.viewedByPanel!.switchLink.href).toBe(`/children/${CHILD_ID}?agency=police#viewed-by`);
    expect(presentChildFields(child(['viewedBy'], { viewedBy: views.slice(0, 2) }), options).viewedByPanel!.pagination).toBeNull();
  });
});
