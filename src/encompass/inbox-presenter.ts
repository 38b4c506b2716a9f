// View models for a school's (or the front door's) side of police notifications: the list of
// notifications waiting, the home page's panel and the notification page with its
// acknowledgement form. They shape only what the access module released
// (src/access/encompass.ts): a part the policy withholds is absent here too.
import type { ReleasedEncompass } from '../access/index.ts';
import { portalForms, type FormCatalogue } from '../forms/load.ts';
import { submissionSections } from '../forms/sections.ts';
import { formVersion } from '../forms/versions.ts';
import { formatDate, formatDateTime } from '../web/format.ts';
import { sectionRows, storedIncident } from './presenter.ts';
import { schoolActions, type AcknowledgeAnswers, type AcknowledgeErrors, type SchoolAction } from './acknowledge-form.ts';
import { sharedItems, type SharedItem } from './shared-items.ts';

export const inboxHref = (id: string) => `/encompass/inbox/${id}`;

/** The state a notification is in for its recipients: a tag's text and colour. */
function state(n: ReleasedEncompass, now: Date): { text: string; classes: string } {
  if (n.acknowledgedAt) return { text: 'Acknowledged', classes: 'govuk-tag--green' };
  if (n.dueAt <= now) return { text: 'Overdue', classes: 'govuk-tag--red' };
  if (!n.firstOpenedAt) return { text: 'Unread', classes: 'govuk-tag--blue' };
  return { text: 'Not yet acknowledged', classes: 'govuk-tag--yellow' };
}

/** A line in a list: reference, where it went, when sent and due, and its state. */
export function presentInboxItem(n: ReleasedEncompass, now: Date) {
  return {
    id: n.id,
    href: inboxHref(n.id),
    reference: n.reference,
    destination: n.destinationName,
    sentAt: formatDateTime(n.createdAt),
    dueAt: formatDateTime(n.dueAt),
    state: state(n, now),
    escalated: n.escalatedToFrontDoorAt ? 'The front door has been told' : n.escalatedToDslsAt ? 'The school’s other safeguarding leads have been told' : null,
  };
}
export type InboxItemView = ReturnType<typeof presentInboxItem>;

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/**
 * The account, any questions a council added and whom to contact, with the questions of the
 * version of forms/encompass the notification was made with (src/forms/sections.ts); only the
 * parts released (a part withheld is absent from `n`, so its rows are too). The police
 * reference and the time are in the page's top list.
 */
function answerSections(n: ReleasedEncompass, forms: FormCatalogue) {
  const form = formVersion(forms, 'encompass', n.formVersion) ?? formVersion(forms, 'encompass', 1)!;
  const stored = storedIncident({
    account: n.account, contactName: n.contactName, contactPhone: n.contactPhone, contactEmail: n.contactEmail,
    ...(n.fields.includes('account') ? { extraAnswers: n.extraAnswers ?? {} } : {}),
  });
  return submissionSections(form, stored, { fields: ['account', 'policeContact'] }).map((section) => {
    const contact = section.rows.some((r) => r.name === 'contactName');
    const rows = sectionRows(section, contact);
    return {
      heading: section.heading,
      testid: contact ? 'police-contact' : 'answers',
      contact,
      rows: contact ? [...rows, { key: { text: 'Sent by' }, value: { text: n.sentByName ?? '' } }] : rows,
    };
  });
}

/** The notification as its page shows it: only the parts released. */
export function presentNotification(n: ReleasedEncompass, now: Date, forms: FormCatalogue = portalForms()) {
  const has = (field: ReleasedEncompass['fields'][number]) => n.fields.includes(field);
  const sections = answerSections(n, forms);
  return {
    id: n.id,
    reference: n.reference,
    destination: n.destinationName,
    sentAt: formatDateTime(n.createdAt),
    dueAt: formatDateTime(n.dueAt),
    state: state(n, now),
    incident: has('incident')
      ? { policeReference: n.policeReference ?? '', occurredAt: formatDateTime(n.occurredAt ?? null), force: n.forceName ?? '' }
      : null,
    children: has('children')
      ? (n.children ?? []).map((c) => ({
          name: `${c.forename} ${c.surname}`,
          dateOfBirth: formatDate(c.dateOfBirth),
          present: yesNo(c.present),
          spokenTo: yesNo(c.spokenTo),
          // Only where `childWords` was released; kept apart from the account.
          words: c.words === undefined ? undefined : c.words ?? 'Nothing recorded',
        }))
      : null,
    account: has('account') ? n.account ?? '' : null,
    /** The answers in sections: the incident's (the account and any added question) before the shared items, whom to contact after. */
    answerSections: sections.filter((section) => !section.contact),
    contactSections: sections.filter((section) => section.contact),
    sharedItems: has('sharedItems')
      ? Object.entries(n.sharedItems ?? {}).flatMap(([key, value]) => (Object.hasOwn(sharedItems, key) ? [{ label: sharedItems[key as SharedItem].label, value }] : []))
      : null,
    policeContact: has('policeContact')
      ? { name: n.contactName ?? '', phone: n.contactPhone ?? '', email: n.contactEmail ?? null, sentBy: n.sentByName ?? '' }
      : null,
    acknowledgement: has('acknowledgement') && n.acknowledgedAt
      ? {
          at: formatDateTime(n.acknowledgedAt),
          by: n.acknowledgedByName ?? '',
          action: n.schoolAction ? schoolActions[n.schoolAction as SchoolAction] : '',
          detail: n.schoolActionDetail ?? null,
        }
      : null,
    escalated: presentInboxItem(n, now).escalated,
  };
}

/** The acknowledgement form: the answers as typed, the errors by the field, in the error summary's order. */
export function presentAcknowledgeForm(answers: AcknowledgeAnswers, errors: AcknowledgeErrors) {
  const order: Array<keyof AcknowledgeAnswers> = ['action', 'detail'];
  const anchors: Record<keyof AcknowledgeAnswers, string> = { action: '#action', detail: '#detail' };
  return {
    answers,
    errors,
    errorList: order.filter((key) => errors[key]).map((key) => ({ text: errors[key]!, href: anchors[key] })),
    actions: Object.entries(schoolActions).map(([value, text]) => ({ value, text })),
  };
}

/**
 * The home page's panel, at the top: the notifications waiting, and a notice where any is
 * overdue and has been escalated (to the school's other leads, or to the front door).
 */
export function presentEncompassPanel(waiting: ReleasedEncompass[], total: number, now: Date) {
  const escalated = waiting.filter((n) => n.escalatedToDslsAt || n.escalatedToFrontDoorAt).length;
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return {
    items: waiting.slice(0, 5).map((n) => presentInboxItem(n, now)),
    more: Math.max(total, waiting.length) > 5,
    overdueNotice: escalated > 0
      ? `${plural(escalated, 'police notification has', 'police notifications have')} not been acknowledged in time. Read and acknowledge ${escalated === 1 ? 'it' : 'them'} now.`
      : null,
  };
}
