// Every kind of e-mail, as each real transport sends it, carries no child details (issue 18
// point 1). Each kind enqueued anywhere in src/ must be listed in src/notifications/kinds.ts;
// each listed kind's texts are built with a child's details offered alongside (a careless
// caller), queued, and delivered through the SMTP transport to a real SMTP server on loopback
// and through the Notify transport to the recorded contract of Notify's API; what arrived is
// searched for the details.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageKindNames, messageKinds } from '../src/notifications/kinds.ts';
import { notifyTransport } from '../src/notifications/notify-transport.ts';
import { assertNoChildDetails, enqueue } from '../src/notifications/outbox.ts';
import { smtpTransport } from '../src/notifications/smtp-transport.ts';
import { deliverDue } from '../src/notifications/worker.ts';
import { paths } from '../src/paths.ts';
import { useTestDatabase } from './support/database.ts';
import { API_KEY, startNotifyContractServer, type NotifyContractServer, fakeTemplateId } from './support/notify-contract.ts';

const db = useTestDatabase();

const childDetails = {
  forename: 'Amelia',
  surname: 'Okonkwo-Whitfield',
  dateOfBirth: '2015-04-03',
  dateOfBirthUk: '03/04/2015',
  nhsNumber: '9434765919',
  upn: 'A801200200001',
  address: '14 Larch Crescent',
  postcode: 'LS6 2QT',
  school: 'Moorside Primary School',
  concern: 'Bruising seen on her arm',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

it('every kind the portal enqueues is a listed kind (with its Notify template variable)', () => {
  const enqueued = new Set<string>();
  for (const file of sourceFiles(path.join(paths.root, 'src'))) {
    const source = readFileSync(file, 'utf8');
    for (const call of source.matchAll(/enqueue\(tx,\s*\{[\s\S]{0,200}?kind:\s*'([a-z_]+)'/g)) enqueued.add(call[1]!);
  }
  expect(enqueued.size).toBeGreaterThan(5);
  expect([...enqueued].filter((kind) => !(messageKindNames as string[]).includes(kind))).toEqual([]);
});

let certDir: string;
let smtp: SMTPServer;
let smtpPort: number;
const arrived: string[] = [];
let notify: NotifyContractServer;

beforeAll(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), 'portal-kinds-test-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  smtp = new SMTPServer({
    key: readFileSync(path.join(certDir, 'key.pem')),
    cert: readFileSync(path.join(certDir, 'cert.pem')),
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'portal' }),
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        arrived.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  notify = await startNotifyContractServer();
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await notify?.close();
  rmSync(certDir, { recursive: true, force: true });
});

it('no kind of e-mail carries a child’s details, as sent over SMTP and to GOV.UK Notify (recorded contract)', async () => {
  let queued = 0;
  for (const kind of messageKindNames) {
    // messageKinds' examples call the real templates; the child's details offered beside the
    // template's input must not get through.
    const texts = messageKinds[kind].examples('https://portal.example.gov.uk', childDetails);
    expect(texts.length, kind).toBeGreaterThan(0);
    for (const [i, text] of texts.entries()) {
      for (const value of Object.values(childDetails)) expect(`${text.subject}\n${text.body}`, kind).not.toContain(value);
      await enqueue(db().sql, { kind, recipient: 'someone@council.example.gov.uk', ...text, dedupeKey: `${kind}:${i}` });
      queued += 1;
    }
  }

  const overSmtp = smtpTransport({ url: `smtp://portal:secret@127.0.0.1:${smtpPort}`, from: 'no-reply@council.example.gov.uk', caFile: path.join(certDir, 'cert.pem') });
  try {
    expect(await deliverDue(db().sql, overSmtp, { batchSize: 50 })).toBe(queued);
  } finally {
    overSmtp.close();
  }
  await db().sql`update outbox set delivered_at = null, provider = null, provider_message_id = null, attempts = 0`;
  const templates = Object.fromEntries(messageKindNames.map((kind, i) => [kind, fakeTemplateId(i)]));
  const toNotify = notifyTransport({ apiKey: API_KEY, templates, baseUrl: notify.baseUrl });
  expect(await deliverDue(db().sql, toNotify.send, { batchSize: 50 })).toBe(queued);

  expect(arrived).toHaveLength(queued);
  expect(notify.notifications).toHaveLength(queued);
  expect(notify.violations).toEqual([]);
  const sent = [...arrived, ...notify.notifications.map((n) => JSON.stringify(n.personalisation))];
  for (const message of sent) {
    for (const value of Object.values(childDetails)) expect(message).not.toContain(value);
  }
  for (const n of notify.notifications) {
    expect(Object.keys(n.personalisation).sort()).toEqual(['body', 'subject']);
    assertNoChildDetails(n.personalisation.subject!);
    assertNoChildDetails(n.personalisation.body!);
  }
});
