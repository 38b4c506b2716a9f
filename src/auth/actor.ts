// The signed-in person, as every part of the portal sees them: made once per request from the
// session (src/middleware/actor/) and passed as is to the access module, the access log,
// concern submission and decisions. Nothing else re-reads the session for who someone is.
import type { PolicyUser } from '../policy/ability.ts';
import { roles, type Agency, type Role } from './roles.ts';
import type { Session } from './sessions.ts';

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
  /** The request this actor is acting in, so log rows can be tied to the request log. */
  requestId: string;
}

/** The actor for a session with a chosen role; undefined before a role is chosen. */
export function actorFrom(session: Session, requestId: string): Actor | undefined {
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
    trainingCompleted: session.trainingCompletedOn !== null,
    requestId,
  };
}
