// The CIN census code sets the portal checks, and the census's element tree. Codes come from
// DfE's CIN census specification; the rule numbers are DfE's validation rules as the public
// validator (data-to-insight/csc-validator-be-cin) numbers them.

export const REFERRAL_SOURCES = new Set([
  '1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10',
]);
export const PRIMARY_NEED_CODES = new Set(['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9']);
export const REASONS_FOR_CLOSURE = new Set(['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9']);
export const CATEGORIES_OF_ABUSE = new Set(['NEG', 'PHY', 'SAB', 'EMO', 'MUL']);
/** Sex (from 2024 to 2025) is M, F or U; the older GenderCurrent is 0, 1, 2 or 9. */
export const SEX_CODES = new Set(['M', 'F', 'U']);
export const GENDER_CURRENT_CODES = new Set(['0', '1', '2', '9']);

/**
 * Which elements may appear inside which: anything else is reported as an unknown element (and
 * its content skipped), so that a renamed or misplaced element is seen, not silently lost.
 */
export const CHILD_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  Message: ['Header', 'Children'],
  Header: ['CollectionDetails', 'Source'],
  CollectionDetails: ['Collection', 'Year', 'ReferenceDate'],
  Source: ['SourceLevel', 'LEA', 'SoftwareCode', 'Release', 'SerialNo', 'DateTime'],
  Children: ['Child'],
  Child: ['ChildIdentifiers', 'ChildCharacteristics', 'CINdetails'],
  ChildIdentifiers: [
    'LAchildID', 'UPN', 'FormerUPN', 'UPNunknown', 'PersonBirthDate', 'ExpectedPersonBirthDate', 'GenderCurrent', 'Sex', 'PersonDeathDate',
  ],
  ChildCharacteristics: ['Ethnicity', 'Disabilities'],
  Disabilities: ['Disability'],
  CINdetails: [
    'CINreferralDate', 'ReferralSource', 'PrimaryNeedCode', 'CINclosureDate', 'ReasonForClosure', 'DateOfInitialCPC', 'ReferralNFA',
    'Assessments', 'CINPlanDates', 'Section47', 'ChildProtectionPlans', 'PreProceedingsandFGDM',
  ],
  Assessments: ['AssessmentActualStartDate', 'AssessmentInternalReviewDate', 'AssessmentAuthorisationDate', 'FactorsIdentifiedAtAssessment'],
  FactorsIdentifiedAtAssessment: ['AssessmentFactors'],
  CINPlanDates: ['CINPlanStartDate', 'CINPlanEndDate'],
  Section47: ['S47ActualStartDate', 'InitialCPCtarget', 'DateOfInitialCPC', 'ICPCnotRequired'],
  ChildProtectionPlans: ['CPPstartDate', 'CPPendDate', 'InitialCategoryOfAbuse', 'LatestCategoryOfAbuse', 'NumberOfPreviousCPP', 'Reviews'],
  Reviews: ['CPPreviewDate'],
  PreProceedingsandFGDM: [
    'PPStartDate', 'LBPSentDate', 'FGDMMeetingOffer', 'FGDMMeetingFac', 'InitialPPMeetingDate', 'ReviewMeetingsCount',
    'StepDecisionDate', 'PPOutcome', 'CourtAppDate', 'LetterInitCPDate',
  ],
};

/** Elements that repeat, so their path always carries a position: `Child[12]`. */
export const REPEATING = new Set([
  'Child', 'CINdetails', 'ChildProtectionPlans', 'Assessments', 'CINPlanDates', 'Section47', 'PreProceedingsandFGDM',
  'Disability', 'AssessmentFactors', 'CPPreviewDate',
]);
