// The case-file audit's view models: only shapes what the access module released (a concern's
// permitted parts, an audit the person may read, actions they may see). Templates loop and branch.
import type { ActionRow, AuditAnswers, AuditRow, ReleasedConcern, SampleRow, VersionRow } from '../access/index.ts';
import { kindsInWords } from '../concerns/categories.ts';
import { decisionLabels, decisions } from '../concerns/decisions.ts';
import { errorList, type ErrorSummaryItem } from '../web/error-list.ts';
import { formatDate, formatDateTime } from '../web/format.ts';
import { auditAreaNames, auditAreas, auditGradeNames, auditGrades, gradeTagClasses, sampleAgencies, isAuditGrade, type AuditArea } from './areas.ts';
import { auditFieldOrder, emptyAction, MAX_ACTIONS, sampleFieldOrder, sampleMonths, type AuditErrors, type SampleField, type SampleInput } from './form.ts';

type Row = { key: { text: string }; value: { text: string; classes?: string } } | null;
const row = (key: string, value: string | null | undefined, classes?: string): Row => (value ? { key: { text: key }, value: { text: value, classes } } : null);
const msg = (errors: Partial<Record<string, string>>, field: string) => (errors[field] ? { text: errors[field]! } : false);

export const sampleHref = (id: string) => `/case-audits/samples/${id}`;
export const auditFormHref = (sampleId: string, concernId: string) => `/case-audits/samples/${sampleId}/concerns/${concernId}`;
export const auditHref = (id: string) => `/case-audits/${id}`;
export const actionHref = (id: string) => `/case-audits/actions/${id}`;

const statusTag = (status: AuditRow['status'] | null) => (status === 'completed'
  ? { text: 'Completed', classes: 'govuk-tag--green' }
  : status === 'in_progress' ? { text: 'In progress', classes: 'govuk-tag--yellow' } : { text: 'Not started', classes: 'govuk-tag--grey' });

function actionTag(action: ActionRow, today: string) {
  if (action.status === 'done') return { text: 'Done', classes: 'govuk-tag--green' };
  return action.dueOn < today ? { text: 'Overdue', classes: 'govuk-tag--red' } : { text: 'Open', classes: 'govuk-tag--blue' };
}

function filtersInWords(sample: SampleRow): string {
  const f = sample.filters;
  const parts = [
    f.agency ? sampleAgencies[f.agency as keyof typeof sampleAgencies]?.label ?? f.agency : 'Any agency',
    f.outcome ? decisionLabels[f.outcome as keyof typeof decisionLabels] ?? f.outcome : 'any outcome',
    f.immediateRisk === null ? 'with or without immediate risk' : f.immediateRisk ? 'immediate risk' : 'no immediate risk',
  ];
  return parts.join(', ');
}

