// The demo data as an SSD extract, the files a council's nightly SSD job would write: for tests,
// the import samples and the 100,000-children figures. Streams every file row by row.
//
// How the demo's rows become SSD rows (the parser reads them back to the same records):
// - every child is an ssd_person row (id demoCaseSystemId(n)); odd-numbered children carry
//   their NHS number in pers_single_unique_id, even-numbered ones in ssd_linked_identifiers,
//   as councils do both; every fifth child also has an earlier, ended address;
// - every involvement gets a referral (ssd_cin_episodes) and its plan or episode:
//   child in need → ssd_cin_plans, child protection → ssd_cp_plans (category as a code for
//   odd-numbered children, as a description for even ones) and its next review in
//   ssd_cp_reviews, looked after → ssd_cla_episodes, ssd_legal_status and ssd_cla_reviews;
// - every allocation is an ssd_involvements row in the role 'CW', the worker in
//   ssd_professionals and the team in ssd_department.
import { join } from 'node:path';
import type { DemoData } from '../../../seed/generate.ts';
import { demoCaseSystemId } from '../../values.ts';
import { openCsvFile } from './csv-writer.ts';
import { ssdTables, type SsdTable } from './tables.ts';
import { cpCategoryDescriptions } from './values.ts';

// Column order as System C's SSD DDL creates the tables.
const columnOrder: Record<SsdTable, readonly string[]> = {
  ssd_department: ['dept_team_id', 'dept_team_name', 'dept_team_parent_id', 'dept_team_parent_name'],
  ssd_professionals: ['prof_professional_id', 'prof_staff_id', 'prof_professional_name', 'prof_social_worker_registration_no', 'prof_agency_worker_flag', 'prof_professional_job_title', 'prof_professional_caseload', 'prof_professional_department', 'prof_full_time_equivalency'],
  ssd_address: ['addr_table_id', 'addr_person_id', 'addr_address_type', 'addr_address_start_date', 'addr_address_end_date', 'addr_address_postcode', 'addr_address_json'],
  ssd_linked_identifiers: ['link_table_id', 'link_person_id', 'link_identifier_type', 'link_identifier_value', 'link_valid_from_date', 'link_valid_to_date'],
  ssd_cp_reviews: ['cppr_cp_review_id', 'cppr_person_id', 'cppr_cp_plan_id', 'cppr_cp_review_due', 'cppr_cp_review_date', 'cppr_cp_review_meeting_id', 'cppr_cp_review_outcome_continue_cp', 'cppr_cp_review_quorate', 'cppr_cp_review_participation'],
  ssd_cla_reviews: ['clar_cla_review_id', 'clar_cla_id', 'clar_cla_review_due_date', 'clar_cla_review_date', 'clar_cla_review_cancelled', 'clar_cla_review_participation'],
  ssd_person: ['pers_legacy_id', 'pers_person_id', 'pers_upn', 'pers_forename', 'pers_surname', 'pers_sex', 'pers_gender', 'pers_ethnicity', 'pers_dob', 'pers_single_unique_id', 'pers_upn_unknown', 'pers_send_flag', 'pers_expected_dob', 'pers_death_date', 'pers_is_mother', 'pers_nationality'],
  ssd_cin_episodes: ['cine_referral_id', 'cine_person_id', 'cine_referral_date', 'cine_cin_primary_need_code', 'cine_referral_source_code', 'cine_referral_source_desc', 'cine_referral_outcome_json', 'cine_referral_nfa', 'cine_close_reason', 'cine_close_date', 'cine_referral_team', 'cine_referral_worker_id'],
  ssd_cin_plans: ['cinp_cin_plan_id', 'cinp_referral_id', 'cinp_person_id', 'cinp_cin_plan_start_date', 'cinp_cin_plan_end_date', 'cinp_cin_plan_team', 'cinp_cin_plan_worker_id'],
  ssd_cp_plans: ['cppl_cp_plan_id', 'cppl_referral_id', 'cppl_icpc_id', 'cppl_person_id', 'cppl_cp_plan_start_date', 'cppl_cp_plan_end_date', 'cppl_cp_plan_ola', 'cppl_cp_plan_initial_category', 'cppl_cp_plan_latest_category'],
  ssd_cla_episodes: ['clae_cla_episode_id', 'clae_person_id', 'clae_cla_placement_id', 'clae_cla_episode_start_date', 'clae_cla_episode_start_reason', 'clae_cla_primary_need_code', 'clae_cla_episode_ceased_date', 'clae_cla_episode_ceased_reason', 'clae_cla_id', 'clae_referral_id', 'clae_cla_last_iro_contact_date', 'clae_entered_care_date'],
  ssd_legal_status: ['lega_legal_status_id', 'lega_person_id', 'lega_legal_status', 'lega_legal_status_start_date', 'lega_legal_status_end_date'],
  ssd_involvements: ['invo_involvements_id', 'invo_professional_id', 'invo_professional_role_id', 'invo_professional_team', 'invo_person_id', 'invo_involvement_start_date', 'invo_involvement_end_date', 'invo_worker_change_reason', 'invo_referral_id'],
};

