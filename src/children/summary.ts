// Turns a released record (src/access/) into what a view shows: the released fields as display
// values. The access module has already dropped everything else.
import type { ChronologyEntry, ReleasedChild } from '../access/index.ts';
import { accessActionLabels } from '../audit/access-log.ts';
import { agencies, isRole, roles, type Agency } from '../auth/roles.ts';
import { decisionLabels } from '../concerns/decisions.ts';
import { childFields, type ChildField } from '../policy/fields.ts';
import { formatDate, formatDateTime } from '../web/format.ts';
import { phoneLink, type PhoneLink } from '../web/phone.ts';
import type { NumberedPagination } from '../web/numbered-pagination.ts';
import { agencyLabels, childStatusLabels, cpCategoryInWords, eventTypeLabels, genderLabels, labelFor, startDateLabels } from './labels.ts';

/** The one set of status words (./labels.ts), under the name this module has always exported. */
export const legalStatusLabels = childStatusLabels;

const relationshipLabels: Record<string, string> = { enrolled: 'On roll at', registered: 'Registered with', caseload: 'On the caseload of' };

export type ChildSummary = { id: string } & Partial<Record<ChildField, unknown>>;

/** A partner's concern in the chronology, as the "Read the concern" details show it. */
export interface ChronologyConcernView {
  whatHappened: string;
  childWords: string | null;
  immediateRisk: string;
  actionsTaken: string | null;
  parentsKnow: string;
  raisedBy: string;
}

export interface ChronologyView {
  occurredOn: string | null;
  eventType: string;
  sourceAgency: string;
  summary: string;
  /** On a partner's concern: where it is now ("Decided: …" or still waiting). */
  status: string | null;
  concern: ChronologyConcernView | null;
}

export interface ViewedByView {
  at: string | null;
  organisationName: string | null;
  roleTitle: string;
  userName: string;
  /** The reason given, or what was done where none was. */
  reason: string;
  /** A lookup's incident or attendance number, as the partner typed it; absent where none was given. */
  incidentReference?: string;
}

/**
 * A sentence partner concerns' summaries were written with before the chronology showed the
 * concern's live status (true only until the front door decided): left out of older entries.
 */
const AWAITING = /\s*Awaiting front-door decision\.?/g;

/** Where a partner's concern is now, from the concern itself rather than the summary written when it was raised. */
function concernStatus(concern: NonNullable<ChronologyEntry['concern']>): string {
  if (concern.status === 'decided' && concern.decision) {
    const on = formatDate(concern.decidedOn);
    return `Decided: ${labelFor(decisionLabels, concern.decision)}${on ? ` on ${on}` : ''}`;
  }
  return 'Waiting for the front door’s decision';
}

function chronologyEntry(entry: ChronologyEntry): ChronologyView {
  const concern = entry.concern;
  return {
    occurredOn: formatDate(entry.occurredOn),
    eventType: labelFor(eventTypeLabels, entry.eventType),
    sourceAgency: labelFor(agencyLabels, entry.sourceAgency),
    summary: concern ? entry.summary.replace(AWAITING, '').trim() : entry.summary,
    status: concern ? concernStatus(concern) : null,
    concern: concern && {
      whatHappened: concern.whatHappened,
      childWords: concern.childWords,
      immediateRisk: concern.immediateRisk ? 'Yes' : 'No',
      actionsTaken: concern.actionsTaken,
      parentsKnow: concern.parentsAware ? 'Yes' : `No: ${concern.parentsNotAwareReason}`,
      raisedBy: `${concern.submittedByName}, ${concern.referrerPhone}`,
    },
  };
}

