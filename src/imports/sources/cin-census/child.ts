// One census child, read whole (a child is small; the file is not) and turned into canonical
// records: the child, then its involvements. Pure: the streaming reader (./read.ts) hands it
// each <Child> as it closes.
//
// How a census episode becomes involvements. The census nests a child protection plan inside
// the child-in-need episode (CINdetails) it belongs to; the portal shows a child's *level* of
// involvement, one kind at a time, as the case systems' "current status" does. So a CINdetails
// from referral to closure becomes a child_protection involvement for each plan, and
// child_in_need involvements for the parts of the episode no plan covers: referral 1 May, plan
// from 1 June → child in need 1 May to 1 June, child protection from 1 June.
import type { CpCategory, ChildIn, ImportRecord, InvolvementIn } from '../../records.ts';
import type { Issue, IssueOutcome } from '../../issues.ts';
import { cell, maskValue, parseGender, parseSourceDate } from '../../values.ts';
import { checkUpn } from '../../../identifiers/upn.ts';
import { CATEGORIES_OF_ABUSE, GENDER_CURRENT_CODES, PRIMARY_NEED_CODES, REASONS_FOR_CLOSURE, REFERRAL_SOURCES, SEX_CODES } from './codes.ts';

/** A repeating group as the reader collected it: its path and its leaf values by element name. */
export interface CensusGroup {
  path: string;
  fields: Record<string, string>;
}
export interface CensusDetail extends CensusGroup {
  plans: CensusGroup[];
}
/** `fields` holds ChildIdentifiers' values, the only child-level group the portal reads. */
export interface CensusChild extends CensusGroup {
  details: CensusDetail[];
}

export interface ChildResult {
  records: ImportRecord[];
  issues: Issue[];
}

interface Span {
  start: string;
  end: string | null;
}
interface KeptPlan extends Span {
  path: string;
  category: CpCategory;
  detail: number;
}
interface KeptDetail extends Span {
  path: string;
  index: number;
}

/** `a` is before `b`, treating null as open-ended (after every date). */
const before = (a: string | null, b: string | null) => a !== null && (b === null || a < b);

/** What the file has shown so far: each child id once, each UPN on one child only. */
export interface Seen {
  ids: Set<string>;
  upns: Set<string>;
}

