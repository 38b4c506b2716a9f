// Policies as data: the files load and validate; bad files are refused with file, place and
// reason; and for every demo user and every demo child, the SQL row filter and the CASL
// ability agree on who may see whom.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { identityFromClaims } from '../src/auth/claims.ts';
import { DEMO_ACCOUNTS } from '../src/auth/dev-provider/demo-accounts.ts';
import { startDevelopmentIdentity } from '../src/auth/dev-provider/setup.ts';
import { decideAccess, recordUser } from '../src/auth/users.ts';
import { listChildren } from '../src/access/child-records.ts';
import { createLogger } from '../src/log.ts';
import { paths } from '../src/paths.ts';
import { asChild, asConcern, buildAbility, permittedChildFields, permittedConcernFields, type PolicyUser } from '../src/policy/ability.ts';
import { listConcerns } from '../src/access/concern-records.ts';
import { raiseConcern } from '../src/access/concern-writes.ts';
import { roles } from '../src/auth/roles.ts';
import { randomUUID } from 'node:crypto';
import { loadPolicies, parsePolicyFile, PolicyError, type Policies } from '../src/policy/load.ts';
import { policyFileSchema } from '../src/policy/schema.ts';
import { rowFilter } from '../src/access/rules-to-sql.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';

const db = useTestDatabase();
let policies: Policies;
beforeAll(async () => {
  policies = await loadPolicies(paths.policies);
  await seedDemoData(db().sql, { children: 300, referenceDate: '2026-11-23' });
});

describe('policy files', () => {
  it('cover every role, each rule with a reason and a source', () => {
    expect([...policies.keys()].sort()).toEqual(Object.keys(roles).sort());
    for (const rules of policies.values()) for (const rule of rules) expect(rule.source).toMatch(/\.yaml, [a-z_.]+, rule \d+$/);
  });

  it('refuse a mistake with the file, the place and the reason', () => {
    const bad = `agency: education\nroles:\n  education.dsl:\n    - action: read\n      subject: Child\n      fields: [forename, shoeSize]\n      reason: x\n`;
    expect(() => parsePolicyFile(bad, 'education.yaml')).toThrow(PolicyError);
    expect(() => parsePolicyFile(bad, 'education.yaml')).toThrow(/education\.yaml:\n  at roles\.education\.dsl\.0\.fields\.1 \(line 6\): Invalid option/);
    const wrongAgency = `agency: education\nroles:\n  police.public_protection: []\n`;
    expect(() => parsePolicyFile(wrongAgency, 'education.yaml')).toThrow(/police\.public_protection is not a education role/);
    const unknownCondition = `agency: health\nroles:\n  health.gp:\n    - { action: read, subject: Child, reason: x, conditions: { postcode: NB1 } }\n`;
    expect(() => parsePolicyFile(unknownCondition, 'health.yaml')).toThrow(/conditions.*postcode|Unrecognized key.*postcode/s);
    const noReason = `agency: health\nroles:\n  health.gp:\n    - { action: read, subject: Child }\n`;
    expect(() => parsePolicyFile(noReason, 'health.yaml')).toThrow(/reason/);
  });

  it('policies/policy.schema.json is the JSON Schema of the rules in src/policy/schema.ts', async () => {
    const onDisk = JSON.parse(await readFile(path.join(paths.policies, 'policy.schema.json'), 'utf8'));
    expect(onDisk).toEqual(z.toJSONSchema(policyFileSchema));
  });
});

