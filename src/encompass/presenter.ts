// View models for the officer's pages of police notifications (Operation Encompass, issue 14):
// the form, check your answers (where each child will go), the confirmation and the force's
// list with each destination's outcome. Templates only loop and branch over what is built here.
import type { ReleasedEncompass, RoutedChild, SchoolAction } from '../access/index.ts';
import { changeNoteBanner, questionView, type FormBanner, type QuestionView } from '../concerns/presenter.ts';
import type { Answers } from '../concerns/form.ts';
import type { FormDefinition } from '../forms/load.ts';
import { submissionSections, type StoredSubmission, type SubmissionSection } from '../forms/sections.ts';
import { errorMessages, errorList, type ErrorSummaryItem } from '../web/error-list.ts';
import { escapeHtml, formatDateTime } from '../web/format.ts';
import { childField, childNames, type CheckedEncompass, type EncompassAnswers, type EncompassErrors } from './form.ts';
import { sharedItems, type SharedItem } from './shared-items.ts';

type Row = { key: { text: string }; value: { text?: string; html?: string } } | null;
const row = (key: string, text: string | null | undefined): Row => (text ? { key: { text: key }, value: { text } } : null);

/** What a school (or the front door) said it will do, in the officer's and the school's words. */
export const schoolActionLabels: Record<SchoolAction, string> = {
  key_adult_informed: 'Key adult informed',
  support_in_place: 'Support in place',
  no_action: 'No action',
  other: 'Other',
};

const message = (errors: EncompassErrors, id: string) => (errors[id] ? { text: errors[id]! } : false);

const childQuestionNames = ['forename', 'surname', 'dob', 'nhsNumber', 'upn', 'address', 'postcode', 'present', 'spokenTo', 'words'];

/**
 * The form's parts in the file's order: each section asked once, as its questions' partials'
 * parameters (src/concerns/presenter.ts questionView, as the concern form); the section asked
 * for each child stays where it is, laid out by views/encompass/new.eta for every child. The
 * force's shared items follow the first section (the incident).
 */
/**
 * Radios as this form has always named them: GOV.UK's default item ids (child-1-spokenTo,
 * child-1-spokenTo-2), not the concern form's name-value ids, so links and bookmarks still work.
 */
function defaultItemIds(view: QuestionView): QuestionView {
  if (view.component !== 'radios') return view;
  const items = (view.params.items as Array<Record<string, unknown>>).map(({ id: _id, ...item }) => item);
  return { ...view, params: { ...view.params, items } };
}

function formParts(form: FormDefinition, answers: EncompassAnswers, messages: Record<string, { text: string } | false>) {
  const typed = { ...answers.extra, ...answers.fields } as unknown as Answers;
  return form.pages.flatMap((page) => page.sections).map((section) => ({
    heading: section.heading,
    intro: section.intro ?? null,
    perChild: section.repeats === 'child',
    questions: section.repeats ? [] : section.questions.map((question) => defaultItemIds(questionView(form, question, typed, messages))),
  }));
}

export function presentEncompassForm(answers: EncompassAnswers, items: readonly SharedItem[], errors: EncompassErrors = {}, forceName = '', form?: FormDefinition, changeNote?: FormDefinition) {
  const sections = form ? form.pages.flatMap((page) => page.sections) : [];
  const once = (section: (typeof sections)[number]) => section.questions.flatMap((q) => [q.name]);
  const perChild = sections.find((section) => section.repeats === 'child');
  const childQuestions = perChild ? perChild.questions.map((q) => q.name) : childQuestionNames;
  const childOrder = answers.children.flatMap((_, index) => childQuestions.map((n) => childField(index + 1, n)));
  const order = sections.flatMap((section, index) => [
    ...(section.repeats ? childOrder : once(section)),
    ...(index === 0 ? items.map((i) => `shared-${i}`) : []),
  ]);
  const targets: Record<string, string> = {};
  for (const section of sections) for (const question of section.questions) if (question.component === 'date-input') targets[question.name] = `${question.name}-day`;
  answers.children.forEach((_, index) => { targets[childField(index + 1, 'dob')] = `${childField(index + 1, 'dob')}-day`; });
  const onceNames = sections.filter((section) => !section.repeats).flatMap(once);
  const parts = form ? formParts(form, answers, errorMessages(errors, onceNames)) : [];
  return {
    title: 'Send a police notification',
    forceName,
    errorList: errorList(errors, order, targets) as ErrorSummaryItem[],
    formVersion: form?.version ?? 1,
    changeNote: changeNote ? changeNoteBanner(changeNote) as FormBanner : null,
    /** The first section (with the shared items after it), the children, then the rest. */
    firstPart: parts[0] ?? null,
    laterParts: parts.slice(1).filter((part) => !part.perChild),
    fields: answers.fields,
    shared: items.map((item) => ({
      id: `shared-${item}`, label: sharedItems[item].label, hint: sharedItems[item].hint, value: answers.shared[item] ?? '', error: message(errors, `shared-${item}`),
    })),
    childCount: answers.children.length,
    children: answers.children.map((child, index) => {
      const n = index + 1;
      const id = (name: string) => childField(n, name);
      // The file's questions for each child, numbered for this one (child-2-forename …).
      const typed = Object.fromEntries(childNames.map((name) => [id(name), child[name]])) as unknown as Answers;
      const messages = errorMessages(errors, childQuestions.map(id));
      const questions = form && perChild
        ? perChild.questions.map((question) => ({
          ...defaultItemIds(questionView(form, { ...question, name: id(question.name) }, typed, messages)),
          // Said before the identifiers: one of them is needed for the exact match (checked by ./form.ts).
          identifiersNote: question.name === 'nhsNumber',
        }))
        : [];
      return {
        questions,
        n, heading: `Child ${n}`, values: child, id,
        errors: Object.fromEntries(['forename', 'surname', 'dob', 'nhsNumber', 'upn', 'address', 'postcode', 'present', 'spokenTo', 'words'].map((name) => [name, message(errors, id(name))])),
      };
    }),
    errors: Object.fromEntries(['policeReference', 'incident', 'incidentTime', 'account', 'contactName', 'contactPhone', 'contactEmail'].map((name) => [name, message(errors, name)])),
  };
}

