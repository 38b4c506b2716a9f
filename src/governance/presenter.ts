// Information governance's view models: the access log search (views/governance/access-log.eta)
// and "view as" (views/governance/view-as.eta). Labels, dates, select items and the error
// summary are made here; the templates loop and branch.
import type { AuditedChild, Preview } from '../access/index.ts';
import { accessActionLabels, type AccessLogRow } from '../audit/access-log.ts';
import type { LookupBurst, UnusualActivity, UnusualActivitySettings } from '../audit/unusual-activity.ts';
import { isRole, roles, type Role } from '../auth/roles.ts';
import { presentChildFields, type ChildFieldsView } from '../children/summary.ts';
import { childFields } from '../policy/fields.ts';
import { todayInEngland } from '../validation/dates.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { formatDate, formatDateTime } from '../web/format.ts';
import { searchFields, searchHref, type SearchValues } from './access-log-search.ts';
import type { OrganisationOption, WorkerOption } from './queries.ts';

export interface SelectItem {
  value: string;
  text: string;
  selected: boolean;
}

/** A select's items: the empty first choice, then the options; the chosen one (if any) selected. */
function selectItems(first: string, options: Array<{ value: string; text: string }>, chosen: string): SelectItem[] {
  return [{ value: '', text: first, selected: false }, ...options.map(({ value, text }) => ({ value, text, selected: chosen !== '' && value === chosen }))];
}

const roleTitle = (role: string) => (isRole(role) ? roles[role].title : role);
const organisationItems = (organisations: OrganisationOption[]) => organisations.map((o) => ({ value: o.id, text: o.name }));

// ---- The access log ----

/** A child as the access log names them: their name where the policy releases it, else the record id. */
function childText(id: string, child: AuditedChild | undefined): string {
  const name = child ? [child.forename, child.surname].filter(Boolean).join(' ') : '';
  return name || `Record ${id.slice(0, 8)}… (name not shown)`;
}

/** "Sam Smith, born 1 February 2015, NHS number 485 777 3456", as far as released. */
function childDescription(child: AuditedChild): string {
  const nhs = child.nhsNumber ? `NHS number ${child.nhsNumber.slice(0, 3)} ${child.nhsNumber.slice(3, 6)} ${child.nhsNumber.slice(6)}` : null;
  return [childText(child.id, child), child.dateOfBirth ? `born ${formatDate(child.dateOfBirth)}` : null, nhs].filter(Boolean).join(', ');
}

export interface AccessLogEntryView {
  at: string;
  sealed: boolean;
  /** The person who looked, linking to their entries alone where the portal knows them. */
  userName: string;
  userHref: string | null;
  roleTitle: string;
  organisationName: string | null;
  actionLabel: string;
  /** The child by name (or record id where the name is not released), linking to the log for that child; null where no child. */
  child: { href: string; text: string } | null;
  released: string;
  reason: string;
}

/** Where the search stands on the child it asks about. */
export type ChildOutcome =
  | { kind: 'none' }
  /** Found (or given by record id): the entries are about this child. */
  | { kind: 'chosen'; id: string; child: AuditedChild | undefined }
  /** Several match: the user picks one. */
  | { kind: 'several'; matches: AuditedChild[] }
  | { kind: 'no-match' };

