// The signed-in person, as every part of the portal sees them: made once per request from the
// session (src/middleware/actor/) and passed as is to the access module, the access log,
// concern submission and decisions. Nothing else re-reads the session for who someone is.
import type { PolicyUser } from '../policy/ability.ts';
import { roles, type Agency, type Role } from './roles.ts';
import type { Session } from './sessions.ts';
import { DEFAULT_TRAINING_VALID_MONTHS, renewalDueOn, trainingState } from '../training/renewal.ts';

export interface Actor extends PolicyUser {
  userId: string;
  /** The identity provider and the person's id there: who they are, whatever their name. */
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  role: Role;
  agency: Agency;
  organisationId: string;
  organisationName: string;
  /** When their safeguarding training's renewal is (or was) due; null where none is recorded. */
  trainingRenewalDue?: string | null;
  /** The request this actor is acting in, so log rows can be tied to the request log. */
  requestId: string;
}

/** The actor for a session with a chosen role; undefined before a role is chosen. */
export function actorFrom(session: Session, requestId: string, trainingValidMonths = DEFAULT_TRAINING_VALID_MONTHS): Actor | undefined {
  if (!session.role || !session.organisationId) return undefined;
  return {
    userId: session.userId,
    issuer: session.issuer,
    subject: session.subject,
    name: session.userName,
    email: session.email,
    role: session.role,
    agency: roles[session.role].agency,
    organisationId: session.organisationId,
    organisationName: session.organisationName ?? '',
    socialWorkerId: session.socialWorkerId,
    teamId: session.teamId,
    // Recorded and not yet due for renewal: from the renewal date they are read-only again.
    trainingCompleted: trainingState(session.trainingCompletedOn, trainingValidMonths) === 'current',
    trainingRenewalDue: session.trainingCompletedOn ? renewalDueOn(session.trainingCompletedOn, trainingValidMonths) : null,
    requestId,
  };
}