/** Every answer as hidden fields, so what is sent is exactly what was checked. */
export function hiddenAnswers(answers: EncompassAnswers, items: readonly SharedItem[]): Array<{ name: string; value: string }> {
  return [
    ...Object.entries(answers.fields).map(([name, value]) => ({ name, value })),
    ...Object.entries(answers.extra).map(([name, value]) => ({ name, value })),
    ...items.map((item) => ({ name: `shared-${item}`, value: answers.shared[item] ?? '' })),
    { name: 'childCount', value: String(answers.children.length) },
    ...answers.children.flatMap((child, index) => childNames.map((name) => ({ name: childField(index + 1, name), value: child[name] }))),
  ];
}

/** Where a child will go, in words that say no more than the policy lets the officer know. */
export function destinationText(routed: Pick<RoutedChild, 'school' | 'because'>): string {
  if (routed.school) return `${routed.school.name}: the school the child is on roll at now`;
  return routed.because === 'not_on_roll' ? 'Not on a school roll: goes to the council’s front door' : 'No record found: goes to the council’s front door';
}

/**
 * A notification's answers asked once, as its form's questions store them (the columns the
 * file's questions name): for submissionSections. The date and time are one answer, shown as
 * one row ("Date and time"), so the time's own column is left out.
 */
export function storedIncident(n: { policeReference?: string; occurredAt?: Date | string; account?: string; contactName?: string; contactPhone?: string; contactEmail?: string | null; extraAnswers?: Record<string, string> }): StoredSubmission {
  const stored: Record<string, unknown> = {};
  if (n.policeReference !== undefined) stored.policeReference = n.policeReference;
  // Already in words: a date-input's answer that is not an ISO date is shown as it is.
  if (n.occurredAt !== undefined) stored.occurredAt = formatDateTime(new Date(n.occurredAt));
  if (n.account !== undefined) stored.account = n.account;
  if (n.contactName !== undefined) stored.contactName = n.contactName;
  if (n.contactPhone !== undefined) stored.contactPhone = n.contactPhone;
  if (n.contactEmail !== undefined) stored.contactEmail = n.contactEmail;
  return n.extraAnswers === undefined ? stored : { ...stored, extraAnswers: n.extraAnswers };
}

/** A section's rows as a summary list takes them; an optional question not answered is left out (as the check page always has). */
export const sectionRows = (section: SubmissionSection, skipUnanswered = true): Row[] =>
  section.rows.map((r) => (skipUnanswered && r.value === 'Not given' ? null : { key: { text: r.label }, value: r.freeText ? { text: r.value, classes: 'app-preserve-lines' } : { text: r.value } }) as Row);

export function presentEncompassCheck(checked: CheckedEncompass, routed: readonly RoutedChild[], answers: EncompassAnswers, items: readonly SharedItem[], form?: FormDefinition) {
  const sections = form ? submissionSections(form, storedIncident({ ...checked, contactName: checked.contact.name, contactPhone: checked.contact.phone, contactEmail: checked.contact.email, extraAnswers: checked.extraAnswers ?? {} })) : [];
  const [incident, ...rest] = sections;
  const childHeading = form?.pages.flatMap((page) => page.sections).find((section) => section.repeats)?.heading;
  return {
    title: 'Check your answers before sending the notification',
    formVersion: form?.version ?? 1,
    incidentHeading: incident?.heading ?? 'The incident',
    incidentRows: [
      ...(incident ? sectionRows(incident) : []),
      ...items.map((item) => row(sharedItems[item].label, checked.sharedItems[item] ?? 'Not given')),
    ],
    children: checked.children.map((child) => {
      const to = routed.find((r) => r.position === child.position);
      return {
        heading: `${child.forename} ${child.surname}`,
        goesTo: to ? destinationText(to) : 'No record found: goes to the council’s front door',
        rows: form ? childRows(form, child) : [],
      };
    }),
    /** The sections after the incident, other than the children's (whom to contact, and any a council adds). */
    laterSections: rest.filter((section) => section.heading !== childHeading).map((section) => ({ heading: section.heading, rows: sectionRows(section) })),
    hiddenAnswers: hiddenAnswers(answers, items),
  };
}

