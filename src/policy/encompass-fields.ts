// The parts of a police notification (Operation Encompass, issue 14) a policy can release. Like
// a concern, it is released in parts, each what one kind of reader needs. Identity (id,
// reference, the force, the destination, when it was sent and when it is due) travels with
// every released notification: who may read it at all may know that much.
export const encompassFields = {
  incident: 'The police reference, the date and time of the incident, and the force',
  children: 'Each child: name, date of birth, identifiers given, whether present and whether spoken to',
  childWords: 'What each child said, in their words, kept apart from the account',
  account: 'The officer’s short factual account',
  sharedItems: 'What the force shares by local agreement (for example the location, who was involved)',
  policeContact: 'Whom to call back at the force',
  acknowledgement: 'Whether and when the school (or the front door) acknowledged it, by whom, what it will do, and any escalation',
} as const;

export type EncompassField = keyof typeof encompassFields;
export const encompassFieldNames = Object.keys(encompassFields) as [EncompassField, ...EncompassField[]];

/** What policy conditions can test about a notification: whose force sent it, where it went. */
export interface EncompassAttributes {
  id: string;
  forceId: string;
  /** The school it went to; null for the council's front door. */
  schoolId: string | null;
  forFrontDoor: boolean;
}
