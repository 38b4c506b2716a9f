// SQL for children's records. Every query takes the policy's row filter (./rules-to-sql.ts),
// so a list, a summary, a lookup or a suggestion fetches only children the user may see; each
// record is then checked again with the ability and reduced to its permitted fields (./index.ts).
import type { Db as Sql } from '../db/connect.ts';
import type { ChildAttributes } from '../policy/fields.ts';
import type { Fragment as Filter } from './rules-to-sql.ts';
import { likePrefix } from '../validation/like.ts';

export interface ChildRecord extends ChildAttributes {
  forename: string;
  surname: string;
  dateOfBirth: string;
  gender: string;
  nhsNumber: string | null;
  upn: string | null;
  address: string | null;
  postcode: string | null;
  openKinds: Array<'child_in_need' | 'child_protection' | 'looked_after'>;
  cpCategory: string | null;
  cpStartDate: string | null;
  lookedAfterStartDate: string | null;
  involvementStartDate: string | null;
  nextReviewDate: string | null;
  workerName: string | null;
  workerPhone: string | null;
  teamName: string | null;
  teamPhone: string | null;
  councilName: string;
  dutyPhone: string;
  outOfHoursPhone: string;
  currentRelationships: Array<{ organisationName: string; kind: string; startDate: string }>;
}

/**
 * One row per child with its policy attributes and every field a policy could release; `extra`,
 * where given, is one more column (", (…) as name"), e.g. the count of the child's documents.
 */
const selectRecords = (sql: Sql, where: Filter, tail: Filter, extra: Filter = sql``) => sql<ChildRecord[]>`
  select c.id, c.forename, c.surname, c.date_of_birth::text as "dateOfBirth", c.gender,
         c.nhs_number as "nhsNumber", c.upn, c.address, c.postcode,
         c.sealed, c.address_withheld as "addressWithheld", c.restricted,
         inv.kinds is not null as open,
         coalesce(inv.kinds && array['child_protection', 'looked_after']::text[], false) as "cpisActive",
         coalesce(inv.kinds, '{}') as "openKinds",
         inv.cp_category as "cpCategory", inv.cp_start::text as "cpStartDate",
         inv.lac_start::text as "lookedAfterStartDate", inv.first_start::text as "involvementStartDate",
         inv.next_review::text as "nextReviewDate",
         w.id as "allocatedWorkerId", w.team_id as "allocatedTeamId",
         w.name as "workerName", w.phone as "workerPhone", t.name as "teamName", t.phone as "teamPhone",
         la.name as "councilName", la.duty_phone as "dutyPhone", la.out_of_hours_phone as "outOfHoursPhone",
         coalesce(rel.ids, '[]') as relationships,
         coalesce(rel.named, '[]') as "currentRelationships"
         ${extra}
  from children c
  join organisations la on la.id = c.local_authority_id
  left join lateral (
    select array_agg(i.kind order by i.kind) as kinds,
           max(i.cp_category) filter (where i.kind = 'child_protection') as cp_category,
           min(i.start_date) filter (where i.kind = 'child_protection') as cp_start,
           min(i.start_date) filter (where i.kind = 'looked_after') as lac_start,
           min(i.start_date) as first_start,
           min(i.next_review_date) as next_review
    from involvements i where i.child_id = c.id and i.end_date is null
  ) inv on true
  left join allocations a on a.child_id = c.id and a.end_date is null
  left join social_workers w on w.id = a.social_worker_id
  left join teams t on t.id = w.team_id
  left join lateral (
    select json_agg(json_build_object('organisationId', r.organisation_id, 'kind', r.kind)) as ids,
           json_agg(json_build_object('organisationName', o.name, 'kind', r.kind, 'startDate', r.start_date) order by r.kind) as named
    from child_organisation_relationships r join organisations o on o.id = r.organisation_id
    where r.child_id = c.id and r.end_date is null
  ) rel on true
  where ${where}
  ${tail}`;

export async function findChild<Extra extends object = {}>(sql: Sql, id: string, filter: Filter, extra?: Filter): Promise<(ChildRecord & Partial<Extra>) | undefined> {
  const [row] = await selectRecords(sql, sql`c.id = ${id} and ${filter}`, sql``, extra);
  return row as (ChildRecord & Partial<Extra>) | undefined;
}

export type LegalStatusFilter = 'child_in_need' | 'child_protection' | 'looked_after';

