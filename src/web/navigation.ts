// The service navigation: each item appears when the policy speaks of what it leads to, so a
// role sees exactly the pages its rules open (or, like "Raise a concern" for a new starter,
// refuse with a reason the page explains).
import type { Access } from '../access/index.ts';
import type { Action } from '../policy/ability.ts';
import type { CapabilitySubject, RecordSubject } from '../policy/subjects.ts';

interface Item {
  href: string;
  text: string;
  /** The rule that opens the page. */
  needs: [Action, CapabilitySubject | RecordSubject];
  /** Shown also where the policy refuses it with a reason the page gives. */
  orExplained?: boolean;
}

const items: Item[] = [
  { href: '/children', text: 'Children', needs: ['read', 'Child'] },
  { href: '/lookup', text: 'Look up a child', needs: ['lookup', 'Child'] },
  { href: '/concerns/new', text: 'Raise a concern', needs: ['create', 'Concern'], orExplained: true },
  { href: '/submissions', text: 'Your submissions', needs: ['read', 'Submissions'] },
  { href: '/encompass', text: 'Domestic abuse notifications', needs: ['create', 'EncompassNotification'], orExplained: true },
  { href: '/front-door', text: 'Front door', needs: ['read', 'FrontDoorQueue'] },
  { href: '/governance/access-log', text: 'Access log', needs: ['read', 'AccessLog'] },
  { href: '/governance/unusual-activity', text: 'Unusual activity', needs: ['read', 'AccessLog'] },
  { href: '/governance/view-as', text: 'View as', needs: ['read', 'ViewAs'] },
  { href: '/training', text: 'Training records', needs: ['read', 'TrainingRecord'] },
  { href: '/governance/messages', text: 'Messages', needs: ['read', 'Messages'] },
  { href: '/imports', text: 'Imports', needs: ['read', 'ImportRun'] },
  { href: '/encompass/inbox', text: 'Police notifications', needs: ['acknowledge', 'EncompassNotification'] },
  { href: '/encompass/figures', text: 'Police notification figures', needs: ['audit', 'EncompassNotification'] },
  { href: '/case-audits', text: 'Case audits', needs: ['read', 'CaseAudit'] },
  { href: '/figures', text: 'Figures', needs: ['read', 'Figures'] },
];

/** A partner's decisions this recent count as new (the navigation's "(1 new)" and the home page). */
export const NEW_DECISION_DAYS = 14;

export interface NavigationItem {
  href: string;
  text: string;
  /** The page being shown is this item's page, or one under it (`aria-current="page"`). */
  current: boolean;
}

/** What the navigation may count: concerns waiting for the front door, new decisions on a partner's submissions. */
export interface NavigationCounts {
  /** Concerns waiting for the front door's decision. */
  waiting?: number;
  /** The actor's organisation's concerns decided in the last NEW_DECISION_DAYS. */
  decidedSince?: number;
  /** Police notifications the actor's school (or the front door) has not yet acknowledged. */
  encompassWaiting?: number;
}

/** The items whose text carries a count: which count, and how it reads. */
const counted: Record<string, { count: keyof NavigationCounts; text: (n: number) => string }> = {
  '/front-door': { count: 'waiting', text: (n) => `(${n})` },
  '/submissions': { count: 'decidedSince', text: (n) => `(${n} new)` },
  '/encompass/inbox': { count: 'encompassWaiting', text: (n) => `(${n})` },
};

/**
 * The counts the items of these hrefs show, so the caller counts only those: each is a query on
 * every page, and a partner's page has no use for the front door's queue.
 */
export const countsShown = (hrefs: readonly string[]): Array<keyof NavigationCounts> =>
  hrefs.flatMap((href) => (counted[href] ? [counted[href].count] : []));

/** The hrefs of the pages the policy opens (or explains) for this actor, in order. */
export function navigationHrefs(access: Access): string[] {
  return items
    .filter(({ needs: [action, subject], orExplained }) => access.can(action, subject) || (orExplained && access.refusal(action, subject) !== undefined))
    .map(({ href }) => href);
}

/**
 * The navigation for this actor. `path` is the page being shown: the item whose href is that path,
 * or the longest href that is a prefix of it (at a "/"), is the current one. `counts`, where
 * given, are added to the items that show them.
 */
export function navigationFor(access: Access, path = '', counts?: NavigationCounts): NavigationItem[] {
  const hrefs = navigationHrefs(access);
  const current = hrefs
    .filter((href) => path === href || path.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
  return items
    .filter(({ href }) => hrefs.includes(href))
    .map(({ href, text }) => {
      // Partners see the children they have a relationship with; the council sees its children.
      const label = href === '/children' && access.actor.agency !== 'council' ? 'Your children' : text;
      const shown = counted[href];
      const n = shown && counts ? counts[shown.count] ?? 0 : 0;
      const count = n > 0 ? shown!.text(n) : null;
      return { href, text: count ? `${label} ${count}` : label, current: href === current };
    });
}
