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
  { href: '/front-door', text: 'Front door', needs: ['read', 'FrontDoorQueue'] },
  { href: '/governance/access-log', text: 'Access log', needs: ['read', 'AccessLog'] },
  { href: '/governance/unusual-activity', text: 'Unusual activity', needs: ['read', 'AccessLog'] },
  { href: '/governance/view-as', text: 'View as', needs: ['read', 'ViewAs'] },
  { href: '/training', text: 'Training records', needs: ['read', 'TrainingRecord'] },
];

export function navigationFor(access: Access): Array<{ href: string; text: string }> {
  return items
    .filter(({ needs: [action, subject], orExplained }) => access.can(action, subject) || (orExplained && access.refusal(action, subject) !== undefined))
    // Partners see the children they have a relationship with; the council sees its children.
    .map(({ href, text }) => ({ href, text: href === '/children' && access.actor.agency !== 'council' ? 'Your children' : text }));
}