/** The columns a list can be sorted by (a whitelist: each has its own ORDER BY below). */
export const listSortColumns = ['name', 'nextReviewDate'] as const;
export type ListSortColumn = (typeof listSortColumns)[number];

export interface ListSort {
  by: ListSortColumn;
  direction: 'ascending' | 'descending';
}

export interface ListQuery {
  name: string;
  status: LegalStatusFilter | null;
  page: number;
  pageSize: number;
  /** By last then first name, A to Z, when not given. */
  sort?: ListSort;
  /** Count up to this many (LIST_COUNT_LIMIT when not given). */
  countLimit?: number;
}

/**
 * The ORDER BY for a sort: only these fragments, never a column named by the request. Next
 * review date puts children with none last either way, and breaks ties by name; the id breaks
 * the last ties, so that pages never overlap.
 */
function listOrder(sql: Sql, sort: ListSort = { by: 'name', direction: 'ascending' }): Filter {
  const descending = sort.direction === 'descending';
  if (sort.by === 'nextReviewDate') {
    return descending ? sql`order by inv.next_review desc nulls last, c.surname, c.forename, c.id`
      : sql`order by inv.next_review asc nulls last, c.surname, c.forename, c.id`;
  }
  return descending ? sql`order by c.surname desc, c.forename desc, c.id desc` : sql`order by c.surname, c.forename, c.id`;
}

function listWhere(sql: Sql, filter: Filter, query: ListQuery): Filter {
  const name = query.name.trim().toLowerCase();
  // Matched literally: a % or _ typed is a character to find, not a wildcard.
  const starts = likePrefix(name);
  const byName = name
    ? sql`and (lower(c.surname) like ${starts} escape '\' or lower(c.forename) like ${starts} escape '\'
               or lower(c.forename || ' ' || c.surname) like ${starts} escape '\')`
    : sql``;
  const byStatus = query.status
    ? sql`and exists (select 1 from involvements s where s.child_id = c.id and s.end_date is null and s.kind = ${query.status})`
    : sql``;
  return sql`${filter} ${byName} ${byStatus}`;
}

/**
 * A list counts at most this many children. The council sees hundreds of thousands, and
 * counting them all took longer than the page (a school's 45,000 at 1 M children: 400 ms); past
 * this many, a search by name or status finds a child sooner than paging would.
 */
export const LIST_COUNT_LIMIT = 1000;

/** One page of the list, and how many match (at most LIST_COUNT_LIMIT; `more` where there are more than that). */
export async function listChildren(sql: Sql, filter: Filter, query: ListQuery): Promise<{ rows: ChildRecord[]; total: number; more: boolean }> {
  const where = listWhere(sql, filter, query);
  const limit = query.countLimit ?? LIST_COUNT_LIMIT;
  const [rows, [count]] = await Promise.all([
    selectRecords(sql, where, sql`${listOrder(sql, query.sort)} limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`),
    sql<{ total: number }[]>`select count(*)::int as total from (select 1 from children c where ${where} limit ${limit + 1}) matching`,
  ]);
  const total = count!.total;
  return { rows, total: Math.min(total, limit), more: total > limit };
}

export interface LookupQuery {
  nhsNumber?: string;
  /** A unique pupil number, with the date of birth (a police notification's child, issue 14). */
  upn?: string;
  surname?: string;
  dateOfBirth?: string;
  postcode?: string;
}

/**
 * Exact match only: an NHS number, or surname + date of birth + postcode together. Where a
 * child's address is withheld (or the record restricted) the postcode plays no part: any
 * postcode finds the child, so the answer never confirms (or denies) a withheld postcode.
 */
export async function lookUpChild(sql: Sql, filter: Filter, query: LookupQuery): Promise<ChildRecord[]> {
  const match = query.nhsNumber
    ? sql`c.nhs_number = ${query.nhsNumber}`
    : query.upn
    ? sql`c.upn = ${query.upn} and c.date_of_birth = ${query.dateOfBirth!}`
    : sql`lower(c.surname) = lower(${query.surname!}) and c.date_of_birth = ${query.dateOfBirth!}
          and (c.address_withheld or c.restricted or upper(replace(c.postcode, ' ', '')) = upper(replace(${query.postcode!}, ' ', '')))`;
  return selectRecords(sql, sql`${match} and ${filter}`, sql`limit 2`);
}