export function readChild(child: CensusChild, file: string, seen: Seen): ChildResult {
  const issues: Issue[] = [];
  const issue = (where: string, rule: string, dfeRule: string | null, field: string, value: string | null, message: string, outcome: IssueOutcome, caseSystemId: string | null) =>
    issues.push({ source: 'cin-census', where: { file, path: where }, caseSystemId, rule, dfeRule, field, value, message, outcome });

  const ids = child.fields;
  const id = cell(ids.LAchildID);
  if (id === null) {
    issue(child.path, 'missing-value', '8500', 'LAchildID', null, 'LA Child ID missing: the child cannot be matched to the case record', 'rejected', null);
    return { records: [], issues };
  }
  if (seen.ids.has(id)) {
    issue(child.path, 'duplicate-child', '8510', 'LAchildID', id, 'More than one child record with the same LA Child ID: only the first is loaded', 'rejected', id);
    return { records: [], issues };
  }
  seen.ids.add(id);
  const warn = (where: string, rule: string, dfeRule: string | null, field: string, value: string | null, message: string) =>
    issue(where, rule, dfeRule, field, value, message, 'warning', id);
  const reject = (where: string, rule: string, dfeRule: string | null, field: string, value: string | null, message: string) =>
    issue(where, rule, dfeRule, field, value, message, 'rejected', id);

  const record: ChildIn = { kind: 'child', where: { file, path: child.path }, caseSystemId: id };
  // A personal date the file gets wrong is left out (the merge keeps what it has), not guessed.
  const personalDate = (field: string, absent: null | undefined): string | null | undefined => {
    const text = cell(ids[field]);
    if (text === null) return absent;
    const date = parseSourceDate(text);
    if (date === undefined) warn(child.path, 'invalid-date', null, field, maskValue('date', text), `${field} is not a date written YYYY-MM-DD: left out`);
    return date;
  };
  record.dateOfBirth = personalDate('PersonBirthDate', undefined);
  // A census that gives no date of death is saying the child has not died.
  record.dateOfDeath = personalDate('PersonDeathDate', null);

  const sex = cell(ids.Sex);
  const genderCurrent = cell(ids.GenderCurrent);
  if (sex !== null || genderCurrent !== null) {
    const [field, text, codes] = sex !== null ? ['Sex', sex.toUpperCase(), SEX_CODES] as const : ['GenderCurrent', genderCurrent!, GENDER_CURRENT_CODES] as const;
    // U, 0 and 9 say the return does not know: they leave out gender rather than overwrite
    // what the case-system extract said (a child recorded as 'other' would become 'not known').
    if (codes.has(text)) {
      const gender = parseGender(text);
      if (gender === 'male' || gender === 'female') record.gender = gender;
    }
    else warn(child.path, 'unknown-code', '4180', field, text, `${field} is not a census code (${[...codes].join(', ')}): left out`);
  }

  const upn = cell(ids.UPN);
  if (upn !== null) {
    const checked = checkUpn(upn);
    if (checked.ok && seen.upns.has(checked.value)) {
      // Two children cannot share a UPN: the later one is loaded without it, not matched on it.
      warn(child.path, 'duplicate-upn', '1520', 'UPN', maskValue('upn', upn), 'More than one record with the same UPN: left out of this child');
    } else if (checked.ok) {
      record.upn = checked.value;
      seen.upns.add(checked.value);
    } else {
      const [rule, dfeRule, message] = checked.problem === 'wrong_check_letter'
        ? ['upn-check-letter', '1510', 'UPN invalid (wrong check letter at character 1): left out']
        : ['upn-invalid', checked.problem === 'wrong_characters' ? '1540' : null, 'UPN is not a letter, 11 digits and a digit or letter: left out'];
      warn(child.path, rule, dfeRule, 'UPN', maskValue('upn', upn), message);
    }
  }
  const formerUpn = cell(ids.FormerUPN);
  if (formerUpn !== null) {
    const checked = checkUpn(formerUpn);
    if (checked.ok) record.formerUpns = [checked.value];
    else warn(child.path, checked.problem === 'wrong_check_letter' ? 'upn-check-letter' : 'upn-invalid', '1560Q', 'FormerUPN', maskValue('upn', formerUpn), 'Former UPN wrongly formatted: left out');
  }

  // Episodes: dates first (a bad date rejects the episode), then codes (a bad code is reported
  // and the episode kept: the portal does not store referral sources or need codes).
  const episodeDate = (group: CensusGroup, field: string, dfeRule: string | null, required: boolean): string | null | false => {
    const text = cell(group.fields[field]);
    if (text === null) {
      if (!required) return null;
      reject(group.path, 'missing-value', dfeRule, field, null, `${field} is missing`);
      return false;
    }
    const date = parseSourceDate(text);
    if (date === undefined) {
      reject(group.path, 'invalid-date', dfeRule, field, text, `${field} is not a date written YYYY-MM-DD`);
      return false;
    }
    return date;
  };
  const code = (group: CensusGroup, field: string, codes: ReadonlySet<string>, dfeRule: string, what: string) => {
    const text = cell(group.fields[field]);
    if (text !== null && !codes.has(text.toUpperCase())) warn(group.path, 'unknown-code', dfeRule, field, text, `${what} is not a census code`);
  };

  const details: KeptDetail[] = [];
  const plans: KeptPlan[] = [];
  child.details.forEach((detail, index) => {
    readPlans(detail, index);
    const start = episodeDate(detail, 'CINreferralDate', '8600', true);
    if (start === false || start === null) return;
    const end = episodeDate(detail, 'CINclosureDate', null, false);
    if (end === false) return;
    if (end !== null && end < start) {
      reject(detail.path, 'end-before-start', '8630', 'CINclosureDate', end, 'CIN Closure Date is before CIN Referral Date for the same CIN episode');
      return;
    }
    code(detail, 'ReferralSource', REFERRAL_SOURCES, '8866', 'Source of referral');
    code(detail, 'PrimaryNeedCode', PRIMARY_NEED_CODES, '8650', 'Primary need code');
    code(detail, 'ReasonForClosure', REASONS_FOR_CLOSURE, '8640', 'Reason for closure');
    // A referral that led to no further action never made the child a child in need: showing
    // it to partners as an involvement would say the council was working with the family.
    if (['TRUE', '1'].includes(cell(detail.fields.ReferralNFA)?.toUpperCase() ?? '')) {
      warn(detail.path, 'no-further-action', null, 'ReferralNFA', 'true', 'A referral with no further action is not an involvement: not loaded');
      return;
    }
    details.push({ path: detail.path, index, start, end });
  });

  function readPlans(detail: CensusDetail, index: number): void {
    for (const plan of detail.plans) {
      const start = episodeDate(plan, 'CPPstartDate', '8720', true);
      if (start === false || start === null) continue;
      const end = episodeDate(plan, 'CPPendDate', null, false);
      if (end === false) continue;
      if (end !== null && end < start) {
        reject(plan.path, 'end-before-start', '8925', 'CPPendDate', end, 'Child Protection Plan End Date earlier than Start Date');
        continue;
      }
      const latest = cell(plan.fields.LatestCategoryOfAbuse)?.toUpperCase() ?? null;
      if (latest === null || !CATEGORIES_OF_ABUSE.has(latest)) {
        reject(plan.path, 'unknown-code', '8910', 'LatestCategoryOfAbuse', latest, 'Latest Category of Abuse code missing or invalid (NEG, PHY, SAB, EMO or MUL)');
        continue;
      }
      code(plan, 'InitialCategoryOfAbuse', CATEGORIES_OF_ABUSE, '8905', 'Initial category of abuse');
      plans.push({ path: plan.path, start, end, category: latest as CpCategory, detail: index });
    }
  }

  // Overlaps: the later of two overlapping episodes (or plans) is the one rejected; touching
  // (one ends the day the next starts) is how a case steps up or down, not an overlap.
  const overlapping = <T extends Span & { path: string }>(spans: T[], rule: string, dfeRule: string, field: string, message: string): T[] => {
    const kept: T[] = [];
    for (const span of [...spans].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
      const previous = kept.at(-1);
      if (previous && before(span.start, previous.end)) reject(span.path, rule, dfeRule, field, span.start, message);
      else kept.push(span);
    }
    return kept;
  };
  const keptPlans = overlapping(plans, 'overlapping-cp-plans', '8940', 'CPPstartDate', 'Child Protection Plan data contains overlapping dates: this plan starts before the previous one ends');
  const keptDetails = overlapping(details, 'overlapping-episodes', '8820', 'CINreferralDate', 'The dates on the CIN episodes for this child overlap: this episode starts before the previous one closes');

  const involvements: InvolvementIn[] = [];
  for (const plan of keptPlans) {
    involvements.push({ kind: 'involvement', where: { file, path: plan.path }, caseSystemId: id, involvementKind: 'child_protection', startDate: plan.start, endDate: plan.end, cpCategory: plan.category });
  }
  for (const detail of keptDetails) {
    for (const span of uncovered(detail, keptPlans.filter((p) => p.detail === detail.index))) {
      involvements.push({ kind: 'involvement', where: { file, path: detail.path }, caseSystemId: id, involvementKind: 'child_in_need', startDate: span.start, endDate: span.end });
    }
  }
  involvements.sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
  return { records: [record, ...involvements], issues };
}

/** The parts of an episode that none of its plans covers (the whole episode when it has none). */
function uncovered(episode: Span, plans: readonly Span[]): Span[] {
  if (plans.length === 0) return [episode];
  const spans: Span[] = [];
  let cursor: string | null = episode.start;
  for (const plan of [...plans].sort((a, b) => (a.start < b.start ? -1 : 1))) {
    if (cursor === null) break;
    const until = before(plan.start, episode.end) ? plan.start : episode.end;
    if (before(cursor, until)) spans.push({ start: cursor, end: until });
    if (before(cursor, plan.end)) cursor = plan.end;
  }
  if (cursor !== null && before(cursor, episode.end)) spans.push({ start: cursor, end: episode.end });
  return spans;
}
