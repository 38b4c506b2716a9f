// Which mail transport the configuration selects (issue 18 point 1): NOTIFY_API_KEY (with a
// template id per kind) selects GOV.UK Notify, SMTP_URL (TLS, with a user and password) the
// council's relay; neither is the development transport, which production refuses: the server
// process exits 1, naming the variables, before it touches a database.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { messageKindNames, messageKinds, notifyTemplateVariables } from '../src/notifications/kinds.ts';
import { mailSettings } from '../src/notifications/mail-settings.ts';
import { spawnServer } from './support/process.ts';
import { fakeTemplateId } from './support/notify-contract.ts';

const KEY = 'portal_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
const templates = Object.fromEntries(notifyTemplateVariables.map((variable, i) => [variable, fakeTemplateId(i)]));
const production = { NODE_ENV: 'production', OIDC_PROVIDERS_FILE: 'p.yaml', PUBLIC_URL: 'https://portal.example' };

describe('mail settings', () => {
  it('NOTIFY_API_KEY with every template id selects GOV.UK Notify, each kind with its own template', () => {
    const settings = mailSettings(loadConfig({ ...production, NOTIFY_API_KEY: KEY, ...templates }));
    expect(settings.transport).toBe('notify');
    if (settings.transport !== 'notify') return;
    expect(settings.notify.apiKey).toBe(KEY);
    expect(Object.keys(settings.notify.templates).sort()).toEqual([...messageKindNames].sort());
    for (const kind of messageKindNames) expect(settings.notify.templates[kind]).toBe(templates[messageKinds[kind].notifyTemplateVariable]);
  });

  it('SMTP_URL with SMTP_FROM selects the SMTP relay', () => {
    const settings = mailSettings(loadConfig({ ...production, SMTP_URL: 'smtps://portal:secret@relay.council.example:465', SMTP_FROM: 'Portal <no-reply@council.example>', SMTP_CA_FILE: '/etc/portal/ca.pem' }));
    expect(settings).toEqual({ transport: 'smtp', smtp: { url: 'smtps://portal:secret@relay.council.example:465', from: 'Portal <no-reply@council.example>', caFile: '/etc/portal/ca.pem' } });
  });

  it('neither is the development transport, outside production only', () => {
    expect(mailSettings(loadConfig({}))).toEqual({ transport: 'development' });
    expect(() => mailSettings(loadConfig(production))).toThrow(ConfigError);
    expect(() => mailSettings(loadConfig(production))).toThrow(/NOTIFY_API_KEY or SMTP_URL: one is required in production/);
  });

  it('checks the variables and that they fit together, never echoing a secret', () => {
    expect(() => loadConfig({ NOTIFY_API_KEY: 'not-a-key' })).toThrow(/NOTIFY_API_KEY: must be a GOV.UK Notify API key/);
    const missing = (() => {
      try {
        loadConfig({ NOTIFY_API_KEY: KEY });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const variable of notifyTemplateVariables) expect(missing).toContain(`${variable}: is required with NOTIFY_API_KEY`);
    expect(missing).not.toContain('3d844edf');
    expect(() => loadConfig({ NOTIFY_API_KEY: KEY, ...templates, NOTIFY_TEMPLATE_CONCERN_DECIDED: 'concern-decided' })).toThrow(/NOTIFY_TEMPLATE_CONCERN_DECIDED: must be a GOV.UK Notify template id/);
    expect(() => loadConfig({ NOTIFY_API_KEY: KEY, ...templates, SMTP_URL: 'smtps://u:p@relay', SMTP_FROM: 'a@b.example' })).toThrow(/SMTP_URL: set NOTIFY_API_KEY or SMTP_URL, not both/);
    expect(() => loadConfig({ SMTP_URL: 'smtps://u:p@relay' })).toThrow(/SMTP_FROM: is required with SMTP_URL/);
    // TLS and AUTH: no other scheme, and a user and password.
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'http://portal:hunter2@relay', SMTP_FROM: 'a@b.example' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SMTP_URL: must be smtps:\/\//);
    expect(message).not.toContain('hunter2');
    expect(() => loadConfig({ SMTP_URL: 'smtp://relay.council.example:587', SMTP_FROM: 'a@b.example' })).toThrow(/with a user and password/);
    expect(() => loadConfig({ SMTP_URL: 'smtps://u:p@relay', SMTP_FROM: 'not an address' })).toThrow(/SMTP_FROM/);
  });

  it('the configuration lists a template variable for every kind, and nothing else', () => {
    const env = Object.keys(loadConfig({ NOTIFY_API_KEY: KEY, ...templates })).filter((key) => key.startsWith('NOTIFY_TEMPLATE_'));
    expect(env.sort()).toEqual([...notifyTemplateVariables].sort());
  });
});

it('production without a real mail transport will not start: the process exits 1 and says why', async () => {
  // No DATABASE_URL: the refusal comes before any database is opened.
  const server = await spawnServer({ ...production, OIDC_PROVIDERS_FILE: '/nonexistent/providers.yaml' });
  try {
    expect(await server.exited).toBe(1);
    expect(server.output.join('\n')).toMatch(/NOTIFY_API_KEY or SMTP_URL: one is required in production/);
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
});