/**
 * One child's rows, with the questions of the section asked for each child: the name is the
 * heading; the address and postcode one row; what they said only where they were spoken to.
 */
export function childRows(form: FormDefinition, child: { forename?: string; surname?: string; dateOfBirth: string | Date; nhsNumber?: string | null; upn?: string | null; address?: string | null; postcode?: string | null; present: boolean; spokenTo: boolean; words?: string | null }): Row[] {
  const section = form.pages.flatMap((page) => page.sections).find((s) => s.repeats === 'child');
  if (!section) return [];
  const only = { ...form, pages: [{ title: '', sections: [section] }] };
  const dateOfBirth = child.dateOfBirth instanceof Date ? child.dateOfBirth.toISOString().slice(0, 10) : child.dateOfBirth;
  const stored: Record<string, unknown> = {
    dateOfBirth, nhsNumber: child.nhsNumber ?? null, upn: child.upn ?? null,
    address: [child.address, child.postcode].filter(Boolean).join(', ') || null,
    present: child.present, spokenTo: child.spokenTo,
  };
  if (child.spokenTo && child.words !== undefined) stored.words = child.words;
  const rows = submissionSections(only, stored)[0]?.rows ?? [];
  return rows.filter((r) => stored[columnOf(section.questions, r.name)] !== null || r.name === 'words')
    .map((r) => ({ key: { text: r.label }, value: r.freeText ? { text: r.value, classes: 'app-preserve-lines' } : { text: r.value } }));
}

const columnOf = (questions: ReadonlyArray<{ name: string; column?: string }>, name: string) => questions.find((q) => q.name === name)?.column ?? name;

/** A destination's outcome: acknowledged (by whom, when, what it will do), waiting, or overdue; and any escalation. */
export function outcomeOf(n: ReleasedEncompass, now: Date) {
  const escalations = [
    n.escalatedToDslsAt ? `School’s other safeguarding leads alerted ${formatDateTime(n.escalatedToDslsAt)}` : null,
    n.escalatedToFrontDoorAt ? `Front door alerted ${formatDateTime(n.escalatedToFrontDoorAt)}` : null,
  ].filter((e): e is string => Boolean(e));
  if (n.acknowledgedAt) {
    const action = n.schoolAction ? schoolActionLabels[n.schoolAction] : '';
    return {
      tag: { text: 'Acknowledged', classes: 'govuk-tag--green' },
      text: `By ${n.acknowledgedByName ?? 'unknown'} on ${formatDateTime(n.acknowledgedAt)}. ${n.forFrontDoor ? 'The front door' : 'The school'} will do: ${action}${n.schoolActionDetail ? `: ${n.schoolActionDetail}` : ''}.`,
      escalations,
    };
  }
  const overdue = n.dueAt.getTime() < now.getTime();
  return {
    tag: overdue ? { text: 'Not acknowledged in time', classes: 'govuk-tag--red' } : { text: 'Waiting', classes: 'govuk-tag--yellow' },
    text: `${overdue ? 'Was due' : 'Due'} by ${formatDateTime(n.dueAt)}.${n.firstOpenedAt ? ` Opened ${formatDateTime(n.firstOpenedAt)}.` : ''}`,
    escalations,
  };
}

/** The force's notifications grouped by incident, each destination with its children and outcome. */
export function presentIncidents(notifications: readonly ReleasedEncompass[], now: Date) {
  const incidents = new Map<string, { reference: string; policeReference: string; occurredAt: string; sentBy: string; destinations: unknown[] }>();
  for (const n of notifications) {
    const key = n.incidentReference ?? n.reference;
    if (!incidents.has(key)) {
      incidents.set(key, {
        reference: key, policeReference: n.policeReference ?? '', occurredAt: formatDateTime(n.occurredAt) ?? '', sentBy: n.sentByName ?? '', destinations: [],
      });
    }
    const outcome = outcomeOf(n, now);
    incidents.get(key)!.destinations.push({
      reference: n.reference,
      name: n.forFrontDoor ? `${n.destinationName} front door` : n.destinationName,
      children: (n.children ?? []).map((c) => `${c.forename} ${c.surname}`).join(', '),
      sentAt: formatDateTime(n.createdAt),
      outcome,
      outcomeHtml: `<strong class="govuk-tag ${outcome.tag.classes}">${escapeHtml(outcome.tag.text)}</strong> ${escapeHtml(outcome.text)}`
        + outcome.escalations.map((e) => `<br>${escapeHtml(e)}`).join(''),
    });
  }
  return [...incidents.values()];
}