export function presentAccessLog(input: {
  values: SearchValues;
  errors: Record<string, string>;
  childOutcome: ChildOutcome;
  rows: AccessLogRow[];
  /** The children the rows name, as the policy releases them. */
  children: Map<string, AuditedChild>;
  organisations: OrganisationOption[];
  /** The person picked (filters.userId), by the name the log has for them. */
  userName: string | null;
  /** The id of the oldest entry shown, when there may be older ones. */
  older: string | null;
}) {
  const { values, errors, childOutcome, rows, children, organisations, older } = input;
  const path = '/governance/access-log';
  const here = (extra: Partial<SearchValues> = {}, more: Record<string, string> = {}) => searchHref(path, { ...values, ...extra }, more);
  const aboutChild = (id: string) => here({ child: id, 'dob-day': '', 'dob-month': '', 'dob-year': '', pick: '' });
  const searched = childOutcome.kind !== 'several' && childOutcome.kind !== 'no-match' && !Object.keys(errors).length;
  return {
    title: Object.keys(errors).length ? 'Error: Access log' : 'Access log',
    errorList: errorList(errors, searchFields, { dob: 'dob-day', from: 'from-day', to: 'to-day' }),
    errorMessages: errorMessages(errors, searchFields),
    values,
    organisationItems: selectItems('Any', organisationItems(organisations), values.organisation),
    roleItems: selectItems('Any', (Object.keys(roles) as Role[]).map((role) => ({ value: role, text: roles[role].title })), values.role),
    actionItems: selectItems('Anything', Object.entries(accessActionLabels).map(([value, text]) => ({ value, text })), values.action),
    chosenChild: childOutcome.kind === 'chosen'
      ? { text: childOutcome.child ? childDescription(childOutcome.child) : childText(childOutcome.id, undefined), clearHref: here({ child: '', 'dob-day': '', 'dob-month': '', 'dob-year': '', pick: '' }) }
      : null,
    matches: childOutcome.kind === 'several' ? childOutcome.matches.map((m) => ({ text: childDescription(m), href: here({ pick: m.id }) })) : null,
    noMatch: childOutcome.kind === 'no-match',
    chosenPerson: values.user && input.userName !== null ? { text: input.userName, clearHref: here({ user: '' }) } : null,
    searched,
    entries: rows.map((row) => ({
      at: formatDateTime(row.at),
      sealed: row.chained,
      userName: row.userName,
      userHref: row.userId && row.userId !== values.user ? here({ user: row.userId, person: '' }) : null,
      roleTitle: roleTitle(row.role),
      organisationName: row.organisationName,
      actionLabel: accessActionLabels[row.action],
      child: row.childId ? { href: aboutChild(row.childId), text: childText(row.childId, children.get(row.childId)) } : null,
      released: row.fieldsReleased.map((field) => (childFields as Record<string, string>)[field] || field).join(', ') || 'Nothing',
      reason: row.reason || '',
    } satisfies AccessLogEntryView)),
    exportHref: searched && rows.length ? searchHref('/governance/access-log.csv', values) : null,
    olderHref: older ? here({}, { before: older }) : null,
  };
}
export type AccessLogView = ReturnType<typeof presentAccessLog>;

// ---- View as ----

export interface ViewAsValues {
  role: string;
  organisation: string;
  worker: string;
  child: string;
  reason: string;
}

const viewAsFields = ['role', 'organisation', 'worker', 'child', 'reason'] as const;

export interface PreviewView {
  heading: string;
  /** What the role would see, or null where it would not see the child at all. */
  child: ChildFieldsView | null;
  seesText: string;
  /** Why the child is not shown, with the rule's source where there is one. */
  withheld: { reason: string; source: string | null };
  decisions: Array<{ field: string; label: string; shown: string; source: string; reason: string }>;
}

export interface ViewAsView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessages: Record<(typeof viewAsFields)[number], ErrorMessage>;
  child: string;
  reason: string;
  roleItems: SelectItem[];
  organisationItems: SelectItem[];
  workerItems: SelectItem[];
  preview: PreviewView | null;
}

export function presentViewAs(input: {
  values: ViewAsValues;
  errors: Record<string, string>;
  organisations: OrganisationOption[];
  workers: WorkerOption[];
  /** The preview, with the role and organisation it is for. */
  preview?: { preview: Preview; role: Role; organisationName: string };
}): ViewAsView {
  const { values, errors, organisations, workers } = input;
  const shown = input.preview;
  return {
    title: Object.keys(errors).length ? 'Error: View as' : 'View as',
    errorList: errorList(errors, viewAsFields),
    errorMessages: errorMessages(errors, viewAsFields),
    child: values.child,
    reason: values.reason,
    roleItems: selectItems('Choose a role', (Object.keys(roles) as Role[]).map((role) => ({ value: role, text: roles[role].title })), values.role),
    organisationItems: selectItems('Choose an organisation', organisationItems(organisations), values.organisation),
    workerItems: selectItems('None', workers.map((w) => ({ value: w.id, text: `${w.name}, ${w.team}` })), values.worker),
    preview: shown
      ? {
          heading: `As ${roles[shown.role].title}, ${shown.organisationName}`,
          child: shown.preview.child && presentChildFields(shown.preview.child),
          seesText: shown.preview.action === 'lookup' ? 'see this after an exact-match lookup' : 'see this summary',
          withheld: { reason: shown.preview.recordDecision.reason, source: shown.preview.recordDecision.source },
          decisions: shown.preview.decisions.map((d) => ({
            field: d.field, label: d.label, source: d.source || 'None', reason: d.reason,
            shown: !d.shown ? 'Withheld' : shown.preview.freeText.includes(d.field) ? 'Shown to the role (free text: not shown here)' : 'Shown',
          })),
        }
      : null,
  };
}

