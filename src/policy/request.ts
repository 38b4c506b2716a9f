// The signed-in user's ability for this request, built once per request from the policies.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../web/env.ts';
import { buildAbility, type PolicyUser, type PortalAbility } from './ability.ts';
import type { Policies } from './load.ts';

export function policyUserOf(c: Context<AppEnv>): PolicyUser | undefined {
  const session = c.get('session');
  if (!session?.role || !session.organisationId) return undefined;
  return {
    role: session.role,
    organisationId: session.organisationId,
    socialWorkerId: session.socialWorkerId,
    teamId: session.teamId,
    trainingCompleted: session.trainingCompletedOn !== null,
  };
}

/** Sets c.var.ability (when signed in with a role) and the navigation it allows. */
export function withAbility(policies: Policies): MiddlewareHandler<AppEnv> {
  return async function attachAbility(c, next) {
    const user = policyUserOf(c);
    if (user) {
      const ability = buildAbility(policies, user);
      c.set('ability', ability);
      c.set('viewData', { ...c.get('viewData'), navigation: navigationFor(ability, user) });
    }
    await next();
  };
}

function navigationFor(ability: PortalAbility, user: PolicyUser) {
  const items: Array<{ href: string; text: string }> = [];
  if (ability.can('read', 'Child')) items.push({ href: '/children', text: user.role.startsWith('council.') ? 'Children' : 'Your children' });
  if (ability.can('lookup', 'Child')) items.push({ href: '/lookup', text: 'Look up a child' });
  if (!user.role.startsWith('council.') && ability.can('read', 'Concern')) {
    items.push({ href: '/concerns/new', text: 'Raise a concern' }, { href: '/submissions', text: 'Your submissions' });
  }
  if (ability.can('decide', 'Concern')) items.push({ href: '/front-door', text: 'Front door' });
  if (ability.can('read', 'AccessLog')) items.push({ href: '/governance/access-log', text: 'Access log' });
  if (ability.can('read', 'ViewAs')) items.push({ href: '/governance/view-as', text: 'View as' });
  if (ability.can('create', 'TrainingRecord')) items.push({ href: '/training', text: 'Training records' });
  return items;
}

export function abilityOf(c: Context<AppEnv>): PortalAbility | undefined {
  return c.get('ability');
}
