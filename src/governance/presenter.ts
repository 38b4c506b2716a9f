// Information governance's view models: the access log search (views/governance/access-log.eta)
// and "view as" (views/governance/view-as.eta). Labels, dates, select items and the error
// summary are made here; the templates loop and branch.
import type { Preview } from '../access/index.ts';
import { accessActionLabels, type AccessLogRow } from '../audit/access-log.ts';
import type { LookupBurst } from '../audit/unusual-activity.ts';
import { isRole, roles, type Role } from '../auth/roles.ts';
import { presentChildFields, type ChildFieldsView } from '../children/summary.ts';
import { childFields } from '../policy/fields.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { formatDateTime } from '../web/format.ts';
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

export interface AccessLogValues {
  child: string;
  organisation: string;
  from: string;
  to: string;
  action: string;
  before: string;
}

const accessLogFields = ['child', 'organisation', 'from', 'to', 'action'] as const;

export interface AccessLogEntryView {
  at: string;
  sealed: boolean;
  userName: string;
  roleTitle: string;
  organisationName: string | null;
  actionLabel: string;
  /** The child's record id, shortened, linking to the log for that child; null where no child. */
  child: { href: string; text: string } | null;
  released: string;
  reason: string;
}

export interface AccessLogView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessages: Record<(typeof accessLogFields)[number], ErrorMessage>;
  values: { child: string; from: string; to: string };
  organisationItems: SelectItem[];
  actionItems: SelectItem[];
  entries: AccessLogEntryView[];
  olderHref: string | null;
}

export function presentAccessLog(input: {
  values: AccessLogValues;
  errors: Record<string, string>;
  rows: AccessLogRow[];
  organisations: OrganisationOption[];
  /** The id of the oldest entry shown, when there may be older ones. */
  older: string | null;
}): AccessLogView {
  const { values, errors, rows, organisations, older } = input;
  const query = (name: keyof AccessLogValues) => `${name}=${encodeURIComponent(values[name])}`;
  return {
    title: Object.keys(errors).length ? 'Error: Access log' : 'Access log',
    errorList: errorList(errors, accessLogFields),
    errorMessages: errorMessages(errors, accessLogFields),
    values: { child: values.child, from: values.from, to: values.to },
    organisationItems: selectItems('Any', organisationItems(organisations), values.organisation),
    actionItems: selectItems('Anything', Object.entries(accessActionLabels).map(([value, text]) => ({ value, text })), values.action),
    entries: rows.map((row) => ({
      at: formatDateTime(row.at),
      sealed: row.chained,
      userName: row.userName,
      roleTitle: roleTitle(row.role),
      organisationName: row.organisationName,
      actionLabel: accessActionLabels[row.action],
      child: row.childId ? { href: `/governance/access-log?child=${row.childId}`, text: `${row.childId.slice(0, 8)}…` } : null,
      released: row.fieldsReleased.map((field) => (childFields as Record<string, string>)[field] || field).join(', ') || 'Nothing',
      reason: row.reason || '',
    })),
    olderHref: older
      ? `/governance/access-log?${[query('child'), query('organisation'), query('from'), query('to'), query('action')].join('&')}&before=${older}`
      : null,
  };
}

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

/** The unusual-activity page: each burst of lookups as the table shows it. */
export function presentUnusualActivity(bursts: LookupBurst[], threshold: number, limit: number) {
  return { title: 'Unusual activity', threshold, limit, bursts: bursts.map(presentBurst) };
}