/** One hour of many (or refused) lookups by one person, as a table row shows it. */
export function presentBurst(b: LookupBurst) {
  return {
    who: b.userName,
    organisation: b.organisationName ?? '',
    role: isRole(b.role) ? roles[b.role].title : b.role,
    hour: formatDateTime(b.hour),
    lookups: b.lookups,
    refused: b.refused,
  };
}

/** Who, as a row of unusual activity shows them. */
const whoView = (w: { userName: string; organisationName: string | null; role: string }) => ({
  who: w.userName,
  organisation: w.organisationName ?? '',
  role: roleTitle(w.role),
});

/** The access log's entries behind a flag: that person, that kind of entry, those days. */
function entriesHref(userId: string | null, action: string, from: Date, to: Date): string | null {
  if (!userId) return null;
  return searchHref('/governance/access-log', { user: userId, action }, { from: todayInEngland(from), to: todayInEngland(to) });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Everything unusual, kind by kind, as the unusual-activity page's tables show it. */
export function presentUnusualActivityKinds(activity: UnusualActivity, settings: UnusualActivitySettings) {
  return {
    summaries: activity.summaries.map((b) => ({
      ...whoView(b), from: formatDateTime(b.from), to: formatDateTime(b.to), peak: b.peak, at: b.to,
      what: `${plural(b.peak, 'summary', 'summaries')} within ${plural(settings.windowMinutes, 'minute')}`,
      href: entriesHref(b.userId, 'view_summary', b.from, b.to),
    })),
    outOfHours: activity.outOfHours.map((o) => ({
      ...whoView(o), day: formatDate(o.day)!, lookups: o.lookups, first: formatDateTime(o.first), last: formatDateTime(o.last), at: o.last,
      what: `${plural(o.lookups, 'lookup')} outside working hours`,
      href: entriesHref(o.userId, 'lookup', o.first, o.last),
    })),
    noMatch: activity.noMatch.map((b) => ({
      ...whoView(b), from: formatDateTime(b.from), to: formatDateTime(b.to), peak: b.peak, at: b.to,
      what: `${plural(b.peak, 'lookup')} that found no child within ${plural(settings.noMatchWindowMinutes, 'minute')}`,
      href: entriesHref(b.userId, 'lookup', b.from, b.to),
    })),
    lookups: activity.lookups.map((b) => ({
      ...presentBurst(b), at: b.hour,
      what: `${plural(b.lookups, 'lookup')} in an hour${b.refused ? `, ${b.refused} refused by the limit` : ''}`,
    })),
  };
}

/** The thresholds, in words, as the page states them. */
function thresholdsView(settings: UnusualActivitySettings, lookupThreshold: number, limit: number) {
  const { start, end } = settings.workingHours;
  return {
    summaries: `${settings.summariesPerWindow} or more summaries opened by one person within ${plural(settings.windowMinutes, 'minute')}.`,
    outOfHours: `Lookups before ${start} or from ${end} (England’s time), at a weekend or on a bank holiday.`,
    noMatch: `${settings.noMatchLookups} or more lookups by one person that found no child, within ${plural(settings.noMatchWindowMinutes, 'minute')}.`,
    lookups: `Hours in which one person looked up ${lookupThreshold} or more children, or had lookups refused because they reached the limit of ${limit} an hour.`,
  };
}

/** The unusual-activity page: each kind of flag as its table shows it, with its threshold. */
export function presentUnusualActivity(activity: UnusualActivity, settings: UnusualActivitySettings & { lookupThreshold: number; limit: number; days: number }) {
  const kinds = presentUnusualActivityKinds(activity, settings);
  return {
    title: 'Unusual activity',
    days: settings.days,
    threshold: settings.lookupThreshold,
    limit: settings.limit,
    thresholds: thresholdsView(settings, settings.lookupThreshold, settings.limit),
    ...kinds,
    bursts: kinds.lookups,
  };
}
