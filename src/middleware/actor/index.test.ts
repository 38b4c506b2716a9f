// The actor middleware makes the Actor, the gateway and the navigation once per request, from
// the session and the real policy files.
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.ts';
import type { Role } from '../../auth/roles.ts';
import type { Session } from '../../auth/sessions.ts';
import { paths } from '../../paths.ts';
import { loadPolicies, type Policies } from '../../policy/load.ts';
import type { AppEnv } from '../../web/env.ts';
import { countsShown, navigationHrefs } from '../../web/navigation.ts';
import { actor } from './index.ts';

// Migrated: the navigation's counts (the front door's waiting concerns) are read from the concerns table.
const db = useTestDatabase();
let policies: Policies;
beforeAll(async () => {
  policies = await loadPolicies(paths.policies);
});

function sessionAs(role: Role | null, trained = true): Session {
  return {
    idHash: Buffer.alloc(32), userId: '11111111-1111-4111-8111-111111111111', issuer: 'https://idp.example/', subject: 'someone',
    userName: 'Sam Example', email: 'sam@example.org', providerId: 'dev', organisationId: role ? '22222222-2222-4222-8222-222222222222' : null,
    organisationName: role ? 'Riverside Primary' : null, role, roleAssignments: [], trainingCompletedOn: trained ? '2026-01-01' : null,
    csrfToken: 'token', idToken: null, socialWorkerId: null, teamId: null,
  };
}

/** Runs the middleware for a request with this session; returns what it put on the context. */
async function through(session: Session | undefined, path = '/', navigationCounts = false) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('requestId', 'request-1');
    c.set('viewData', {});
    c.set('session', session);
    await next();
  });
  app.use(actor({ sql: db().sql, policies, publicUrl: 'http://127.0.0.1', navigationCounts }));
  let seen: { actor: AppEnv['Variables']['actor']; access: AppEnv['Variables']['access']; navigation: unknown } | undefined;
  app.get('*', (c) => {
    seen = { actor: c.var.actor, access: c.var.access, navigation: c.var.viewData.navigation };
    return c.body(null, 204);
  });
  expect((await app.request(path)).status).toBe(204);
  return seen!;
}

const texts = (navigation: unknown) => (navigation as Array<{ text: string }>).map((item) => item.text);

describe('actor()', () => {
  it('makes one actor from the session, with the request id', async () => {
    const { actor: who, access } = await through(sessionAs('education.dsl'));
    expect(who).toMatchObject({ role: 'education.dsl', agency: 'education', name: 'Sam Example', organisationName: 'Riverside Primary', trainingCompleted: true, requestId: 'request-1' });
    expect(access?.actor).toBe(who);
  });

  it('builds the navigation from the policy, role by role', async () => {
    expect(texts((await through(sessionAs('education.dsl'))).navigation)).toEqual(['Your children', 'Raise a concern', 'Your submissions', 'Police notifications']);
    expect(texts((await through(sessionAs('health.emergency_department'))).navigation)).toEqual(['Look up a child', 'Raise a concern', 'Your submissions']);
    expect(texts((await through(sessionAs('council.front_door'))).navigation)).toEqual(['Children', 'Front door', 'Police notifications', 'Case audits']);
    expect(texts((await through(sessionAs('council.information_governance'))).navigation)).toEqual(['Access log', 'Unusual activity', 'View as', 'Training records', 'Messages', 'Police notification figures', 'Case audits', 'Figures']);
    expect(texts((await through(sessionAs('council.data_officer'))).navigation)).toEqual(['Imports']);
    expect(texts((await through(sessionAs('council.quality_lead'))).navigation)).toEqual(['Case audits', 'Figures']);
  });

  it('marks the current page: the item whose href is the path, or the longest that is a prefix of it', async () => {
    const current = async (role: Role, path: string) =>
      ((await through(sessionAs(role), path)).navigation as Array<{ href: string; current: boolean }>).filter((item) => item.current).map((item) => item.href);
    expect(await current('council.front_door', '/children')).toEqual(['/children']);
    expect(await current('council.front_door', '/children/3f2b8c1e-0000-4000-8000-000000000000')).toEqual(['/children']);
    expect(await current('council.front_door', '/front-door')).toEqual(['/front-door']);
    expect(await current('council.front_door', '/')).toEqual([]);
    expect(await current('council.front_door', '/front-doorway')).toEqual([]);
    expect(await current('health.emergency_department', '/lookup')).toEqual(['/lookup']);
    expect(await current('health.emergency_department', '/concerns/new')).toEqual(['/concerns/new']);
    expect(await current('health.emergency_department', '/concerns/SPP-2026-000001')).toEqual([]);
  });

  it('adds no count where there is nothing to count', async () => {
    expect(texts((await through(sessionAs('council.front_door'), '/', true)).navigation)).toEqual(['Children', 'Front door', 'Police notifications', 'Case audits']);
    expect(texts((await through(sessionAs('education.dsl'), '/', true)).navigation)).toContain('Your submissions');
  });

  it('counts only what its navigation shows: a partner’s pages never count the front door’s queue', async () => {
    const shown = async (role: Role) => countsShown(navigationHrefs((await through(sessionAs(role))).access!));
    expect(await shown('education.dsl')).toEqual(['decidedSince', 'encompassWaiting']);
    expect(await shown('health.emergency_department')).toEqual(['decidedSince']);
    expect(await shown('council.front_door')).toEqual(['waiting', 'encompassWaiting']);
    expect(await shown('council.data_officer')).toEqual([]);
  });

  it('a new starter may not raise a concern, and the policy says why', async () => {
    const { access, navigation } = await through(sessionAs('education.deputy_dsl', false));
    expect(access?.can('create', 'Concern')).toBe(false);
    expect(access?.refusal('create', 'Concern')?.reason).toMatch(/read-only until their safeguarding training is recorded/);
    expect(texts(navigation)).toContain('Raise a concern');
  });

  it('a role with no rules for a page is simply not allowed, with no reason to give', async () => {
    const { access } = await through(sessionAs('council.social_worker'));
    expect(access?.can('create', 'Concern')).toBe(false);
    expect(access?.refusal('create', 'Concern')).toBeUndefined();
  });

  it('sets nothing before a role is chosen, or when signed out', async () => {
    expect(await through(sessionAs(null))).toEqual({ actor: undefined, access: undefined, navigation: undefined });
    expect(await through(undefined)).toEqual({ actor: undefined, access: undefined, navigation: undefined });
  });
});
