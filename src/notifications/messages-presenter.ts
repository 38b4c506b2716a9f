// The Messages page's view model (views/governance/messages.eta): labels for kinds, statuses
// and providers; the recipient's domain only, as message-status.ts gives it.
import { formatDateTime } from '../web/format.ts';
import { isMessageKind, messageKinds } from './kinds.ts';
import { messageStatuses, type MessageRow, type MessageStatus } from './message-status.ts';

/** Messages on one page; "Older messages" leads to the next. */
export const MESSAGES_PAGE_SIZE = 50;

const statusLabels: Record<MessageStatus, { text: string; tag: string }> = {
  queued: { text: 'Queued', tag: 'govuk-tag--grey' },
  sent: { text: 'Sent', tag: 'govuk-tag--blue' },
  delivered: { text: 'Delivered', tag: 'govuk-tag--green' },
  failed: { text: 'Failed', tag: 'govuk-tag--red' },
};

const providerLabels: Record<string, string> = { notify: 'GOV.UK Notify', smtp: 'SMTP relay', development: 'Development (not e-mailed)' };

export function presentMessage(row: MessageRow) {
  return {
    id: row.id,
    kind: isMessageKind(row.kind) ? messageKinds[row.kind].label : row.kind,
    recipientDomain: row.recipientDomain,
    status: statusLabels[row.status],
    failed: row.status === 'failed',
    reason: row.reason,
    attempts: row.attempts,
    retriesByHand: row.retriesByHand,
    createdAt: formatDateTime(row.createdAt),
    provider: row.provider ? (providerLabels[row.provider] ?? row.provider) : null,
  };
}

export function presentMessagesPage(rows: MessageRow[], counts: Record<MessageStatus, number>, filter: MessageStatus | undefined, retried: string | undefined) {
  const older = rows.length === MESSAGES_PAGE_SIZE ? rows[rows.length - 1]!.id : null;
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...(filter ? { status: filter } : {}), ...extra }).toString();
  return {
    title: 'Messages',
    messages: rows.map(presentMessage),
    counts: messageStatuses.map((status) => ({ status, text: statusLabels[status].text, count: counts[status] })),
    statusOptions: [
      { value: '', text: 'All', selected: !filter },
      ...messageStatuses.map((status) => ({ value: status, text: statusLabels[status].text, selected: status === filter })),
    ],
    filter: filter ?? null,
    caption: filter ? `${statusLabels[filter].text} messages` : 'All messages',
    retried: retried ?? null,
    olderHref: older ? `/governance/messages?${query({ before: older })}` : null,
  };
}

