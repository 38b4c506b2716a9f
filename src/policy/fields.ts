// The fields of a child's record that a policy can release, with the labels pages use.
// A page shows a field only when the user's ability permits it for that child; a field that
// is not permitted is never fetched into the view's data at all.
export const childFields = {
  forename: 'First name',
  surname: 'Last name',
  dateOfBirth: 'Date of birth',
  gender: 'Gender',
  nhsNumber: 'NHS number',
  upn: 'Unique pupil number (UPN)',
  address: 'Address',
  postcode: 'Postcode',
  legalStatus: 'Legal status',
  cpCategory: 'Child protection category',
  involvementStartDate: 'Start date',
  nextReviewDate: 'Next review or conference',
  // The CP-IS data set for emergency departments: only whether a child protection plan or
  // looked-after status is active, and since when.
  cpisStatus: 'Child protection or looked-after status',
  cpisStartDate: 'Status start date',
  workerName: 'Allocated social worker',
  teamName: 'Team',
  workerPhone: 'Social worker’s phone',
  teamPhone: 'Team phone',
  councilName: 'Responsible council',
  dutyPhone: 'Council duty number',
  outOfHoursPhone: 'Out-of-hours number',
  relationships: 'Schools and health services',
  chronology: 'Chronology',
  viewedBy: 'Viewed by',
} as const;

export type ChildField = keyof typeof childFields;

/**
 * Fields whose values are free text written by people (an address as typed, the chronology's
 * entries and partners' own words, the reasons others gave for looking). "View as" says whether
 * a role would get them and by which rule, but never shows their values to the person previewing.
 */
export const freeTextChildFields: readonly ChildField[] = ['address', 'chronology', 'viewedBy'];
export const childFieldNames = Object.keys(childFields) as [ChildField, ...ChildField[]];

/**
 * What policy conditions can test about a child: its relationships and flags. These are
 * computed for every record fetched, and the same names are translated into SQL
 * (src/access/rules-to-sql.ts), so a list never fetches a child the policy would not show.
 */
export interface ChildAttributes {
  id: string;
  open: boolean;
  /** A child protection plan or looked-after status is active: what CP-IS shares. */
  cpisActive: boolean;
  sealed: boolean;
  addressWithheld: boolean;
  /** The council's flags file restricts the record: only the allocated worker and team see it all. */
  restricted: boolean;
  relationships: Array<{ organisationId: string; kind: 'enrolled' | 'registered' | 'caseload' }>;
  allocatedWorkerId: string | null;
  allocatedTeamId: string | null;
}

/**
 * The parts of a partner's concern a policy can release. A concern is released in parts, not
 * column by column: each part is what one kind of reader needs (the partner who sent it does
 * not see the front door's internal reasoning, for example). Identity (id, reference, the
 * organisation that sent it, the child it is matched to) travels with every released concern.
 */
export const concernFields = {
  submission: 'What was sent: the kind of concern, what happened and when, the child’s words, risk, actions and parents',
  childIdentifiers: 'The child as the partner named them',
  referrer: 'Who sent it and how to reach them',
  progress: 'When it was received, when a decision is due, and its status',
  outcome: 'The decision and the feedback to the partner',
  decisionRecord: 'The front door’s reason for its decision, and who decided',
} as const;

export type ConcernField = keyof typeof concernFields;
export const concernFieldNames = Object.keys(concernFields) as [ConcernField, ...ConcernField[]];

/** What policy conditions can test about a concern. */
export interface ConcernAttributes {
  id: string;
  organisationId: string;
}

/** An alert to a social worker is released whole: what happened, about which child, when. */
export const alertFieldNames = ['alert'] as const;
export type AlertField = (typeof alertFieldNames)[number];

/** What policy conditions can test about an alert: whose it is. */
export interface AlertAttributes {
  id: string;
  socialWorkerId: string;
  teamId: string;
}
