// permit() opens a route to those the policy allows and answers everyone else as "not found".
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.ts';
import type { Role } from '../../auth/roles.ts';
import { paths } from '../../paths.ts';
import { loadPolicies, type Policies } from '../../policy/load.ts';
import type { AppEnv } from '../../web/env.ts';
import { actor } from '../actor/index.ts';
import { permit } from './index.ts';

const db = useTestDatabase({ migrate: false });
let policies: Policies;
beforeAll(async () => {
  policies = await loadPolicies(paths.policies);
});

function appFor(role: Role | null) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('requestId', 'request-1');
    c.set('viewData', {});
    c.set('session', role ? {
      idHash: Buffer.alloc(32), userId: 'u', issuer: 'i', subject: 's', userName: 'n', email: null, providerId: 'p',
      organisationId: '22222222-2222-4222-8222-222222222222', organisationName: 'o', role, roleAssignments: [],
      trainingCompletedOn: '2026-01-01', csrfToken: 't', idToken: null, socialWorkerId: null, teamId: null,
    } : undefined);
    await next();
  });
  app.use(actor({ sql: db().sql, policies, publicUrl: 'http://127.0.0.1' }));
  app.get('/queue', permit('read', 'FrontDoorQueue'), (c) => c.text('the queue'));
  app.notFound((c) => c.text('Page not found', 404));
  return app;
}

describe('permit()', () => {
  it('lets through a role whose policy allows it', async () => {
    const response = await appFor('council.front_door').request('/queue');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('the queue');
  });

  it('answers any other role, and nobody signed in, exactly as an unknown address', async () => {
    for (const role of ['education.dsl', 'council.social_worker', 'council.information_governance', null] as const) {
      const response = await appFor(role).request('/queue');
      expect(response.status, String(role)).toBe(404);
      expect(await response.text()).toBe('Page not found');
    }
  });
});
