// SMTP delivery end to end (issue 18 point 2): the outbox's worker sends through the SMTP
// transport to real SMTP servers this file starts on loopback (smtp-server, from the npm
// registry), with TLS under a certificate made for the test by openssl and trusted only through
// SMTP_CA_FILE's setting. What the server received is checked as it received it; refusals
// (5xx, 4xx), a refused sign-in, no STARTTLS, an untrusted certificate and a connection dropped
// mid-message are each handled as the outbox promises.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { concernReceivedForFrontDoor } from '../src/notifications/messages.ts';
import { enqueue } from '../src/notifications/outbox.ts';
import { smtpTransport } from '../src/notifications/smtp-transport.ts';
import { deliverDue } from '../src/notifications/worker.ts';
import { useTestDatabase } from './support/database.ts';

const db = useTestDatabase();
const USER = 'portal';
const PASSWORD = 'relay password 5%&';
const FROM = 'Safeguarding Partner Portal <no-reply@council.example.gov.uk>';
const RECIPIENT = 'front.door@council.example.gov.uk';

let certDir: string;
let caFile: string;
let key: Buffer;
let cert: Buffer;

beforeAll(() => {
  // A self-signed certificate for 127.0.0.1, made now: node:crypto cannot make certificates.
  certDir = mkdtempSync(path.join(tmpdir(), 'portal-smtp-test-'));
  caFile = path.join(certDir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', path.join(certDir, 'key.pem'), '-out', caFile, '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  key = readFileSync(path.join(certDir, 'key.pem'));
  cert = readFileSync(caFile);
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

interface Received {
  from: string | false;
  to: string[];
  data: string;
  secure: boolean;
  user: unknown;
}

interface TestServer {
  smtp: SMTPServer;
  port: number;
  received: Received[];
  rcptAttempts: number;
  close: () => Promise<void>;
}

/** A real SMTP server on loopback that requires TLS and AUTH; `options` override its behaviour. */
async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<TestServer> {
  const received: Received[] = [];
  const state = { rcptAttempts: 0 };
  const server = new SMTPServer({
    key,
    cert,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH only once the connection is encrypted.
    allowInsecureAuth: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      state.rcptAttempts += 1;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: session.user,
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    smtp: server,
    port,
    received,
    get rcptAttempts() {
      return state.rcptAttempts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The server's open connections (smtp-server keeps them in a set), to cut one on purpose. */
const openConnections = (server: SMTPServer) =>
  (server as unknown as { connections: Set<{ session: SMTPServerSession; _socket: { destroy(): void } }> }).connections;

const url = (port: number, scheme = 'smtp', password = PASSWORD) => `${scheme}://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;

interface Row {
  id: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  provider: string | null;
  provider_message_id: string | null;
  failure_reason: string | null;
  last_error: string | null;
  due_in_seconds: number;
}

async function onlyRow(): Promise<Row> {
  const rows = await db().sql<Row[]>`
    select id::text as id, attempts, provider, provider_message_id, failure_reason, last_error,
           case when failed_at is not null then 'failed' when delivered_at is not null then 'sent' else 'queued' end as status,
           extract(epoch from available_at - now())::float8 as due_in_seconds
    from outbox`;
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

let serial = 0;
async function queueOne(recipient = RECIPIENT) {
  serial += 1;
  const reference = `SPP-2026-${String(serial).padStart(6, '0')}`;
  const text = concernReceivedForFrontDoor({ reference, publicUrl: 'https://portal.example.gov.uk' });
  await enqueue(db().sql, { kind: 'concern_received', recipient, ...text, dedupeKey: `smtp-test:${reference}` });
  return text;
}

/** Delivers with no back-off between attempts, so a retry can be made at once. */
const deliver = (transport: ReturnType<typeof smtpTransport>) => deliverDue(db().sql, transport, { retryDelaySeconds: () => 0 });

beforeEach(async () => {
  await db().sql`delete from sent_messages`;
  await db().sql`delete from outbox`;
});

describe('SMTP transport against a real SMTP server (smtp-server on loopback)', () => {
  it('delivers over STARTTLS with AUTH: the server receives the message as sent, with its headers', async () => {
    const server = await startServer();
    const transport = smtpTransport({ url: url(server.port), from: FROM, caFile });
    try {
      const text = await queueOne();
      expect(await deliver(transport)).toBe(1);

      expect(server.received).toHaveLength(1);
      const [mail] = server.received as [Received];
      expect(mail.secure).toBe(true); // STARTTLS happened before MAIL FROM
      expect(mail.user).toBe(USER);
      expect(mail.from).toBe('no-reply@council.example.gov.uk');
      expect(mail.to).toEqual([RECIPIENT]);
      const split = mail.data.indexOf('\r\n\r\n');
      const headers = mail.data.slice(0, split);
      const body = mail.data.slice(split + 4);
      const row = await onlyRow();
      expect(headers).toMatch(/^From: Safeguarding Partner Portal <no-reply@council\.example\.gov\.uk>$/m);
      expect(headers).toMatch(new RegExp(`^To: ${RECIPIENT.replaceAll('.', '\\.')}$`, 'm'));
      expect(headers).toMatch(new RegExp(`^Subject: ${text.subject}$`, 'm'));
      expect(headers).toMatch(new RegExp(`^Message-ID: <spp-outbox-${row.id}@council\\.example\\.gov\\.uk>$`, 'm'));
      expect(headers).toMatch(/^Auto-Submitted: auto-generated$/m);
      expect(headers).toMatch(/^Content-Type: text\/plain; charset=utf-8$/im);
      expect(body.replace(/\r\n/g, '\n').replace(/=\n/g, '')).toContain(text.body.trim());

      expect(row).toMatchObject({ status: 'sent', attempts: 1, provider: 'smtp', provider_message_id: `<spp-outbox-${row.id}@council.example.gov.uk>`, failure_reason: null });
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('delivers over TLS from the start (smtps://)', async () => {
    const server = await startServer({ secure: true });
    const transport = smtpTransport({ url: url(server.port, 'smtps'), from: FROM, caFile });
    try {
      await queueOne();
      expect(await deliver(transport)).toBe(1);
      expect(server.received.map((m) => m.secure)).toEqual([true]);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('sends nothing in the clear: a server that offers no STARTTLS is not sent to, and the message waits', async () => {
    const server = await startServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    const transport = smtpTransport({ url: url(server.port), from: FROM, caFile });
    try {
      await queueOne();
      expect(await deliver(transport)).toBe(0);
      expect(server.received).toEqual([]);
      const row = await onlyRow();
      expect(row.status).toBe('queued');
      expect(row.last_error).toMatch(/^(TLS could not be set up|could not reach the mail server)/);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('verifies the certificate: without SMTP_CA_FILE the self-signed server is not trusted', async () => {
    const server = await startServer();
    const transport = smtpTransport({ url: url(server.port), from: FROM });
    try {
      await queueOne();
      expect(await deliver(transport)).toBe(0);
      expect(server.received).toEqual([]);
      expect(await onlyRow()).toMatchObject({ status: 'queued', attempts: 1 });
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('a 5xx refusal of the recipient fails the message with its reason (no address), and it is not retried', async () => {
    const server = await startServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error(`5.1.1 <${RECIPIENT}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      },
    });
    const transport = smtpTransport({ url: url(server.port), from: FROM, caFile });
    try {
      await queueOne();
      expect(await deliver(transport)).toBe(0);
      const row = await onlyRow();
      expect(row.status).toBe('failed');
      expect(row.failure_reason).toMatch(/^recipient address rejected \(550\b/);
      for (const text of [row.failure_reason, row.last_error]) {
        expect(text).not.toContain('@');
        expect(text).not.toContain('front.door');
      }
      // Not tried again.
      expect(await deliver(transport)).toBe(0);
      expect((await onlyRow()).attempts).toBe(1);
      expect(server.received).toEqual([]);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('a 5xx refusal of the message at the end of DATA fails it; a 4xx one is retried after a back-off', async () => {
    let reply = 554;
    const server = await startServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Message refused'), { responseCode: reply })));
      },
    });
    const transport = smtpTransport({ url: url(server.port), from: FROM, caFile });
    try {
      await queueOne();
      expect(await deliver(transport)).toBe(0);
      expect(await onlyRow()).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^message refused by the mail server \(554/) });

      await db().sql`delete from outbox`;
      reply = 451;
      await queueOne();
      expect(await deliverDue(db().sql, transport)).toBe(0);
      const row = await onlyRow();
      expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: expect.stringMatching(/^mail server busy or refusing for now \(451/) });
      expect(row.due_in_seconds).toBeGreaterThan(1); // the worker's back-off: 2 s after the first attempt
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('a rejected sign-in fails the message as permanent, naming the cause', async () => {
    const server = await startServer();
    const transport = smtpTransport({ url: url(server.port, 'smtp', 'wrong password'), from: FROM, caFile });
    try {
      await queueOne();
      expect(await deliver(transport)).toBe(0);
      expect(await onlyRow()).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^SMTP sign-in rejected \(535/) });
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('a connection dropped in the middle of a message is retried, and the message then arrives once', async () => {
    let drop = true;
    const arrived: string[] = [];
    const target: TestServer = await startServer({
      onData(stream, session, callback) {
        if (drop) {
          // The first time, the connection is cut as the message's data starts to arrive.
          drop = false;
          stream.once('data', () => {
            for (const connection of openConnections(target.smtp)) if (connection.session.id === session.id) connection._socket.destroy();
          });
          stream.resume();
          return;
        }
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          arrived.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    const transport = smtpTransport({ url: url(target.port), from: FROM, caFile, timeoutMs: 5000 });
    try {
      await queueOne();
      expect(await deliver(transport)).toBe(0);
      expect(await onlyRow()).toMatchObject({
        status: 'queued', attempts: 1,
        last_error: expect.stringMatching(/^could not reach the mail server, or it dropped the connection \((ECONNECTION|ESOCKET|ECONNRESET|EPIPE)\)$/),
      });
      expect(await deliver(transport)).toBe(1);
      expect(arrived).toHaveLength(1);
      expect(await onlyRow()).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      transport.close();
      await target.close();
    }
  });
});
