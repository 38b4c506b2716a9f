// The SSD tables the portal reads, with their column names as data-to-insight's Standard
// Safeguarding Dataset defines them (ssd-data-model, data/objects/*.yml and the deployment DDL).
// `required` are the columns the portal reads; `optional` are the rest of the table's columns,
// known and ignored, so only a column that is in no version of the SSD is reported as unknown.
import type { TableSpec } from './csv-table.ts';

export const ssdTables = {
  ssd_department: {
    required: ['dept_team_id', 'dept_team_name'],
    optional: ['dept_team_parent_id', 'dept_team_parent_name'],
  },
  ssd_professionals: {
    required: ['prof_professional_id', 'prof_professional_name'],
    optional: ['prof_staff_id', 'prof_social_worker_registration_no', 'prof_agency_worker_flag', 'prof_professional_job_title', 'prof_professional_caseload', 'prof_professional_department', 'prof_full_time_equivalency'],
  },
  ssd_address: {
    required: ['addr_person_id', 'addr_address_json', 'addr_address_postcode', 'addr_address_start_date', 'addr_address_end_date'],
    optional: ['addr_table_id', 'addr_address_type'],
  },
  ssd_linked_identifiers: {
    required: ['link_person_id', 'link_identifier_type', 'link_identifier_value'],
    optional: ['link_table_id', 'link_valid_from_date', 'link_valid_to_date'],
  },
  ssd_cp_reviews: {
    required: ['cppr_cp_plan_id', 'cppr_cp_review_due', 'cppr_cp_review_date'],
    optional: ['cppr_cp_review_id', 'cppr_person_id', 'cppr_cp_review_meeting_id', 'cppr_cp_review_outcome_continue_cp', 'cppr_cp_review_quorate', 'cppr_cp_review_participation'],
  },
  ssd_cla_reviews: {
    required: ['clar_cla_id', 'clar_cla_review_due_date', 'clar_cla_review_date'],
    optional: ['clar_cla_review_id', 'clar_cla_review_cancelled', 'clar_cla_review_participation'],
  },
  ssd_person: {
    required: ['pers_person_id', 'pers_forename', 'pers_surname', 'pers_sex', 'pers_dob'],
    optional: ['pers_legacy_id', 'pers_upn', 'pers_gender', 'pers_ethnicity', 'pers_single_unique_id', 'pers_common_child_id', 'pers_upn_unknown', 'pers_send_flag', 'pers_expected_dob', 'pers_death_date', 'pers_is_mother', 'pers_nationality'],
  },
  ssd_cin_episodes: {
    required: ['cine_referral_id', 'cine_person_id', 'cine_referral_date', 'cine_close_date'],
    optional: ['cine_cin_primary_need_code', 'cine_referral_source_code', 'cine_referral_source_desc', 'cine_referral_outcome_json', 'cine_referral_nfa', 'cine_close_reason', 'cine_referral_team', 'cine_referral_worker_id'],
  },
  ssd_cin_plans: {
    required: ['cinp_cin_plan_id', 'cinp_person_id', 'cinp_cin_plan_start_date', 'cinp_cin_plan_end_date'],
    optional: ['cinp_referral_id', 'cinp_cin_plan_team', 'cinp_cin_plan_worker_id'],
  },
  ssd_cp_plans: {
    required: ['cppl_cp_plan_id', 'cppl_person_id', 'cppl_cp_plan_start_date', 'cppl_cp_plan_end_date', 'cppl_cp_plan_latest_category'],
    optional: ['cppl_referral_id', 'cppl_icpc_id', 'cppl_cp_plan_initial_category', 'cppl_cp_plan_ola'],
  },
  ssd_cla_episodes: {
    required: ['clae_cla_episode_id', 'clae_person_id', 'clae_cla_episode_start_date', 'clae_cla_episode_ceased_date'],
    optional: ['clae_cla_id', 'clae_cla_placement_id', 'clae_cla_episode_start_reason', 'clae_cla_primary_need_code', 'clae_cla_episode_ceased_reason', 'clae_referral_id', 'clae_cla_last_iro_contact_date', 'clae_entered_care_date'],
  },
  ssd_legal_status: {
    required: ['lega_person_id', 'lega_legal_status', 'lega_legal_status_start_date'],
    optional: ['lega_legal_status_id', 'lega_legal_status_end_date'],
  },
  ssd_involvements: {
    required: ['invo_person_id', 'invo_professional_id', 'invo_professional_role_id', 'invo_involvement_start_date', 'invo_involvement_end_date'],
    optional: ['invo_involvements_id', 'invo_professional_team', 'invo_worker_change_reason', 'invo_referral_id'],
  },
} as const satisfies Record<string, TableSpec>;

export type SsdTable = keyof typeof ssdTables;

/**
 * The order the parser reads them in: the small lookups first (teams, workers, each child's
 * current address and identifiers, review dates), then ssd_person (every child is yielded before
 * anything that refers to it), then the episodes and allocations. This is also the table list.
 */
export const readingOrder: readonly SsdTable[] = [
  'ssd_department', 'ssd_professionals', 'ssd_address', 'ssd_linked_identifiers', 'ssd_cp_reviews', 'ssd_cla_reviews',
  'ssd_person', 'ssd_cin_episodes', 'ssd_cin_plans', 'ssd_cp_plans', 'ssd_cla_episodes', 'ssd_legal_status', 'ssd_involvements',
];

/**
 * Without these an import would be incomplete in a way that does harm: the SSD is a snapshot,
 * so a missing episode or involvement file would end every plan or allocation it holds.
 */
export const requiredTables: readonly SsdTable[] = ['ssd_person', 'ssd_cin_plans', 'ssd_cp_plans', 'ssd_cla_episodes', 'ssd_involvements', 'ssd_professionals'];

/** `SSD_Person.CSV` → 'ssd_person'; undefined for a name that is no SSD table the portal reads. */
export function tableOfFile(name: string): SsdTable | undefined {
  const base = name.replace(/^.*[\\/]/, '').trim().toLowerCase();
  const match = /^(ssd_[a-z_]+)\.csv$/.exec(base);
  if (!match) return undefined;
  return (readingOrder as readonly string[]).includes(match[1]!) ? (match[1] as SsdTable) : undefined;
}
