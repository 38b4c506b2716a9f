// The only texts the portal sends by e-mail. E-mail leaves the council's systems and is read on
// phones and shared inboxes, so a message only says that there is something to read after
// signing in, and where.
//
// NO CHILD DETAILS, EVER: no names, dates of birth, identifiers (NHS number, UPN, police
// reference), addresses, school or setting, category of concern, what was seen or heard, or any
// other concern text. Each template takes only the portal's reference number for the concern
// (e.g. SPP-2026-000123, which says nothing about the child) and the portal's public address,
// and both are checked before use. Add a template here, with the same input, rather than
// building message text anywhere else; test/outbox.test.ts checks every function exported here.

export interface MessageText {
  subject: string;
  body: string;
}

/** Everything a template may use. Deliberately nothing about the child or the concern. */
export interface MessageInput {
  /** The portal's reference number for the concern, e.g. SPP-2026-000123. */
  reference: string;
  /** The portal's public address (PUBLIC_URL), e.g. https://safeguarding.example.gov.uk */
  publicUrl: string;
}

// The portal's own reference numbers: a prefix, a year and a serial number.
const REFERENCE = /^SPP-\d{4}-\d{6,}$/;

function checkedReference(reference: string): string {
  if (!REFERENCE.test(reference)) throw new Error('Notification reference must look like SPP-2026-000123');
  return reference;
}

/** The page to sign in to, at the portal's public origin: any path, query or fragment is dropped. */
function link(publicUrl: string, path: '/front-door' | '/submissions'): string {
  const base = new URL(publicUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('Notification links must be http(s)');
  return new URL(path, base.origin).toString();
}

/** To the front door: a partner has submitted a concern. */
export function concernReceivedForFrontDoor({ reference, publicUrl }: MessageInput): MessageText {
  const ref = checkedReference(reference);
  return {
    subject: `New safeguarding concern ${ref}`,
    body:
      `A new safeguarding concern has been submitted to the portal (reference ${ref}).\n\n` +
      `Sign in to read it: ${link(publicUrl, '/front-door')}\n`,
  };
}

/** To the partner who submitted a concern: the front door has recorded its decision. */
export function concernDecidedForReferrer({ reference, publicUrl }: MessageInput): MessageText {
  const ref = checkedReference(reference);
  return {
    subject: `Decision recorded on concern ${ref}`,
    body:
      `The council has recorded a decision on a concern you submitted (reference ${ref}).\n\n` +
      `Sign in to read the feedback: ${link(publicUrl, '/submissions')}\n`,
  };
}
