// View models for the officer's pages of police notifications (Operation Encompass, issue 14):
// the form, check your answers (where each child will go), the confirmation and the force's
// list with each destination's outcome. Templates only loop and branch over what is built here.
import type { ReleasedEncompass, RoutedChild, SchoolAction } from '../access/index.ts';
import { errorList, type ErrorSummaryItem } from '../web/error-list.ts';
import { escapeHtml, formatDate, formatDateTime } from '../web/format.ts';
import { childField, childNames, type CheckedEncompass, type EncompassAnswers, type EncompassErrors } from './form.ts';
import { sharedItems, type SharedItem } from './shared-items.ts';

type Row = { key: { text: string }; value: { text?: string; html?: string } } | null;
const row = (key: string, text: string | null | undefined): Row => (text ? { key: { text: key }, value: { text } } : null);
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** What a school (or the front door) said it will do, in the officer's and the school's words. */
export const schoolActionLabels: Record<SchoolAction, string> = {
  key_adult_informed: 'Key adult informed',
  support_in_place: 'Support in place',
  no_action: 'No action',
  other: 'Other',
};

const message = (errors: EncompassErrors, id: string) => (errors[id] ? { text: errors[id]! } : false);

export function presentEncompassForm(answers: EncompassAnswers, items: readonly SharedItem[], errors: EncompassErrors = {}, forceName = '') {
  const order = ['policeReference', 'incident', 'incidentTime', 'account', ...items.map((i) => `shared-${i}`),
    ...answers.children.flatMap((_, index) => ['forename', 'surname', 'dob', 'nhsNumber', 'upn', 'address', 'postcode', 'present', 'spokenTo', 'words'].map((n) => childField(index + 1, n))),
    'contactName', 'contactPhone', 'contactEmail'];
  const targets: Record<string, string> = { incident: 'incident-day' };
  answers.children.forEach((_, index) => { targets[childField(index + 1, 'dob')] = `${childField(index + 1, 'dob')}-day`; });
  return {
    title: 'Send a police notification',
    forceName,
    errorList: errorList(errors, order, targets) as ErrorSummaryItem[],
    fields: answers.fields,
    shared: items.map((item) => ({
      id: `shared-${item}`, label: sharedItems[item].label, hint: sharedItems[item].hint, value: answers.shared[item] ?? '', error: message(errors, `shared-${item}`),
    })),
    childCount: answers.children.length,
    children: answers.children.map((child, index) => {
      const n = index + 1;
      const id = (name: string) => childField(n, name);
      return {
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

export function presentEncompassCheck(checked: CheckedEncompass, routed: readonly RoutedChild[], answers: EncompassAnswers, items: readonly SharedItem[]) {
  const occurredAt = new Date(checked.occurredAt);
  return {
    title: 'Check your answers before sending the notification',
    incidentRows: [
      row('Police reference', checked.policeReference),
      row('Date and time', formatDateTime(occurredAt)),
      row('Account', checked.account),
      ...items.map((item) => row(sharedItems[item].label, checked.sharedItems[item] ?? 'Not given')),
    ],
    children: checked.children.map((child) => {
      const to = routed.find((r) => r.position === child.position);
      return {
        heading: `${child.forename} ${child.surname}`,
        goesTo: to ? destinationText(to) : 'No record found: goes to the council’s front door',
        rows: [
          row('Date of birth', formatDate(child.dateOfBirth)),
          row('NHS number', child.nhsNumber),
          row('Unique pupil number', child.upn),
          row('Address', [child.address, child.postcode].filter(Boolean).join(', ')),
          row('Present at the incident', yesNo(child.present)),
          row('Spoken to', yesNo(child.spokenTo)),
          child.spokenTo ? row('What the child said', child.words ?? 'Nothing recorded') : null,
        ],
      };
    }),
    contactRows: [row('Name', checked.contact.name), row('Phone', checked.contact.phone), row('Email', checked.contact.email)],
    hiddenAnswers: hiddenAnswers(answers, items),
  };
}

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