async function demoPolicyUsers(): Promise<Array<{ sub: string; user: PolicyUser; userId: string; name: string }>> {
  const dev = await startDevelopmentIdentity({ port: 0, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:1', log: createLogger('silent') });
  await dev.close();
  const users = [];
  for (const account of DEMO_ACCOUNTS) {
    const provider = dev.providers.find((p) => p.agency === account.agency)!;
    const identity = identityFromClaims(provider, { iss: dev.issuer, sub: account.sub, ...account.claims });
    const decision = await decideAccess(db().sql, identity);
    if (!decision.allowed) continue;
    const userId = await recordUser(db().sql, identity, decision.assignments);
    const [worker] = await db().sql<{ id: string; team_id: string }[]>`select id, team_id from social_workers where lower(email) = lower(${identity.email ?? ''})`;
    for (const assignment of decision.assignments) {
      const council = assignment.role.startsWith('council.');
      users.push({
        sub: `${account.sub} as ${assignment.role}`,
        userId,
        name: identity.name,
        user: { role: assignment.role, organisationId: assignment.organisationId, socialWorkerId: council ? worker?.id ?? null : null, teamId: council ? worker?.team_id ?? null : null, trainingCompleted: true },
      });
    }
  }
  return users;
}

describe('the SQL filter and the ability agree', () => {
  it('for every demo user and every demo child, for lists and for lookups', async () => {
    const everyone = (await listChildren(db().sql, db().sql`true`, { name: '', status: null, page: 1, pageSize: 100_000 })).rows;
    expect(everyone).toHaveLength(300);
    const users = await demoPolicyUsers();
    expect(users.length).toBeGreaterThanOrEqual(15);
    const seenBySomeone = new Set<string>();
    for (const { sub, user } of users) {
      const ability = buildAbility(policies, user);
      for (const action of ['read', 'lookup'] as const) {
        const bySql = (await listChildren(db().sql, rowFilter(db().sql, ability, action, 'Child'), { name: '', status: null, page: 1, pageSize: 100_000 })).rows.map((r) => r.id).sort();
        const byAbility = everyone.filter((child) => ability.can(action, asChild(child))).map((c) => c.id).sort();
        expect(bySql, `${sub} ${action}`).toEqual(byAbility);
        // Every child the SQL returns has at least one field released.
        for (const child of everyone.filter((c) => bySql.includes(c.id))) {
          expect(permittedChildFields(ability, action, child).length, `${sub} ${action} ${child.id}`).toBeGreaterThan(0);
          seenBySomeone.add(child.id);
        }
      }
    }
    // The demo is not vacuous: partners see some children, and nobody sees a sealed record
    // except its own social worker or team.
    expect(seenBySomeone.size).toBeGreaterThan(100);
  });

  it('agree for conditions that are false as well as true (open, CP-IS status: NOT EXISTS as well as EXISTS)', async () => {
    const everyone = (await listChildren(db().sql, db().sql`true`, { name: '', status: null, page: 1, pageSize: 100_000 })).rows;
    const user = { role: 'health.gp' as const, organisationId: randomUUID(), socialWorkerId: null, teamId: null, trainingCompleted: true };
    for (const conditions of [{ open: false }, { open: true, cpisActive: false }, { cpisActive: true }]) {
      const rules = [{ action: 'read' as const, subject: 'Child' as const, conditions, reason: 'test', source: 'test.yaml, health.gp, rule 1' }];
      const ability = buildAbility(new Map([['health.gp', rules]]) as unknown as Policies, user);
      const bySql = (await listChildren(db().sql, rowFilter(db().sql, ability, 'read', 'Child'), { name: '', status: null, page: 1, pageSize: 100_000 })).rows.map((r) => r.id).sort();
      const byAbility = everyone.filter((child) => ability.can('read', asChild(child))).map((c) => c.id).sort();
      expect(bySql.length, JSON.stringify(conditions)).toBeGreaterThan(0);
      expect(bySql, JSON.stringify(conditions)).toEqual(byAbility);
    }
  });

  it('a list counts up to its limit, and says where there are more', async () => {
    const list = (countLimit: number) => listChildren(db().sql, db().sql`true`, { name: '', status: null, page: 1, pageSize: 25, countLimit });
    expect(await list(300)).toMatchObject({ total: 300, more: false });
    expect(await list(299)).toMatchObject({ total: 299, more: true });
    const capped = await list(100);
    expect(capped).toMatchObject({ total: 100, more: true });
    expect(capped.rows).toHaveLength(25);
  });

  it('a DSL sees only open children on roll at their school, never a sealed one', async () => {
    const users = await demoPolicyUsers();
    const dsl = users.find((u) => u.sub.startsWith('dsl-riverside'))!.user;
    const ability = buildAbility(policies, dsl);
    const rows = (await listChildren(db().sql, rowFilter(db().sql, ability, 'read', 'Child'), { name: '', status: null, page: 1, pageSize: 1000 })).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.open).toBe(true);
      expect(row.sealed).toBe(false);
      expect(row.relationships).toContainEqual({ organisationId: dsl.organisationId, kind: 'enrolled' });
    }
    expect(ability.can('lookup', 'Child')).toBe(false);
  });
});

