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
function link(publicUrl: string, path: '/' | '/front-door' | '/submissions'): string {
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

/** To the front door: a partner has submitted a concern and says the child is at immediate risk of harm. */
export function immediateRiskConcernForFrontDoor({ reference, publicUrl }: MessageInput): MessageText {
  const ref = checkedReference(reference);
  return {
    subject: `Immediate risk: new safeguarding concern ${ref}`,
    body:
      `A partner has submitted a safeguarding concern and says the child is at immediate risk of harm (reference ${ref}).\n\n` +
      `Sign in to read it now: ${link(publicUrl, '/front-door')}\n`,
  };
}

/** To the child's allocated social worker: a partner has raised a concern about a child of theirs. */
export function concernForAllocatedWorker({ reference, publicUrl }: MessageInput): MessageText {
  const ref = checkedReference(reference);
  return {
    subject: `A partner has raised a concern about a child you work with (${ref})`,
    body:
      `A partner has raised a safeguarding concern about a child allocated to you (reference ${ref}). The front door will decide what happens next.\n\n` +
      `Sign in to read it: ${link(publicUrl, '/')}\n`,
  };
}

/** To the child's allocated social worker: as above, when the partner says the child is at immediate risk. */
export function immediateRiskForAllocatedWorker({ reference, publicUrl }: MessageInput): MessageText {
  const ref = checkedReference(reference);
  return {
    subject: `Immediate risk: a partner has raised a concern about a child you work with (${ref})`,
    body:
      `A partner has raised a safeguarding concern about a child allocated to you and says the child is at immediate risk of harm (reference ${ref}).\n\n` +
      `Sign in to read it now: ${link(publicUrl, '/')}\n`,
  };
}

/** To the child's allocated social worker: the front door has decided on a partner's concern about a child of theirs. */
export function decisionForAllocatedWorker({ reference, publicUrl }: MessageInput): MessageText {
  const ref = checkedReference(reference);
  return {
    subject: `Front door decision on a concern about a child you work with (${ref})`,
    body:
      `The front door has recorded its decision on a partner's concern about a child allocated to you (reference ${ref}).\n\n` +
      `Sign in to read it: ${link(publicUrl, '/')}\n`,
  };
}

/**
 * Lookups' messages. A lookup has no concern reference, so these are not among the concern
 * templates above (test/outbox.test.ts checks those with a reference, and these apart).
 */
export const lookupMessages = {
  /** To the child's allocated social worker: an emergency department or police officer looked a child of theirs up. */
  forAllocatedWorker: ({ publicUrl }: Pick<MessageInput, 'publicUrl'>): MessageText => ({
    subject: 'A child you work with has been looked up',
    body:
      'An emergency department or police officer has looked up a child allocated to you, with a stated reason.\n\n' +
      `Sign in to see who and why: ${link(publicUrl, '/')}\n`,
  }),
};

/**
 * Operation Encompass (issue 14): a police notification of domestic abuse is waiting. No
 * reference even: the police reference, the school and the child are all details, and the home
 * page lists what is waiting to whoever may read it.
 */
export const encompassMessages = {
  /** To a school's designated safeguarding leads. */
  forSchool: ({ publicUrl }: Pick<MessageInput, 'publicUrl'>): MessageText => ({
    subject: 'A police notification is waiting for your school',
    body:
      'The police have sent your school a notification (Operation Encompass). Read it and acknowledge it before the start of the next school day.\n\n' +
      `Sign in to read it: ${link(publicUrl, '/')}\n`,
  }),
  /** To the council's front door: a notification about a child on no school's roll. */
  forFrontDoor: ({ publicUrl }: Pick<MessageInput, 'publicUrl'>): MessageText => ({
    subject: 'A police notification is waiting for the front door',
    body:
      'The police have sent a notification (Operation Encompass) about a child who is not on a school roll the portal knows of. Read it and acknowledge it.\n\n' +
      `Sign in to read it: ${link(publicUrl, '/')}\n`,
  }),
  /** To the allocated social worker of a child the notification is about. */
  forAllocatedWorker: ({ publicUrl }: Pick<MessageInput, 'publicUrl'>): MessageText => ({
    subject: 'A police notification about a child you work with',
    body:
      'The police have sent a notification (Operation Encompass) about a child allocated to you. It is in the child’s chronology.\n\n' +
      `Sign in to read it: ${link(publicUrl, '/')}\n`,
  }),
};

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

/** To the front door: the partner has added information to a concern already sent. */
export function furtherInformationForFrontDoor({ reference, publicUrl }: MessageInput): MessageText {
  const ref = checkedReference(reference);
  return {
    subject: `Further information on concern ${ref}`,
    body:
      `The partner who sent concern ${ref} has added information to it.\n\n` +
      `Sign in to read it: ${link(publicUrl, '/front-door')}\n`,
  };
}

// Information governance's messages. Their input is not a concern's reference, so they are not
// among the concern templates above (test/outbox.test.ts calls each of those with MessageInput);
// test/audit-witness.test.ts checks these the same way, with the same child details.

/** The access log's head as of a daily digest: nothing about any child or anyone who looked. */
export interface AccessLogDigestInput {
  /** The chain's latest position (the number of rows chained so far); 0 while it is empty. */
  position: bigint;
  /** SHA-256 at that position, 64 hex digits; null while the chain is empty. */
  hash: string | null;
  /** When the head was read. */
  at: Date;
  /** The position in the previous digest; null when this is the first. */
  previousPosition: bigint | null;
}

const HASH = /^[0-9a-f]{64}$/;

// Numbers with thousands separators and the hash in colon-separated groups of eight, the time in
// ISO 8601 basic form: written so, nothing here can look like an NHS number, a date or a
// postcode to the outbox's child-detail check, whatever the digits happen to be.
const grouped = (n: bigint) => n.toLocaleString('en-GB');
const groupedHash = (hash: string) => hash.match(/.{8}/g)!.join(':');
const basicIsoTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

function accessLogDigest({ position, hash, at, previousPosition }: AccessLogDigestInput): MessageText {
  if (position < 0n || (previousPosition !== null && previousPosition < 0n)) throw new Error('Digest positions cannot be negative');
  if (hash === null ? position !== 0n : !HASH.test(hash)) throw new Error('Digest hash must be 64 hex digits (null only for an empty chain)');
  if (Number.isNaN(at.getTime())) throw new Error('Digest time must be a real time');
  let since: string;
  if (previousPosition === null) since = 'This is the first digest.';
  else if (position >= previousPosition) since = `Rows chained since the previous digest: ${grouped(position - previousPosition)}.`;
  else {
    since =
      `WARNING: the previous digest recorded position ${grouped(previousPosition)}, later than this one. ` +
      'Rows may have been removed from the end of the access log: run npm run audit:verify and investigate.';
  }
  return {
    subject: 'Access log daily digest',
    body:
      'The portal\'s access log, as its hash chain stood when this digest was written.\n\n' +
      `Position (rows chained): ${grouped(position)}\n` +
      `Hash (SHA-256, hex in groups of eight): ${hash === null ? 'none yet (the chain is empty)' : groupedHash(hash)}\n` +
      `Time (UTC, ISO 8601): ${basicIsoTime(at)}\n` +
      `${since}\n\n` +
      'Keep this e-mail: it records the end of the log outside the database. npm run audit:verify prints the ' +
      'position and hash the chain holds now; a position recorded here that the chain no longer reaches, ' +
      'or holds with another hash, means the log has been cut or changed.\n',
  };
}

/** Templates for information governance, grouped apart from the concern templates. */
export const governanceMessages = { accessLogDigest } as const;
