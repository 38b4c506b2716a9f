// E-mail through GOV.UK Notify (NOTIFY_API_KEY), with GOV.UK's own client,
// notifications-node-client: it signs each request with a token made from the key, as Notify
// requires, and follows Notify's API as Notify changes it.
//
// Each kind of message has its own Notify template (kinds.ts, docs/notifications.md), given the
// message's subject and body as personalisation. The reference sent with each message is
// stable across attempts: Notify does not refuse a second message with the same reference, so
// before any attempt after the first (when an earlier one may have reached Notify and its answer
// been lost) the transport asks Notify for a message with that reference and, if there is one,
// takes it as sent rather than sending again.
import axios, { type AxiosError } from 'axios';
import { NotifyClient } from 'notifications-node-client';
import { notifyPersonalisationFields } from './kinds.ts';
import { permanent, retryable, retryAfterSeconds, type DeliveryError, type DeliveryStatus, type StatusCheck, type Transport } from './transport.ts';

export interface NotifySettings {
  apiKey: string;
  /** The Notify template id for each kind of message (outbox.kind). */
  templates: Readonly<Record<string, string>>;
  /** Notify's API; default https://api.notifications.service.gov.uk. Tests point it at their contract server. */
  baseUrl?: string;
  /** Longest wait for an answer; default 15 s (the worker's lease is 60 s). */
  timeoutMs?: number;
}

export function notifyTransport(settings: NotifySettings): { send: Transport; status: StatusCheck } {
  const client = settings.baseUrl ? new NotifyClient(settings.baseUrl, settings.apiKey) : new NotifyClient(settings.apiKey);
  // The client's default HTTP client never times out; a send must end well within the lease.
  // (The client's types name axios's CommonJS build and ours its ES module build: the same object.)
  const http = axios.create({ timeout: settings.timeoutMs ?? 15_000, maxRedirects: 0 });
  client.setClient(http as unknown as Parameters<typeof client.setClient>[0]);

  const send: Transport = async ({ outboxId, kind, recipient, subject, body, attempt = 1, reference }) => {
    const templateId = kind ? settings.templates[kind] : undefined;
    if (!templateId) throw permanent('no GOV.UK Notify template is configured for this kind of message');
    const ref = reference ?? `outbox-${outboxId}`;
    try {
      if (attempt > 1) {
        const earlier = await client.getNotifications('email', undefined, ref);
        const found = earlier.data.notifications[0];
        if (found) return { provider: 'notify', providerMessageId: found.id };
      }
      const personalisation: Record<(typeof notifyPersonalisationFields)[number], string> = { subject, body };
      const response = await client.sendEmail(templateId, recipient, { personalisation, reference: ref });
      return { provider: 'notify', providerMessageId: response.data.id };
    } catch (error) {
      throw classifyNotifyError(error);
    }
  };

  const status: StatusCheck = async (providerMessageId) => {
    let data;
    try {
      ({ data } = await client.getNotificationById(providerMessageId));
    } catch (error) {
      throw classifyNotifyError(error);
    }
    return notifyStatus(data.status);
  };

  return { send, status };
}

/** Notify's e-mail statuses (its "email status descriptions") as the Messages page shows them. */
export function notifyStatus(status: string): DeliveryStatus {
  switch (status) {
    case 'delivered':
      return { state: 'delivered' };
    case 'permanent-failure':
      return { state: 'failed', reason: 'the recipient’s mail server says the address does not exist (Notify: permanent-failure)' };
    case 'temporary-failure':
      return { state: 'failed', reason: 'the recipient’s inbox was full or unavailable for 72 hours (Notify: temporary-failure)' };
    case 'technical-failure':
      return { state: 'failed', reason: 'GOV.UK Notify could not send it (Notify: technical-failure)' };
    default:
      // created, sending, pending: not yet known
      return { state: 'pending' };
  }
}

interface NotifyErrorBody {
  status_code?: unknown;
  errors?: Array<{ error?: unknown; message?: unknown }>;
}

/** Only a word like "BadRequestError", never free text. */
const errorType = (value: unknown) => (typeof value === 'string' && /^[A-Za-z]{1,40}$/.test(value) ? value : 'error');

/**
 * Notify's documented error answers (status_code and errors[{ error, message }]) in the portal's
 * words: see transport.ts. The message is matched against Notify's documented texts and never kept.
 */
export function classifyNotifyError(error: unknown): DeliveryError {
  const e = error as AxiosError<NotifyErrorBody> | undefined;
  const response = e?.response;
  if (!response) {
    const code = typeof e?.code === 'string' && /^[A-Z_]{2,40}$/.test(e.code) ? e.code : 'no answer';
    return retryable(`could not reach GOV.UK Notify (${code})`, undefined, code);
  }
  const statusCode = response.status;
  const first = Array.isArray(response.data?.errors) ? response.data.errors[0] : undefined;
  const type = errorType(first?.error);
  const message = typeof first?.message === 'string' ? first.message : '';
  const wait = retryAfterSeconds(response.headers?.['retry-after']);

  if (statusCode === 429) {
    if (type === 'TooManyRequestsError') return retryable('GOV.UK Notify’s daily sending limit reached (429 TooManyRequestsError)', wait ?? 3600, statusCode);
    return retryable(`rate limited by GOV.UK Notify (429 ${type})`, wait ?? 60, statusCode);
  }
  if (statusCode >= 500) return retryable(`GOV.UK Notify server error (${statusCode} ${type})`, wait, statusCode);
  if (statusCode === 403) {
    if (/system clock/i.test(message)) return retryable('GOV.UK Notify refused the token: this server’s clock is more than 30 seconds out (403 AuthError)', undefined, statusCode);
    return permanent(`GOV.UK Notify rejected the API key (403 ${type})`, statusCode);
  }
  if (statusCode === 400) {
    if (/team-only API key/i.test(message)) return permanent('recipient not allowed with a team-only API key (400 BadRequestError)', statusCode);
    if (/trial mode/i.test(message)) return permanent('recipient not allowed while the Notify service is in trial mode (400 BadRequestError)', statusCode);
    if (/email_address/i.test(message)) return permanent(`recipient address rejected (400 ${type})`, statusCode);
    if (/personalisation/i.test(message)) return permanent(`the Notify template’s placeholders do not match the portal’s (400 ${type})`, statusCode);
    if (/template/i.test(message)) return permanent(`Notify template not found, or not an e-mail template (400 ${type})`, statusCode);
  }
  return permanent(`GOV.UK Notify refused the request (${statusCode} ${type})`, statusCode);
}
