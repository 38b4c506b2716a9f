// A made-up access-log entry for tests of the log itself: an emergency department lookup by
// someone who does not exist, with fresh ids each time.
import { randomUUID } from 'node:crypto';
import type { AccessEntry } from '../../src/audit/access-log.ts';

export function accessEntry(overrides: Partial<AccessEntry> = {}): AccessEntry {
  return {
    issuer: 'https://login.example-trust.nhs.uk',
    subject: `sub-${randomUUID()}`,
    userName: 'Priya Shah',
    organisationId: randomUUID(),
    organisationName: 'St Anne’s Hospital Emergency Department',
    role: 'ed_clinician',
    childId: randomUUID(),
    action: 'lookup',
    fieldsReleased: ['forename', 'surname', 'legalStatus'],
    reason: 'Child attended with an unexplained injury',
    requestId: randomUUID(),
    ...overrides,
  };
}