/** SQL Server writes a datetime column as `2024-03-07 00:00:00.000`. */
const datetime = (iso: string | null) => (iso === null ? null : `${iso} 00:00:00.000`);
/** The demo's organisation ids end in a readable number (de000000-…-000000000702): the SSD id. */
const numberOf = (uuid: string) => String(Number(uuid.slice(-12)));
const sexCodes = { male: 'M', female: 'F', other: 'I', not_known: 'U' } as const;

/** "Flat 3, 12 Mill Lane, Northbridge" as System C's addr_address_json. */
function addressJson(address: string): string {
  const match = /^(?:Flat (\w+), )?(\d+) ([^,]+), ([^,]+)$/.exec(address);
  const [flat, house, street, town] = match ? [match[1] ?? '', match[2]!, match[3]!, match[4]!] : ['', '', address, ''];
  return JSON.stringify({ ROOM: '', FLOOR: '', FLAT: flat, BUILDING: '', HOUSE: house, STREET: street, TOWN: town, UPRN: '', EASTING: '', NORTHING: '' });
}

export async function writeSsdExtract(demo: DemoData, dir: string): Promise<string[]> {
  const written: string[] = [];
  const write = async (table: SsdTable, rows: (emit: (values: Record<string, string | null>) => Promise<void>) => Promise<void>, nullAs: '' | 'NULL' = '') => {
    const path = join(dir, `${table}.csv`);
    const columns = columnOrder[table];
    // The writer and the parser agree on the columns: every one written is one the parser knows.
    const known = new Set<string>([...ssdTables[table].required, ...ssdTables[table].optional]);
    if (columns.some((c) => !known.has(c))) throw new Error(`writer and parser disagree about ${table}'s columns`);
    const file = await openCsvFile(path, columns, { nullAs, bom: true });
    await rows((values) => file.row(columns.map((c) => values[c] ?? null)));
    await file.close();
    written.push(path);
  };

  const childNumber = new Map(demo.children.map((child, i) => [child.id, i + 1]));
  const caseId = (childId: string) => demoCaseSystemId(childNumber.get(childId)!);
  const workerTeam = new Map(demo.social_workers.map((w) => [w.id, w.team_id]));

  await write('ssd_department', async (emit) => {
    for (const team of demo.teams) {
      await emit({ dept_team_id: numberOf(team.id), dept_team_name: team.name, dept_team_parent_id: '600', dept_team_parent_name: "Children's Social Care" });
    }
  });
  await write('ssd_professionals', async (emit) => {
    for (const worker of demo.social_workers) {
      const id = numberOf(worker.id);
      await emit({
        prof_professional_id: id, prof_staff_id: `NB${id}`, prof_professional_name: worker.name,
        prof_social_worker_registration_no: `SW${100000 + Number(id)}`, prof_agency_worker_flag: 'N',
        prof_professional_job_title: worker.role === 'team_manager' ? 'Team Manager' : 'Social Worker',
        prof_professional_department: numberOf(worker.team_id), prof_full_time_equivalency: '1',
      });
    }
  });
  await write('ssd_address', async (emit) => {
    let row = 0;
    for (const [i, child] of demo.children.entries()) {
      const person = demoCaseSystemId(i + 1);
      if ((i + 1) % 5 === 0) {
        await emit({ addr_table_id: String(++row), addr_person_id: person, addr_address_type: 'HOME', addr_address_start_date: datetime(child.date_of_birth), addr_address_end_date: datetime(child.date_of_birth), addr_address_postcode: 'NB9 9ZZ', addr_address_json: addressJson('1 Old Road, Northbridge') });
      }
      if (child.address === null) continue;
      await emit({ addr_table_id: String(++row), addr_person_id: person, addr_address_type: 'HOME', addr_address_start_date: datetime(child.date_of_birth), addr_address_end_date: null, addr_address_postcode: child.postcode, addr_address_json: addressJson(child.address) });
    }
  });
  await write('ssd_linked_identifiers', async (emit) => {
    let row = 0;
    for (const [i, child] of demo.children.entries()) {
      if ((i + 1) % 2 !== 0) continue;
      const person = demoCaseSystemId(i + 1);
      if (child.nhs_number) await emit({ link_table_id: String(++row), link_person_id: person, link_identifier_type: 'NHS Number', link_identifier_value: child.nhs_number, link_valid_from_date: datetime(child.date_of_birth) });
      if (child.upn) await emit({ link_table_id: String(++row), link_person_id: person, link_identifier_type: 'Unique Pupil Number', link_identifier_value: child.upn });
    }
  });
  await write('ssd_cp_reviews', async (emit) => {
    for (const [i, inv] of demo.involvements.entries()) {
      if (inv.kind !== 'child_protection' || inv.end_date !== null || inv.next_review_date === null) continue;
      await emit({ cppr_cp_review_id: `CPR${i + 1}`, cppr_person_id: caseId(inv.child_id), cppr_cp_plan_id: String(i + 1), cppr_cp_review_due: datetime(inv.next_review_date) });
    }
  });
  await write('ssd_cla_reviews', async (emit) => {
    for (const [i, inv] of demo.involvements.entries()) {
      if (inv.kind !== 'looked_after' || inv.end_date !== null || inv.next_review_date === null) continue;
      await emit({ clar_cla_review_id: `CLR${i + 1}`, clar_cla_id: `CLA${i + 1}`, clar_cla_review_due_date: datetime(inv.next_review_date) });
    }
  });
  await write('ssd_person', async (emit) => {
    for (const [i, child] of demo.children.entries()) {
      await emit({
        pers_legacy_id: `L${i + 1}`, pers_person_id: demoCaseSystemId(i + 1), pers_upn: child.upn,
        pers_forename: child.forename, pers_surname: child.surname, pers_sex: sexCodes[child.gender], pers_gender: sexCodes[child.gender],
        pers_dob: datetime(child.date_of_birth), pers_single_unique_id: (i + 1) % 2 === 1 ? child.nhs_number : null,
        pers_upn_unknown: child.upn ? null : 'UN1', pers_is_mother: 'N',
      });
    }
  }, 'NULL');
  await write('ssd_cin_episodes', async (emit) => {
    for (const [i, inv] of demo.involvements.entries()) {
      await emit({ cine_referral_id: `R${i + 1}`, cine_person_id: caseId(inv.child_id), cine_referral_date: datetime(inv.start_date), cine_cin_primary_need_code: 'N1', cine_referral_nfa: 'N', cine_close_reason: inv.end_date ? 'RC8' : null, cine_close_date: datetime(inv.end_date) });
    }
  });
  await write('ssd_cin_plans', async (emit) => {
    for (const [i, inv] of demo.involvements.entries()) {
      if (inv.kind !== 'child_in_need') continue;
      await emit({ cinp_cin_plan_id: String(i + 1), cinp_referral_id: `R${i + 1}`, cinp_person_id: caseId(inv.child_id), cinp_cin_plan_start_date: datetime(inv.start_date), cinp_cin_plan_end_date: datetime(inv.end_date) });
    }
  });
  await write('ssd_cp_plans', async (emit) => {
    for (const [i, inv] of demo.involvements.entries()) {
      if (inv.kind !== 'child_protection') continue;
      const category = inv.cp_category === null ? null : childNumber.get(inv.child_id)! % 2 === 1 ? inv.cp_category : cpCategoryDescriptions[inv.cp_category];
      await emit({ cppl_cp_plan_id: String(i + 1), cppl_referral_id: `R${i + 1}`, cppl_person_id: caseId(inv.child_id), cppl_cp_plan_start_date: datetime(inv.start_date), cppl_cp_plan_end_date: datetime(inv.end_date), cppl_cp_plan_ola: 'N', cppl_cp_plan_initial_category: category, cppl_cp_plan_latest_category: category });
    }
  });
  await write('ssd_cla_episodes', async (emit) => {
    for (const [i, inv] of demo.involvements.entries()) {
      if (inv.kind !== 'looked_after') continue;
      await emit({ clae_cla_episode_id: String(i + 1), clae_person_id: caseId(inv.child_id), clae_cla_episode_start_date: datetime(inv.start_date), clae_cla_episode_start_reason: 'S', clae_cla_primary_need_code: 'N1', clae_cla_episode_ceased_date: datetime(inv.end_date), clae_cla_episode_ceased_reason: inv.end_date ? 'E11' : null, clae_cla_id: `CLA${i + 1}`, clae_referral_id: `R${i + 1}`, clae_entered_care_date: datetime(inv.start_date) });
    }
  });
  await write('ssd_legal_status', async (emit) => {
    for (const [i, inv] of demo.involvements.entries()) {
      if (inv.kind !== 'looked_after') continue;
      await emit({ lega_legal_status_id: `LS${i + 1}`, lega_person_id: caseId(inv.child_id), lega_legal_status: 'C2', lega_legal_status_start_date: datetime(inv.start_date), lega_legal_status_end_date: datetime(inv.end_date) });
    }
  });
  await write('ssd_involvements', async (emit) => {
    for (const [i, allocation] of demo.allocations.entries()) {
      await emit({ invo_involvements_id: String(i + 1), invo_professional_id: numberOf(allocation.social_worker_id), invo_professional_role_id: 'CW', invo_professional_team: numberOf(workerTeam.get(allocation.social_worker_id)!), invo_person_id: caseId(allocation.child_id), invo_involvement_start_date: datetime(allocation.start_date), invo_involvement_end_date: datetime(allocation.end_date) });
    }
  });
  return written;
}