describe('concerns: the SQL filter and the ability agree', () => {
  it('for every demo user, over concerns raised by every partner organisation', async () => {
    const users = await demoPolicyUsers();
    // One concern from each partner who may raise one, about no known child.
    const raisers = users.filter(({ user }) => roles[user.role].agency !== 'council' && buildAbility(policies, user).can('create', 'Concern'));
    expect(raisers.length).toBeGreaterThanOrEqual(5);
    for (const { user, userId, name } of raisers) {
      await raiseConcern(db().sql, {
        idempotencyKey: randomUUID(), childId: null,
        child: { forename: 'Sam', surname: 'Unknown', dateOfBirth: null, nhsNumber: null, upn: null, address: null, postcode: null },
        category: 'neglect', whatHappened: 'Seen hungry.', happenedOn: '2026-11-20', childWords: null, immediateRisk: false,
        actionsTaken: null, parentsAware: true, parentsNotAwareReason: null, referrerPhone: '01632 960 001', referrerEmail: null,
      }, { ...user, userId, issuer: 'https://idp.example/', subject: userId, name, email: null, agency: roles[user.role].agency, organisationName: 'x', requestId: 'r' },
      { decisionDueAt: new Date(), publicUrl: 'http://127.0.0.1' });
    }
    const query = { status: 'all', submittedByRoles: null, category: null, order: 'newest', page: 1, pageSize: 1000 } as const;
    const everything = (await listConcerns(db().sql, db().sql`true`, query)).rows;
    expect(everything.length).toBe(raisers.length);
    for (const { sub, user } of users) {
      const ability = buildAbility(policies, user);
      const bySql = (await listConcerns(db().sql, rowFilter(db().sql, ability, 'read', 'Concern'), query)).rows.map((r) => r.id).sort();
      const byAbility = everything.filter((row) => ability.can('read', asConcern(row))).map((r) => r.id).sort();
      expect(bySql, sub).toEqual(byAbility);
      // A partner reads only its own organisation's concerns, and never the front door's reasoning.
      if (roles[user.role].agency !== 'council') {
        for (const row of everything.filter((r) => bySql.includes(r.id))) {
          expect(row.organisationId, sub).toBe(user.organisationId);
          expect(permittedConcernFields(ability, 'read', row), sub).not.toContain('decisionRecord');
        }
      }
    }
    const frontDoor = users.find(({ user }) => user.role === 'council.front_door')!;
    expect((await listConcerns(db().sql, rowFilter(db().sql, buildAbility(policies, frontDoor.user), 'read', 'Concern'), query)).rows).toHaveLength(raisers.length);
  });

  it('an unknown subject or condition is refused, never matched', () => {
    const ability = buildAbility(policies, { role: 'council.front_door', organisationId: randomUUID(), socialWorkerId: null, teamId: null, trainingCompleted: true });
    expect(() => rowFilter(db().sql, ability, 'read', 'Notification' as never)).toThrow(/no SQL translation/);
  });
});