const monthInWords = (month: string) => new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}T00:00:00Z`));

/** A concern's released parts as summary rows (only what the viewer's policy released). */
export function concernRows(concern: ReleasedConcern): Row[] {
  const f = new Set(concern.fields);
  const childName = [concern.childForename, concern.childSurname].filter(Boolean).join(' ');
  return [
    row('Reference', concern.reference),
    f.has('referrer') ? row('Sent by', `${concern.submittedByName}, ${concern.organisationName}`) : null,
    f.has('progress') && concern.receivedAt ? row('Received', formatDateTime(concern.receivedAt)) : null,
    f.has('progress') && concern.decisionDueAt ? row('Decision due', formatDateTime(concern.decisionDueAt)) : null,
    f.has('submission') && concern.category ? row('Kind of concern', kindsInWords(concern.category, concern.otherCategories ?? [])) : null,
    f.has('submission') ? row('Immediate risk of harm', concern.immediateRisk ? 'Yes' : 'No') : null,
    f.has('submission') ? row('What happened', concern.whatHappened, 'app-preserve-lines') : null,
    f.has('submission') ? row('The child’s words', concern.childWords, 'app-preserve-lines') : null,
    f.has('childIdentifiers') ? row('The child as the partner named them', [childName, formatDate(concern.childDateOfBirth)].filter(Boolean).join(', ')) : null,
    f.has('outcome') && concern.decision ? row('Decision', decisionLabels[concern.decision]) : null,
    f.has('outcome') && concern.decidedAt ? row('Decided', formatDateTime(concern.decidedAt)) : null,
    f.has('outcome') ? row('Feedback to the referrer', concern.feedback, 'app-preserve-lines') : null,
    f.has('decisionRecord') ? row('Reason for the decision', concern.decisionReason, 'app-preserve-lines') : null,
    f.has('decisionRecord') ? row('Decided by', concern.decidedByName) : null,
  ];
}

export function presentIndex(input: {
  samples: SampleRow[]; audits: Array<{ audit: AuditRow; concern: ReleasedConcern | undefined }>; actions: ActionRow[]; mayDraw: boolean; mayReadAudits: boolean; today: string;
}) {
  return {
    title: 'Case-file audits',
    mayDraw: input.mayDraw,
    mayReadAudits: input.mayReadAudits,
    samples: input.samples.map((s) => ({
      href: sampleHref(s.id), month: monthInWords(s.month), filters: filtersInWords(s), seed: s.seed, drawn: s.drawn, completed: s.completed, drawnAt: formatDateTime(s.drawnAt),
    })),
    audits: input.audits.map(({ audit, concern }) => ({
      href: auditHref(audit.id), reference: concern?.reference ?? 'A concern you may not read', auditor: audit.auditorName, status: statusTag(audit.status),
      completedAt: formatDateTime(audit.completedAt) ?? '',
    })),
    actions: input.actions.map((a) => presentActionRow(a, input.today)),
  };
}

export function presentActionRow(a: ActionRow, today: string) {
  return { href: actionHref(a.id), description: a.description, assignee: a.assigneeName, auditor: a.auditorName, due: formatDate(a.dueOn)!, tag: actionTag(a, today), doneNote: a.doneNote };
}

export function presentSampleForm(input: SampleInput, errors: Partial<Record<SampleField, string>>, now: Date = new Date()) {
  return {
    title: 'Draw a sample',
    errorList: errorList(errors, sampleFieldOrder),
    values: input,
    errors: Object.fromEntries(sampleFieldOrder.map((f) => [f, msg(errors, f)])),
    months: [{ value: '', text: 'Select a month' }, ...sampleMonths(now)],
    agencies: [{ value: '', text: 'Any agency' }, ...Object.entries(sampleAgencies).map(([value, a]) => ({ value, text: a.label }))],
    outcomes: [{ value: '', text: 'Any outcome' }, ...decisions.map((value) => ({ value, text: decisionLabels[value] }))],
    risks: [{ value: 'any', text: 'With or without' }, { value: 'yes', text: 'Only concerns at immediate risk' }, { value: 'no', text: 'Only concerns not at immediate risk' }],
  };
}

export function presentSample(sample: SampleRow, members: Array<{ concernId: string; position: number; auditId: string | null; status: AuditRow['status'] | null; auditorName: string | null; concern: ReleasedConcern | undefined }>) {
  return {
    title: `Sample of ${monthInWords(sample.month)}`,
    month: monthInWords(sample.month),
    rows: [
      row('Month', monthInWords(sample.month)), row('Filters', filtersInWords(sample)), row('Size asked for', String(sample.size)),
      row('Concerns drawn', String(members.length)), row('Seed', sample.seed), row('Drawn', `${formatDateTime(sample.drawnAt)} by ${sample.drawnByName}`),
    ],
    members: members.map((m) => ({
      position: m.position,
      reference: m.concern?.reference ?? 'A concern you may no longer read',
      decision: m.concern?.decision ? decisionLabels[m.concern.decision] : '',
      decidedAt: formatDateTime(m.concern?.decidedAt ?? null) ?? '',
      status: statusTag(m.status),
      href: m.concern ? auditFormHref(sample.id, m.concernId) : null,
    })),
  };
}

/** The audit form: the concern beside it, each area's grade and evaluation, and the agreed actions (one empty slot more). */
export function presentAuditForm(input: {
  sampleId: string; concern: ReleasedConcern; answers: AuditAnswers; errors: AuditErrors; version: number; staff: Array<{ id: string; name: string }>;
  banner?: { type: 'success' | 'important'; text: string } | null;
}) {
  const slots = Math.min(MAX_ACTIONS, input.answers.actions.length + 1);
  const actions = Array.from({ length: slots }, (_, i) => input.answers.actions[i] ?? emptyAction());
  const e = input.errors;
  return {
    title: `Audit concern ${input.concern.reference}`,
    reference: input.concern.reference,
    concernRows: concernRows(input.concern),
    action: auditFormHref(input.sampleId, input.concern.id),
    version: input.version,
    banner: input.banner ?? null,
    errorList: errorList(e, auditFieldOrder(slots), Object.fromEntries(actions.map((_, i) => [`action-${i + 1}-due`, `action-${i + 1}-due-day`]))),
    areas: auditAreaNames.map((area) => ({
      area,
      label: auditAreas[area],
      grade: input.answers.grades[area] ?? '',
      evaluation: input.answers.evaluations[area] ?? '',
      gradeError: msg(e, `grade-${area}`),
      evaluationError: msg(e, `evaluation-${area}`),
      items: auditGradeNames.map((value) => ({ value, text: auditGrades[value] })),
    })),
    actions: actions.map((a, i) => ({
      n: i + 1, ...a,
      whatError: msg(e, `action-${i + 1}-what`), whoError: msg(e, `action-${i + 1}-who`), dueError: msg(e, `action-${i + 1}-due`),
      staff: [{ value: '', text: 'Select a person' }, ...input.staff.map((s) => ({ value: s.id, text: s.name }))],
    })),
  };
}

function answersRows(answers: AuditAnswers, changeHref: string | null, staffNames: ReadonlyMap<string, string>) {
  const change = (anchor: string, what: string) => (changeHref ? { items: [{ href: `${changeHref}#${anchor}`, text: 'Change', visuallyHiddenText: what }] } : undefined);
  const areas = auditAreaNames.map((area: AuditArea) => {
    const grade = answers.grades[area];
    return {
      label: auditAreas[area],
      grade: grade && isAuditGrade(grade) ? { text: auditGrades[grade], classes: gradeTagClasses[grade] } : null,
      rows: [
        { key: { text: 'Grade' }, value: { text: grade && isAuditGrade(grade) ? auditGrades[grade] : 'Not graded' }, actions: change(`grade-${area}`, `the grade for ${auditAreas[area].toLowerCase()}`) },
        { key: { text: 'Evaluation' }, value: { text: answers.evaluations[area] || 'None written', classes: 'app-preserve-lines' }, actions: change(`evaluation-${area}`, `the evaluation of ${auditAreas[area].toLowerCase()}`) },
      ],
    };
  });
  const actions = answers.actions.map((a, i) => ({
    n: i + 1,
    rows: [
      { key: { text: 'What' }, value: { text: a.description || 'Not given', classes: 'app-preserve-lines' }, actions: change(`action-${i + 1}-what`, `what action ${i + 1} is`) },
      { key: { text: 'Who' }, value: { text: staffNames.get(a.assigneeUserId) ?? 'Not given' }, actions: change(`action-${i + 1}-who`, `who will do action ${i + 1}`) },
      { key: { text: 'By when' }, value: { text: formatDate(isoOf(a)) ?? 'Not given' }, actions: change(`action-${i + 1}-due-day`, `when action ${i + 1} is due`) },
    ],
  }));
  return { areas, actions };
}

