// Delivery is visible (issue 18 point 3): information governance's Messages page shows each
// message's kind, recipient's domain (never the address), status and attempts, and a failed one
// can be retried by hand (CSRF-checked, logged); the governance home page counts failures. Every
// other role gets the 404 page for both. Through the real app in process, on a real database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { concernReceivedForFrontDoor, decisionForAllocatedWorker } from '../src/notifications/messages.ts';
import { enqueue } from '../src/notifications/outbox.ts';
import { deliverDue } from '../src/notifications/worker.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { MATRIX_ACCOUNTS } from './support/matrix-accounts.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 10, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
});
afterAll(async () => {
  await app?.close();
});

const PUBLIC_URL = 'https://portal.example.gov.uk';

interface Seeded {
  queued: string;
  sent: string;
  delivered: string;
  failed: string;
  subjects: string[];
}

/** Four messages, one in each status, made the way the worker makes them. */
async function seed(): Promise<Seeded> {
  const sql = db().sql;
  await sql`delete from outbox`;
  const texts = [1, 2, 3, 4].map((n) => concernReceivedForFrontDoor({ reference: `SPP-2026-00010${n}`, publicUrl: PUBLIC_URL }));
  const recipients = ['amelia.okonkwo@riverside-school.example.org', 'front.door@council.example.gov.uk', 'sw.priya@council.example.gov.uk', 'dsl.hill@hillside-academy.example.org'];
  for (const [i, text] of texts.entries()) {
    await enqueue(sql, { kind: i === 2 ? 'decision_for_allocated_worker' : 'concern_received', recipient: recipients[i]!, ...(i === 2 ? decisionForAllocatedWorker({ reference: 'SPP-2026-000103', publicUrl: PUBLIC_URL }) : text), dedupeKey: `page-${i}` });
  }
  const ids = (await sql<{ id: string }[]>`select id::text as id from outbox order by id`).map((r) => r.id) as [string, string, string, string];
  // Sent (2 and 3), and 3 confirmed delivered by the provider; 4 refused permanently; 1 still queued after a 429.
  await deliverDue(sql, async ({ outboxId }) => {
    if (outboxId === ids[0]) throw Object.assign(new Error('rate limited'), { code: 'E429' });
    if (outboxId === ids[3]) {
      const { permanent } = await import('../src/notifications/transport.ts');
      throw permanent('recipient address rejected (550 5.1.1)', 550);
    }
    return { provider: 'notify', providerMessageId: `notify-${outboxId}` };
  });
  await sql`update outbox set confirmed_at = now() where id = ${ids[2]}::bigint`;
  return { queued: ids[0], sent: ids[1], delivered: ids[2], failed: ids[3], subjects: texts.map((t) => t.subject) };
}

const notFoundPage = async (sub: string) => (await (await as(sub)).get('/no-such-page')).html;

