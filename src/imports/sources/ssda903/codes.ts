// SSDA903 (children looked after) tables and code sets, from DfE's SSDA903 guidance; the rule
// numbers are DfE's validation rules as the public validator (data-to-insight/csc-validator-be-903)
// numbers them.

/** The column names of each 903 table: a file is recognised by its header row, as the validator does. */
export const TABLES = {
  Header: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
  Episodes: ['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC', 'REASON_PLACE_CHANGE', 'HOME_POST', 'PL_POST', 'URN'],
  // The rest of the return: recognised, so a council can drop the whole set in, but not read.
  Reviews: ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'],
  UASC: ['CHILD', 'SEX', 'DOB', 'DUC'],
  OC2: ['CHILD', 'DOB', 'SDQ_SCORE', 'SDQ_REASON', 'CONVICTED', 'HEALTH_CHECK', 'IMMUNISATIONS', 'TEETH_CHECK', 'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE', 'INTERVENTION_RECEIVED', 'INTERVENTION_OFFERED'],
  OC3: ['CHILD', 'DOB', 'IN_TOUCH', 'ACTIV', 'ACCOM'],
  AD1: ['CHILD', 'DOB', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'],
  PlacedAdoption: ['CHILD', 'DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
  PrevPerm: ['CHILD', 'DOB', 'PREV_PERM', 'LA_PERM', 'DATE_PERM'],
  Missing: ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'],
  SWEpisodes: ['CHILD', 'DOB', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'],
  DoLo: ['CHILD', 'DOB', 'DOLO_START', 'DOLO_END'],
} as const;
export type TableName = keyof typeof TABLES;

/** Reason for new episode. */
export const RNE_CODES = new Set(['S', 'P', 'L', 'T', 'U', 'B']);
/** Legal status. */
export const LS_CODES = new Set(['C1', 'C2', 'D1', 'E1', 'V2', 'V3', 'V4', 'J1', 'J2', 'J3', 'L1', 'L2', 'L3']);
/** Reason episode ceased: X1 is "episode ceases and a new one begins", every other code ends care. */
export const REC_CODES = new Set([
  'E11', 'E12', 'E2', 'E3', 'E4A', 'E4B', 'E13', 'E41', 'E45', 'E46', 'E47', 'E48', 'E5', 'E6', 'E7', 'E8', 'E9', 'E14', 'E15', 'E16', 'E17', 'X1',
]);
export const CONTINUES_CARE = 'X1';
/** SEX: 1 and 2 until 2023 to 2024, M, F and U since. */
export const SEX_CODES = new Set(['1', '2', 'M', 'F', 'U']);
/** The codes a 903 UPN column carries instead of a UPN the council does not know. */
export const UPN_UNKNOWN = /^UN[1-5]$/;
