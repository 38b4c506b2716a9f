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
export const childFieldNames = Object.keys(childFields) as [ChildField, ...ChildField[]];

/**
 * What policy conditions can test about a child: its relationships and flags. These are
 * computed for every record fetched, and the same names are translated into SQL
 * (src/policy/sql-filter.ts), so a list never fetches a child the policy would not show.
 */
export interface ChildAttributes {
  id: string;
  open: boolean;
  sealed: boolean;
  addressWithheld: boolean;
  relationships: Array<{ organisationId: string; kind: 'enrolled' | 'registered' | 'caseload' }>;
  allocatedWorkerId: string | null;
  allocatedTeamId: string | null;
}
