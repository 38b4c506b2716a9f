// Which transport delivers the outbox, from the configuration (docs/notifications.md):
//   NOTIFY_API_KEY (+ a template id per kind)  GOV.UK Notify
//   SMTP_URL (+ SMTP_FROM, SMTP_CA_FILE)        the council's SMTP relay
//   neither                                    the development transport: records messages in
//                                              sent_messages and sends nothing. Refused in
//                                              production, where the server will not start.
// src/config/config.ts checks each variable and that they fit together; this adds the one rule
// that depends on NODE_ENV and the transport chosen.
import type { Config } from '../config/config.ts';
import { ConfigError } from '../config/config.ts';
import type { Sql } from '../db/connect.ts';
import { messageKindNames, messageKinds } from './kinds.ts';
import { notifyTransport, type NotifySettings } from './notify-transport.ts';
import { smtpTransport, type SmtpSettings } from './smtp-transport.ts';
import type { StatusCheck, Transport } from './transport.ts';
import { developmentTransport } from './worker.ts';

export type MailSettings =
  | { transport: 'notify'; notify: NotifySettings }
  | { transport: 'smtp'; smtp: SmtpSettings }
  | { transport: 'development' };

type MailConfig = Pick<Config, 'NODE_ENV' | 'NOTIFY_API_KEY' | 'NOTIFY_BASE_URL' | 'SMTP_URL' | 'SMTP_FROM' | 'SMTP_CA_FILE'> & Partial<Config>;

/** The transport the configuration selects. Throws a ConfigError in production without a real one. */
export function mailSettings(config: MailConfig): MailSettings {
  if (config.NOTIFY_API_KEY) {
    const templates: Record<string, string> = {};
    for (const kind of messageKindNames) {
      const id = config[messageKinds[kind].notifyTemplateVariable as keyof Config];
      if (typeof id !== 'string') throw new ConfigError(`Invalid configuration in the environment:\n  ${messageKinds[kind].notifyTemplateVariable}: is required with NOTIFY_API_KEY`);
      templates[kind] = id;
    }
    return { transport: 'notify', notify: { apiKey: config.NOTIFY_API_KEY, templates, baseUrl: config.NOTIFY_BASE_URL } };
  }
  if (config.SMTP_URL && config.SMTP_FROM) {
    return { transport: 'smtp', smtp: { url: config.SMTP_URL, from: config.SMTP_FROM, caFile: config.SMTP_CA_FILE } };
  }
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration in the environment:\n' +
        '  NOTIFY_API_KEY or SMTP_URL: one is required in production (without either the portal e-mails no one; see docs/notifications.md)',
    );
  }
  return { transport: 'development' };
}

/** For entry points: print the problem and exit 1, as loadConfigOrExit does. */
export function mailSettingsOrExit(config: MailConfig): MailSettings {
  try {
    return mailSettings(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export interface Mail {
  name: MailSettings['transport'];
  send: Transport;
  /** Where the provider says whether a message arrived (Notify). */
  statusCheck?: { provider: string; check: StatusCheck };
  close: () => void;
}

/** The transport itself, ready for startNotificationWorker. */
export function mailFor(settings: MailSettings, sql: Sql): Mail {
  switch (settings.transport) {
    case 'notify': {
      const notify = notifyTransport(settings.notify);
      return { name: 'notify', send: notify.send, statusCheck: { provider: 'notify', check: notify.status }, close: () => {} };
    }
    case 'smtp': {
      const smtp = smtpTransport(settings.smtp);
      return { name: 'smtp', send: smtp, close: smtp.close };
    }
    case 'development':
      return { name: 'development', send: developmentTransport(sql), close: () => {} };
  }
}
