// E-mail through the council's own SMTP relay (SMTP_URL), with nodemailer: a well-kept client
// that speaks SMTP, STARTTLS and AUTH and reports the server's reply codes, which is what the
// worker needs to tell a refused address (5xx: failed) from a busy server (4xx: try again).
//
// TLS always: smtps:// (TLS from the start, port 465 by default) or smtp:// with STARTTLS
// required (port 587 by default); a server that does not offer STARTTLS is not sent to. The
// certificate is verified against Node's trusted roots plus SMTP_CA_FILE where given (a council's
// internal CA, or a test's own); verification is never turned off.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import nodemailer from 'nodemailer';
import { permanent, retryable, type DeliveryError, type Transport } from './transport.ts';

export interface SmtpSettings {
  /** smtps://user:password@host[:port] or smtp://user:password@host[:port] (STARTTLS). */
  url: string;
  /** The From address, e.g. "Safeguarding Partner Portal <no-reply@council.example.gov.uk>". */
  from: string;
  /** A PEM file of extra certificate authorities to trust. */
  caFile?: string;
  /** Longest wait for connecting, the greeting and each reply; default 15 s (the lease is 60 s). */
  timeoutMs?: number;
}

/** The host, port and security an SMTP_URL names, without its credentials (for the docs and logs). */
export function smtpEndpoint(url: string): { host: string; port: number; secure: boolean } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtps:' && parsed.protocol !== 'smtp:') throw new Error('SMTP_URL must start with smtps:// or smtp://');
  const secure = parsed.protocol === 'smtps:';
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : secure ? 465 : 587, secure };
}

export function smtpTransport(settings: SmtpSettings): Transport & { close: () => void } {
  const parsed = new URL(settings.url);
  const { host, port, secure } = smtpEndpoint(settings.url);
  const timeout = settings.timeoutMs ?? 15_000;
  const extraCa = settings.caFile ? [readFileSync(settings.caFile, 'utf8')] : [];
  const mailer = nodemailer.createTransport({
    host,
    port,
    secure,
    // Without TLS from the start, STARTTLS is required: never a message in the clear.
    requireTLS: !secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    tls: {
      // The name the certificate must carry (SNI takes no IP address: an IP is checked as such).
      ...(isIP(host) ? {} : { servername: host }),
      minVersion: 'TLSv1.2',
      // Node's `ca` replaces its trusted roots, so they are passed on with the extra one.
      ...(extraCa.length ? { ca: [...rootCertificates, ...extraCa] } : {}),
    },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // nodemailer's own logging would write addresses; the worker logs what happened.
    logger: false,
    debug: false,
  });
  const fromDomain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'portal.invalid';

  const send: Transport = async ({ outboxId, recipient, subject, body, reference }) => {
    let info;
    try {
      info = await mailer.sendMail({
        from: settings.from,
        to: recipient,
        subject,
        text: body,
        // The same Message-ID at every attempt: a receiving system that removes duplicates by
        // Message-ID (many do) shows a message sent twice after a crash once.
        messageId: `<${reference ?? `outbox-${outboxId}`}@${fromDomain}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        disableFileAccess: true,
        disableUrlAccess: true,
      });
    } catch (error) {
      throw classifySmtpError(error);
    }
    return { provider: 'smtp', providerMessageId: info.messageId };
  };
  return Object.assign(send, { close: () => mailer.close() });
}

/** A reply's enhanced status code ("5.1.1"), digits only: never the text around it. */
function enhancedCode(response: unknown): string | undefined {
  if (typeof response !== 'string') return undefined;
  return /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1];
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** nodemailer's error (code, responseCode, command) in the portal's words: see transport.ts. */
export function classifySmtpError(error: unknown): DeliveryError {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; response?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const reply = typeof e.responseCode === 'number' && e.responseCode >= 200 && e.responseCode < 600 ? e.responseCode : undefined;
  const status = reply ? [reply, enhancedCode(e.response)].filter(Boolean).join(' ') : undefined;
  const command = typeof e.command === 'string' ? e.command.toUpperCase() : '';

  if (code === 'EENVELOPE' || command.startsWith('RCPT') || command.startsWith('MAIL')) {
    const who = command.startsWith('MAIL') ? 'sender address' : 'recipient address';
    if (reply && reply >= 500) return permanent(`${who} rejected (${status})`, reply);
    if (reply && reply >= 400) return retryable(`${who} refused for now (${status})`, undefined, reply);
    return retryable(`${who} not accepted (${code ?? 'no reply code'})`, undefined, code);
  }
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    if (reply && reply >= 400 && reply < 500) return retryable(`SMTP sign-in refused for now (${status})`, undefined, reply);
    return permanent(`SMTP sign-in rejected (${status ?? code})`, reply ?? code);
  }
  if (code === 'ETLS') return retryable('TLS could not be set up with the mail server (ETLS)', undefined, code);
  if (reply && reply >= 500) return permanent(`message refused by the mail server (${status})`, reply);
  if (reply && reply >= 400) return retryable(`mail server busy or refusing for now (${status})`, undefined, reply);
  if (code && CONNECTION_CODES.has(code)) return retryable(`could not reach the mail server, or it dropped the connection (${code})`, undefined, code);
  return retryable(`mail server error (${code && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'unclassified'})`, undefined, code);
}