describe('the Messages page', () => {
  let seeded: Seeded;
  beforeEach(async () => {
    seeded = await seed();
  });

  it('shows each message’s kind, recipient’s domain, status with reason, and attempts; never an address or the text', async () => {
    const page = await (await as('info-governance')).get('/governance/messages');
    expect(page.status).toBe(200);
    expect(page.res.headers.get('cache-control')).toBe('no-store');
    const row = (id: string) => new RegExp(`<li class="govuk-summary-card" data-message="${id}">([\\s\\S]*?)</li>`).exec(page.html)?.[1] ?? '';
    const text = (html: string | undefined) => (html ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const fields = (id: string) => ({
      kind: text(/<h3 class="govuk-summary-card__title">([\s\S]*?)<\/h3>/.exec(row(id))?.[1]),
      ...Object.fromEntries(['domain', 'status', 'attempts'].map((f) => [f, text(new RegExp(`data-field="${f}">([\\s\\S]*?)</dd>`).exec(row(id))?.[1])])),
    });

    expect(fields(seeded.queued)).toEqual({ kind: 'New concern, to the front door', domain: 'riverside-school.example.org', status: 'Queued Last attempt: unexpected error (E429)', attempts: '1' });
    expect(fields(seeded.sent)).toEqual({ kind: 'New concern, to the front door', domain: 'council.example.gov.uk', status: 'Sent by GOV.UK Notify', attempts: '1' });
    expect(fields(seeded.delivered)).toEqual({ kind: 'Front door decision, to the allocated social worker', domain: 'council.example.gov.uk', status: 'Delivered by GOV.UK Notify', attempts: '1' });
    expect(fields(seeded.failed)).toEqual({ kind: 'New concern, to the front door', domain: 'hillside-academy.example.org', status: 'Failed Reason: recipient address rejected (550 5.1.1)', attempts: '1' });
    expect(row(seeded.failed)).toContain(`action="/governance/messages/${seeded.failed}/retry"`);
    for (const id of [seeded.queued, seeded.sent, seeded.delivered]) expect(row(id)).not.toContain('/retry');

    // Counts by status.
    for (const status of ['queued', 'sent', 'delivered', 'failed']) expect(page.html).toContain(`data-count="${status}">1<`);
    // No address, no mailbox, no subject or body.
    for (const secret of ['@', 'amelia.okonkwo', 'front.door', 'sw.priya', 'dsl.hill', ...seeded.subjects, 'Sign in']) expect(page.html).not.toContain(secret);
  });

  it('filters by status', async () => {
    const page = await (await as('info-governance')).get('/governance/messages?status=failed');
    expect([...page.html.matchAll(/data-message="(\d+)"/g)].map((m) => m[1])).toEqual([seeded.failed]);
    const all = await (await as('info-governance')).get('/governance/messages?status=nonsense');
    expect([...all.html.matchAll(/data-message="(\d+)"/g)]).toHaveLength(4);
  });

  it('retries a failed message by hand: queued afresh with a new provider reference, logged, CSRF-checked', async () => {
    const client = await as('info-governance');
    const page = await client.get('/governance/messages');
    const token = hiddenField(page.html, 'csrf_token')!;

    // Without the session's token: refused, nothing changes.
    const forged = await client.post(`/governance/messages/${seeded.failed}/retry`, { csrf_token: 'not-the-token' });
    expect(forged.status).toBe(403);
    expect((await db().sql`select failed_at from outbox where id = ${seeded.failed}::bigint`)[0]!.failed_at).not.toBeNull();

    const retried = await client.post(`/governance/messages/${seeded.failed}/retry`, { csrf_token: token });
    expect(retried.status).toBe(303);
    expect(retried.res.headers.get('location')).toBe(`/governance/messages?retried=${seeded.failed}`);
    const [row] = await db().sql<{ failed: boolean; attempts: number; retries_by_hand: number; due: boolean }[]>`
      select failed_at is not null as failed, attempts, retries_by_hand, available_at <= now() as due from outbox where id = ${seeded.failed}::bigint`;
    expect(row).toEqual({ failed: false, attempts: 0, retries_by_hand: 1, due: true });
    const log = app.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'message retried by hand');
    expect(log).toEqual([expect.objectContaining({ outboxId: seeded.failed, userId: expect.any(String) })]);
    expect(app.logLines.join('\n')).not.toContain('hillside-academy');

    const after = await client.get(`/governance/messages?retried=${seeded.failed}`);
    expect(after.html).toContain('The message is queued to be sent again.');

    // The worker sends it again, with a reference of its own (Notify would otherwise find the failed one).
    const references: string[] = [];
    expect(await deliverDue(db().sql, async ({ reference }) => {
      references.push(reference!);
      return { provider: 'notify', providerMessageId: 'again' };
    })).toBe(1); // the queued one is still backing off
    expect(references).toEqual([`spp-outbox-${seeded.failed}-r1`]);

    // A message that has not failed (or does not exist) cannot be retried: the 404 page.
    for (const id of [seeded.sent, '999999', 'abc']) {
      const refused = await client.post(`/governance/messages/${id}/retry`, { csrf_token: token });
      expect(refused.status, id).toBe(404);
    }
  });

  it('is information governance’s only: every other role gets the 404 page, and cannot retry', async () => {
    for (const { sub, role } of MATRIX_ACCOUNTS) {
      const client = await as(sub);
      const page = await client.get('/governance/messages');
      if (role === 'council.information_governance') {
        expect(page.status, sub).toBe(200);
        continue;
      }
      const retry = await client.post(`/governance/messages/${seeded.failed}/retry`, {});
      expect(page.status, sub).toBe(404);
      expect(page.html, sub).toBe(await notFoundPage(sub));
      expect(retry.status, sub).toBe(404);
    }
    expect((await db().sql`select failed_at from outbox where id = ${seeded.failed}::bigint`)[0]!.failed_at).not.toBeNull();
  });
});

describe('the governance home page', () => {
  it('says how many e-mails failed, linking to them; other roles’ home pages say nothing of it', async () => {
    await seed();
    await db().sql`update outbox set failed_at = now(), failure_reason = 'GOV.UK Notify rejected the API key (403 AuthError)' where failed_at is null and delivered_at is null`;
    let home = await (await as('info-governance')).get('/');
    expect(/data-testid="failed-messages">([\s\S]*?)<\/p>/.exec(home.html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())
      .toBe('Failed 2 e-mails could not be sent');
    expect(home.html).toContain('href="/governance/messages?status=failed"');

    await db().sql`delete from outbox where failed_at is not null`;
    home = await (await as('info-governance')).get('/');
    expect(home.html).toMatch(/data-testid="failed-messages">No e-mails have failed to send\./);

    for (const sub of ['front-door', 'sw-priya-desai', 'dsl-riverside']) {
      expect((await (await as(sub)).get('/')).html, sub).not.toContain('failed-messages');
    }
  });
});