/** What a partner told the front door about the child, to find the child on record. */
export interface ChildIdentifiers {
  raisedAboutId: string | null;
  /** The organisation that raised the concern: a child formerly on its roll may be the one. */
  raisedByOrganisationId?: string | null;
  forename: string | null;
  surname: string | null;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  upn: string | null;
  postcode: string | null;
}

export interface MatchCandidate {
  childId: string;
  /** Why it was suggested, strongest first: 0 is the child the partner raised it about. */
  strength: number;
  reason: string;
}

export const matchReasons = {
  raisedAbout: 'The partner raised the concern about this child',
  nhsNumber: 'Same NHS number',
  upn: 'Same unique pupil number',
  surnameAndDateOfBirth: 'Same last name and date of birth',
  nameAndPostcode: 'Same first name, last name and postcode',
  similarSurnameAndDateOfBirth: 'Same date of birth, similar last name',
  swappedDateOfBirth: 'Same last name, day and month of birth swapped',
  similarNameAndPostcode: 'Same postcode, similar name',
  similarNameFormerSchool: 'Similar name, formerly on roll at the school that raised it',
  searched: 'Found by your search',
} as const;

/** The same date with day and month swapped, where that is another real date (day 1 to 12, not equal to the month). */
export function swappedDayAndMonth(date: string | null): string | null {
  const parts = date?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!parts) return null;
  const [, year, month, day] = parts;
  return Number(day) <= 12 && day !== month ? `${year}-${day}-${month}` : null;
}

/** How close a name must be: trigram similarity of at least this (pg_trgm's own default is 0.3). */
const SIMILAR = 0.3;

/**
 * A last name close to `surname`: trigram similarity, one or two letters different (one for a
 * name of four letters or fewer), or the same double metaphone (sounds the same). levenshtein
 * takes at most 255 characters, so longer text is cut to that (no real name is that long).
 */
const similarSurname = (sql: Sql, surname: string) => sql`(
  similarity(lower(c.surname), ${surname}::text) >= ${SIMILAR}
  or levenshtein(left(lower(c.surname), 255), left(${surname}::text, 255)) <= ${surname.length <= 4 ? 1 : 2}
  or dmetaphone(c.surname) = dmetaphone(${surname}::text))`;

/**
 * Children a concern may be about, each once with its strongest reason, at most `limit`. Exact
 * first: the child it was raised about, the same NHS number, the same UPN, the same last name and
 * date of birth, the same first and last name with the same postcode. Then near: the same date
 * of birth with a similar last name, the same last name with day and month of birth swapped, the
 * same postcode with a similar name. Within a reason, the closest whole name first. Only
 * children the filter admits.
 */
export async function matchCandidates(sql: Sql, child: ChildIdentifiers, filter: Filter, limit = 5): Promise<MatchCandidate[]> {
  const forename = child.forename?.trim().toLowerCase() || null;
  const surname = child.surname?.trim().toLowerCase() || null;
  const fullName = [forename, surname].filter(Boolean).join(' ') || null;
  const postcode = child.postcode?.replace(/\s+/g, '').toUpperCase() || null;
  const swapped = swappedDayAndMonth(child.dateOfBirth);
  const near = (fragment: Filter) => (surname ? fragment : sql`false`);
  return sql<MatchCandidate[]>`
    with candidates (child_id, strength, reason) as (
      select c.id, 0, ${matchReasons.raisedAbout} from children c where c.id = ${child.raisedAboutId}::uuid
      union all
      select c.id, 1, ${matchReasons.nhsNumber} from children c where c.nhs_number = ${child.nhsNumber}::text
      union all
      select c.id, 2, ${matchReasons.upn} from children c where c.upn = ${child.upn}::text
      union all
      select c.id, 3, ${matchReasons.surnameAndDateOfBirth} from children c
      where lower(c.surname) = ${surname}::text and c.date_of_birth = ${child.dateOfBirth}::date
      union all
      select c.id, 4, ${matchReasons.nameAndPostcode} from children c
      where lower(c.forename) = ${forename}::text and lower(c.surname) = ${surname}::text
        and upper(replace(c.postcode, ' ', '')) = ${postcode}::text
      union all
      select c.id, 5, ${matchReasons.similarSurnameAndDateOfBirth} from children c
      where c.date_of_birth = ${child.dateOfBirth}::date and ${near(similarSurname(sql, surname ?? ''))}
      union all
      select c.id, 6, ${matchReasons.swappedDateOfBirth} from children c
      where c.date_of_birth = ${swapped}::date and lower(c.surname) = ${surname}::text
      union all
      select c.id, 7, ${matchReasons.similarNameAndPostcode} from children c
      where upper(replace(c.postcode, ' ', '')) = ${postcode}::text
        and ${near(sql`(${similarSurname(sql, surname ?? '')}
          and (${forename}::text is null or similarity(lower(c.forename), ${forename}::text) >= ${SIMILAR}
               or left(lower(c.forename), 1) = left(${forename}::text, 1))
          or similarity(lower(c.forename || ' ' || c.surname), ${fullName}::text) >= ${SIMILAR + 0.1})`)}
      union all
      -- A pupil who has left the school that raised the concern (the school still knows them by name).
      select c.id, 8, ${matchReasons.similarNameFormerSchool} from children c
      where exists (select 1 from child_organisation_relationships r
                    where r.child_id = c.id and r.kind = 'enrolled' and r.end_date is not null
                      and r.organisation_id = ${child.raisedByOrganisationId ?? null}::uuid)
        and ${near(sql`(${similarSurname(sql, surname ?? '')}
          and (${forename}::text is null or similarity(lower(c.forename), ${forename}::text) >= ${SIMILAR}
               or left(lower(c.forename), 1) = left(${forename}::text, 1)))`)}
    ),
    best as (
      select distinct on (child_id) child_id, strength, reason from candidates order by child_id, strength
    )
    select b.child_id as "childId", b.strength, b.reason
    from best b join children c on c.id = b.child_id
    where ${filter}
    order by b.strength, coalesce(similarity(lower(c.forename || ' ' || c.surname), ${fullName}::text), 0) desc,
             c.surname, c.forename, c.id
    limit ${limit}`;
}