function value(record: ReleasedChild, field: ChildField): unknown {
  const order: Array<keyof typeof legalStatusLabels> = ['child_protection', 'looked_after', 'child_in_need'];
  const open = order.filter((kind) => (record.openKinds ?? []).includes(kind));
  switch (field) {
    case 'legalStatus':
      return open.length ? open.map((kind) => legalStatusLabels[kind]).join(' and ') : 'No open involvement';
    case 'cpCategory':
      return cpCategoryInWords(record.cpCategory);
    case 'cpisStatus': {
      const cpis = open.filter((kind) => kind !== 'child_in_need');
      return cpis.length ? cpis.map((kind) => legalStatusLabels[kind]).join(' and ') : 'No child protection plan or looked-after status';
    }
    case 'cpisStartDate':
      return formatDate([record.cpStartDate, record.lookedAfterStartDate].filter(Boolean).sort()[0]);
    case 'gender':
      return record.gender === null || record.gender === undefined ? record.gender : labelFor(genderLabels, String(record.gender));
    case 'dateOfBirth':
    case 'involvementStartDate':
    case 'nextReviewDate':
      return formatDate(record[field]);
    case 'relationships':
      return (record.currentRelationships ?? []).map((r) => `${relationshipLabels[r.kind] ?? r.kind} ${r.organisationName} since ${formatDate(r.startDate)}`);
    case 'chronology':
      return (record.chronology ?? []).map(chronologyEntry);
    case 'viewedBy':
      return (record.viewedBy ?? []).map((v): ViewedByView => ({
        at: formatDateTime(v.at),
        organisationName: v.organisationName,
        roleTitle: isRole(v.role) ? roles[v.role].title : v.role,
        userName: v.userName,
        reason: v.reason || accessActionLabels[v.action],
        ...(v.incidentReference ? { incidentReference: v.incidentReference } : {}),
      }));
    default:
      return record[field];
  }
}

export function presentChild(record: ReleasedChild): ChildSummary {
  const summary: ChildSummary = { id: record.id };
  for (const field of record.fields) summary[field] = value(record, field);
  return summary;
}

/** The summary rows views/partials/child-fields.eta shows, in this order, where released. */
const summaryOrder: ChildField[] = ['forename', 'surname', 'dateOfBirth', 'gender', 'nhsNumber', 'upn', 'address', 'postcode', 'legalStatus',
  'cpCategory', 'involvementStartDate', 'nextReviewDate', 'cpisStatus', 'cpisStartDate', 'workerName', 'teamName', 'workerPhone', 'teamPhone',
  'councilName', 'dutyPhone', 'outOfHoursPhone'];

/** How many looks "Viewed by" shows a page. */
export const VIEWED_BY_PAGE_SIZE = 20;

/** How many chronology entries the summary shows a page. */
export const CHRONOLOGY_PAGE_SIZE = 20;

/** What the summary page's query asked for (src/children/routes.ts reads it; bad values are already defaults). */
export interface SummaryOptions {
  /** Only the chronology entries from this agency; null for every agency. */
  agency: Agency | null;
  /** The page of the chronology, from 1. */
  chronologyPage: number;
  /** The page of "Viewed by", from 1. */
  viewedPage: number;
  /** "Viewed by" with the council's own looks (its staff, governance previews) as well as the partners'. */
  viewsAll: boolean;
}

export const defaultSummaryOptions: SummaryOptions = { agency: null, chronologyPage: 1, viewedPage: 1, viewsAll: false };

/** The query string that gives these options, with `#fragment`; defaults are left out. */
function summaryHref(id: string, options: SummaryOptions, fragment: string): string {
  const query = new URLSearchParams();
  if (options.agency) query.set('agency', options.agency);
  if (options.chronologyPage > 1) query.set('chronology', String(options.chronologyPage));
  if (options.viewsAll) query.set('views', 'all');
  if (options.viewedPage > 1) query.set('viewed', String(options.viewedPage));
  const text = query.toString();
  return `/children/${id}${text ? `?${text}` : ''}#${fragment}`;
}

export interface FilterLink {
  text: string;
  href: string;
  current: boolean;
}

