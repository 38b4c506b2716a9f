// The e-mails of an escalation (./escalation.ts). Like every e-mail the portal sends
// (src/notifications/messages.ts), they say only that something is waiting and where to sign
// in: the notification's portal reference (OE-2026-000012-1, which says nothing about the child)
// and the portal's address. Not the school, the child, the force or the incident.
import type { MessageText } from '../notifications/messages.ts';

export interface EscalationMessageInput {
  /** The notification's portal reference, e.g. OE-2026-000012-1. */
  reference: string;
  /** The portal's public address (PUBLIC_URL). */
  publicUrl: string;
}

const REFERENCE = /^OE-\d{4}-\d+-\d+$/;

function checked({ reference, publicUrl }: EscalationMessageInput): { ref: string; inbox: string } {
  if (!REFERENCE.test(reference)) throw new Error('An Encompass reference must look like OE-2026-000012-1');
  const base = new URL(publicUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('Notification links must be http(s)');
  return { ref: reference, inbox: new URL('/encompass/inbox', base.origin).toString() };
}

/** To a school's other DSLs and deputies: a police notification has not been acknowledged by the start of the school day. */
export function overdueForSchool(input: EscalationMessageInput): MessageText {
  const { ref, inbox } = checked(input);
  return {
    subject: `Police notification ${ref} not yet acknowledged`,
    body:
      `A police notification for your school (reference ${ref}) has not been acknowledged by the start of the school day.\n\n` +
      `Sign in to read and acknowledge it: ${inbox}\n`,
  };
}

/** To the council's front door: a school has not acknowledged a police notification. */
export function overdueSchoolForFrontDoor(input: EscalationMessageInput): MessageText {
  const { ref, inbox } = checked(input);
  return {
    subject: `A school has not acknowledged police notification ${ref}`,
    body:
      `A school has not acknowledged a police notification (reference ${ref}), and its other safeguarding leads have been told.\n\n` +
      `Sign in to see it and contact the school: ${inbox}\n`,
  };
}

/** To the front door's own mailbox: a notification routed to the front door is not yet acknowledged. */
export function overdueForFrontDoor(input: EscalationMessageInput): MessageText {
  const { ref, inbox } = checked(input);
  return {
    subject: `Police notification ${ref} to the front door not yet acknowledged`,
    body:
      `A police notification sent to the front door (reference ${ref}) has not been acknowledged by the start of the school day.\n\n` +
      `Sign in to read and acknowledge it: ${inbox}\n`,
  };
}