const isoOf = (a: AuditAnswers['actions'][number]) => (a.year && a.month && a.day ? `${a.year.padStart(4, '0')}-${a.month.padStart(2, '0')}-${a.day.padStart(2, '0')}` : null);

/** Check your answers before completing: every answer with its Change link. */
export function presentCheck(input: { sampleId: string; concern: ReleasedConcern; version: number; answers: AuditAnswers; staff: Array<{ id: string; name: string }>; errorList?: ErrorSummaryItem[] }) {
  const href = auditFormHref(input.sampleId, input.concern.id);
  return {
    title: 'Check your audit before completing it',
    reference: input.concern.reference,
    version: input.version,
    action: `${href}/complete`,
    errorList: input.errorList ?? [],
    ...answersRows(input.answers, href, new Map(input.staff.map((s) => [s.id, s.name]))),
  };
}

/** An audit as its readers see it: a version's answers, the actions being tracked, every version and who has looked. */
export function presentAudit(input: {
  audit: AuditRow; concern: ReleasedConcern | undefined; versions: VersionRow[]; actions: ActionRow[]; views: Array<{ name: string; role: string; viewedAt: Date }>;
  shownVersion: number | null; completedNow: boolean; mayEdit: boolean; today: string; staff: ReadonlyMap<string, string>;
}) {
  const latest = input.versions[0];
  const shown = input.versions.find((v) => v.version === (input.shownVersion ?? latest?.version)) ?? latest;
  const names = new Map(input.staff);
  for (const a of input.actions) names.set(a.assigneeUserId, a.assigneeName);
  return {
    title: `Audit of concern ${input.concern?.reference ?? ''}`.trim(),
    reference: input.concern?.reference ?? null,
    completedNow: input.completedNow && input.audit.status === 'completed',
    status: statusTag(input.audit.status),
    editHref: input.mayEdit && input.audit.sampleId ? auditFormHref(input.audit.sampleId, input.audit.concernId) : null,
    rows: [
      row('Auditor', input.audit.auditorName), row('Started', formatDateTime(input.audit.createdAt)), row('Completed', formatDateTime(input.audit.completedAt)),
    ],
    concernRows: input.concern ? concernRows(input.concern) : [],
    shownVersion: shown ? { number: shown.version, latest: shown.version === latest?.version, savedBy: shown.savedByName, savedAt: formatDateTime(shown.savedAt) } : null,
    ...(shown ? answersRows(shown.answers, null, names) : { areas: [], actions: [] }),
    tracked: input.actions.map((a) => presentActionRow(a, input.today)),
    versions: input.versions.map((v) => ({
      number: v.version, status: statusTag(v.status).text, savedBy: v.savedByName, savedAt: formatDateTime(v.savedAt), href: `${auditHref(input.audit.id)}?version=${v.version}`, current: v.version === shown?.version,
    })),
    views: input.views.map((v) => ({ name: v.name, role: v.role, at: formatDateTime(v.viewedAt) })),
  };
}

export function presentAction(action: ActionRow & { mayComplete: boolean }, input: { note: string; error?: string; reference: string | null; today: string }) {
  return {
    title: 'Action from a case-file audit',
    action: `${actionHref(action.id)}`,
    mayComplete: action.mayComplete,
    tag: actionTag(action, input.today),
    note: input.note,
    errorList: input.error ? [{ text: input.error, href: '#note' }] : [],
    noteError: input.error ? { text: input.error } : false,
    rows: [
      row('Concern audited', input.reference), row('What', action.description, 'app-preserve-lines'), row('Who', action.assigneeName),
      row('By when', formatDate(action.dueOn)), row('Agreed by', action.auditorName),
      row('Done', formatDateTime(action.doneAt)), row('Note', action.doneNote, 'app-preserve-lines'),
    ],
  };
}

/** The home page's panel: overdue actions that are the person's to do or to follow. */
export function presentOverdueActionsPanel(actions: ActionRow[], today: string) {
  return actions.length ? { items: actions.map((a) => presentActionRow(a, today)) } : null;
}