/** "Viewed by": one page of looks, which looks they are, and the link to the others. */
export interface ViewedByPanel {
  rows: ViewedByView[];
  /** Says whose looks these are. */
  scope: string;
  /** The link to the other set (everyone, or partners only). */
  switchLink: { text: string; href: string };
  empty: string;
  pagination: NumberedPagination | null;
}

/** What views/partials/child-fields.eta shows: only the released fields, each with its label. */
export interface ChildFieldsView {
  rows: Array<{ field: ChildField; label: string; value: string }>;
  relationships: { label: string; items: string[] } | null;
  chronology: ChronologyView[] | null;
  /** Links that filter the chronology by agency (the summary page only). */
  chronologyFilter: FilterLink[] | null;
  /** The filter's agency in words, where one is chosen. */
  chronologyAgency: string | null;
  /** Links to newer and older entries (the summary page only, where there are more than a page). */
  chronologyPagination: NumberedPagination | null;
  /** What to say where this page has no entries. */
  chronologyEmpty: string;
  viewedBy: ViewedByView[] | null;
  /** "Viewed by" paged, with partners' and everyone's looks apart (the summary page only). */
  viewedByPanel: ViewedByPanel | null;
}

const shownText = (value: unknown) => (value === null || value === undefined || value === '' ? 'Not recorded' : String(value));

/** Previous and next links for a page of `size` rows, fetched with one row more than a page to tell whether there is a next. */
function pagination(landmarkLabel: string, page: number, fetched: number, size: number, href: (page: number) => string): NumberedPagination | null {
  const hasNext = fetched > size;
  return page > 1 || hasNext
    ? {
      landmarkLabel,
      previous: page > 1 ? { href: href(page - 1) } : null,
      next: hasNext ? { href: href(page + 1) } : null,
      items: [{ number: String(page), href: href(page), current: true, visuallyHiddenText: `Page ${page}` }],
    }
    : null;
}

function viewedByPanel(id: string, all: ViewedByView[], options: SummaryOptions): ViewedByPanel {
  const page = options.viewedPage;
  const href = (viewedPage: number) => summaryHref(id, { ...options, viewedPage }, 'viewed-by');
  return {
    rows: all.slice(0, VIEWED_BY_PAGE_SIZE),
    scope: options.viewsAll
      ? 'Everyone who has viewed this record, including the council’s own staff and information governance previews, newest first.'
      : 'People outside the council who have viewed this record, newest first.',
    switchLink: options.viewsAll
      ? { text: 'Show views from outside the council only', href: summaryHref(id, { ...options, viewsAll: false, viewedPage: 1 }, 'viewed-by') }
      : { text: 'Include the council’s own views', href: summaryHref(id, { ...options, viewsAll: true, viewedPage: 1 }, 'viewed-by') },
    empty: page > 1
      ? 'There are no more views.'
      : options.viewsAll ? 'Nobody has viewed this record.' : 'Nobody outside the council has viewed this record.',
    pagination: pagination('Pages of who viewed this record', page, all.length, VIEWED_BY_PAGE_SIZE, href),
  };
}

/**
 * The released fields as views/partials/child-fields.eta shows them. With `options` (the
 * summary page), the chronology came as the page the options ask for (filtered by agency, one
 * entry more than a page) and both it and "Viewed by" are paged; without (a lookup's result, a
 * governance preview), everything released is shown as it came.
 */
