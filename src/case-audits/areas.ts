// The case-file audit's tool (the councils' monthly audit, seed 003): six areas of how the front
// door handled a partner's concern, each graded on a three-point scale. The keys are the values
// migration 029 allows in case_audit_grades (area, grade); the labels are what pages say.
export const auditAreas = {
  timeliness: 'Timeliness of the decision',
  risk_recognition: 'Recognition of risk',
  matching: 'Matching to the right child',
  feedback: 'Quality of the feedback to the referrer',
  multi_agency: 'Multi-agency coordination',
  child_voice: 'The child’s voice',
} as const;
export type AuditArea = keyof typeof auditAreas;
export const auditAreaNames = Object.keys(auditAreas) as AuditArea[];

export const auditGrades = {
  exceeds_good: 'Exceeds good',
  meets_good: 'Meets good',
  does_not_meet_good: 'Does not meet good',
} as const;
export type AuditGrade = keyof typeof auditGrades;
export const auditGradeNames = Object.keys(auditGrades) as AuditGrade[];
export const isAuditGrade = (value: string): value is AuditGrade => Object.hasOwn(auditGrades, value);

/** The colour of each grade's tag (GOV.UK tag classes). */
export const gradeTagClasses: Record<AuditGrade, string> = {
  exceeds_good: 'govuk-tag--green',
  meets_good: 'govuk-tag--blue',
  does_not_meet_good: 'govuk-tag--red',
};

/** Agencies a sample can be limited to: the kinds of organisation each sends concerns from. */
export const sampleAgencies = {
  education: { label: 'Schools', kinds: ['school'] },
  health: { label: 'Health', kinds: ['gp_practice', 'health_visiting_team', 'school_nursing_team', 'emergency_department'] },
  police: { label: 'Police', kinds: ['police_force'] },
} as const;
export type SampleAgency = keyof typeof sampleAgencies;
export const isSampleAgency = (value: string): value is SampleAgency => Object.hasOwn(sampleAgencies, value);