/** What the front door typed to find a child by hand. */
export interface SearchQuery {
  name: string;
  /** ISO date, or null. */
  dateOfBirth: string | null;
  /** An NHS number or a unique pupil number, or null. */
  identifier: string | null;
}

/**
 * Children matching every part of a search by hand that was given: a name close to the whole
 * name (or any part of it), the date of birth, the NHS number or UPN. Closest name first, at most
 * `limit`; only children the filter admits. An empty search finds no one.
 */
export async function searchChildren(sql: Sql, filter: Filter, query: SearchQuery, limit = 10): Promise<ChildRecord[]> {
  const name = query.name.trim().toLowerCase().replace(/\s+/g, ' ');
  const identifier = query.identifier?.replace(/\s+/g, '').toUpperCase() || null;
  if (!name && !query.dateOfBirth && !identifier) return [];
  const whole = sql`lower(c.forename || ' ' || c.surname)`;
  const byName = name
    ? sql`and (word_similarity(${name}::text, ${whole}) >= 0.5 or ${whole} like ${'%' + likePrefix(name)} escape '\'
               or ${similarSurname(sql, name.split(' ').at(-1)!)})`
    : sql``;
  const byDate = query.dateOfBirth ? sql`and c.date_of_birth = ${query.dateOfBirth}::date` : sql``;
  const byIdentifier = identifier ? sql`and (c.nhs_number = ${identifier}::text or upper(c.upn) = ${identifier}::text)` : sql``;
  const score = name ? sql`word_similarity(${name}::text, ${whole})` : sql`0::real` /* a constant, not "order by column 0" */;
  return selectRecords(sql, sql`${filter} ${byName} ${byDate} ${byIdentifier}`,
    sql`order by ${score} desc, c.surname, c.forename, c.id limit ${limit}`);
}

/** Records, in the order of `ids`, that the filter admits. */
export async function findChildren(sql: Sql, ids: string[], filter: Filter): Promise<ChildRecord[]> {
  if (ids.length === 0) return [];
  const rows = await selectRecords(sql, sql`c.id in ${sql(ids)} and ${filter}`, sql``);
  return ids.flatMap((id) => rows.filter((row) => row.id === id));
}

/**
 * The child's allocated social worker and their address, if the child has one. A worker added
 * from the case system's feed may have no address yet: they get their alerts on their start page.
 */
export async function allocatedWorker(sql: Sql, childId: string): Promise<{ id: string; email: string | null } | undefined> {
  const [row] = await sql<{ id: string; email: string | null }[]>`
    select w.id, w.email from allocations a join social_workers w on w.id = a.social_worker_id
    where a.child_id = ${childId} and a.end_date is null
    order by a.start_date desc limit 1`;
  return row;
}