export function presentChildFields(record: ReleasedChild, options?: SummaryOptions): ChildFieldsView {
  const agency = options?.agency ?? null;
  const agencyText = agency ? labelFor(agencyLabels, agency) : null;
  const summary = presentChild(record);
  const released = (field: ChildField) => field in summary;
  const chronology = released('chronology') ? (summary.chronology as ChronologyView[]) : null;
  const viewedBy = released('viewedBy') ? (summary.viewedBy as ViewedByView[]) : null;
  return {
    rows: summaryOrder.filter(released).map((field) => ({ field, label: startDateLabels[field] ?? childFields[field], value: shownText(summary[field]) })),
    relationships: released('relationships') ? { label: childFields.relationships, items: summary.relationships as string[] } : null,
    chronology: chronology && options ? chronology.slice(0, CHRONOLOGY_PAGE_SIZE) : chronology,
    chronologyFilter: chronology && options
      ? [null, ...agencies].map((value) => ({
        text: value ? labelFor(agencyLabels, value) : 'All agencies',
        href: summaryHref(record.id, { ...options, agency: value, chronologyPage: 1 }, 'chronology'),
        current: value === agency,
      }))
      : null,
    chronologyAgency: agencyText,
    chronologyPagination: chronology && options
      ? pagination('Pages of the chronology', options.chronologyPage, chronology.length, CHRONOLOGY_PAGE_SIZE,
        (chronologyPage) => summaryHref(record.id, { ...options, chronologyPage }, 'chronology'))
      : null,
    chronologyEmpty: options && options.chronologyPage > 1
      ? 'There are no more entries.'
      : agencyText ? `No entries from ${agencyText}.` : 'No entries.',
    viewedBy: viewedBy && options ? viewedBy.slice(0, VIEWED_BY_PAGE_SIZE) : viewedBy,
    viewedByPanel: viewedBy && options ? viewedByPanel(record.id, viewedBy, options) : null,
  };
}

/** A child's name where released, for a heading or a link. */
export function childName(summary: ChildSummary): string {
  return [summary.forename, summary.surname].filter(Boolean).join(' ');
}

/** One line of the contact card: who, and their number where released and recorded. */
export interface ContactCardRow {
  /** A data-contact marker for tests: the field the name (or, for a number alone, the number) comes from. */
  key: 'worker' | 'team' | 'dutyPhone' | 'outOfHoursPhone';
  label: string;
  /** The name, where the row has one: released and recorded, else "Not recorded"; null for a number alone. */
  name: string | null;
  phone: PhoneLink | null;
}

/** The contact card at the top of a summary (views/partials/contact-card.eta). */
export interface ContactCardView {
  rows: ContactCardRow[];
}

const text = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));

/**
 * Who to call about this child, from the released fields only: a row appears where the policy
 * releases its name or its number, and within a row only what is released shows. Null where the
 * role may see none of them.
 */
export function presentContactCard(summary: ChildSummary): ContactCardView | null {
  const has = (field: ChildField) => field in summary;
  const phone = (field: ChildField) => (has(field) ? phoneLink(text(summary[field])) : null);
  const named = (field: ChildField) => (has(field) ? text(summary[field]) ?? 'Not recorded' : null);
  const rows: ContactCardRow[] = [];
  if (has('workerName') || has('workerPhone')) rows.push({ key: 'worker', label: childFields.workerName, name: named('workerName'), phone: phone('workerPhone') });
  if (has('teamName') || has('teamPhone')) rows.push({ key: 'team', label: childFields.teamName, name: named('teamName'), phone: phone('teamPhone') });
  const council = has('councilName') ? text(summary.councilName) : null;
  if (has('dutyPhone')) rows.push({ key: 'dutyPhone', label: council ? `${council} duty (front door)` : 'Council duty (front door)', name: null, phone: phone('dutyPhone') });
  if (has('outOfHoursPhone')) rows.push({ key: 'outOfHoursPhone', label: 'Out of hours', name: null, phone: phone('outOfHoursPhone') });
  return rows.length ? { rows } : null;
}

/** The child's summary page (views/children/summary.eta). */
export function presentChildSummary(record: ReleasedChild, canRaiseConcern: boolean, options: SummaryOptions = defaultSummaryOptions) {
  const summary = presentChild(record);
  return {
    title: 'Child summary',
    heading: 'forename' in summary || 'surname' in summary ? childName(summary) : 'Child summary',
    raiseConcernHref: canRaiseConcern ? `/concerns/new?child=${record.id}` : null,
    contactCard: presentContactCard(summary),
    child: presentChildFields(record, options),
  };
}
