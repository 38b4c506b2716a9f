// The case-file audit's one query of concerns (issue 17): drawing a month's sample of decided
// concerns, at random within the filters but reproducibly. The order is md5(seed || id): the
// same seed, filters and month over the same decided concerns always give the same sample, and
// a different seed an unrelated one. Only concerns the auditor's policy lets them audit
// (`filter`, from `audit Concern`) are drawn.
import type { Db } from '../db/connect.ts';
import type { Fragment } from './rules-to-sql.ts';

export interface SampleQuery {
  /** The month's first day, YYYY-MM-01 (England's calendar). */
  month: string;
  /** Kinds of organisation the concern came from (an agency's), or null for any. */
  organisationKinds: readonly string[] | null;
  outcome: string | null;
  immediateRisk: boolean | null;
  seed: bigint;
  size: number;
}

export async function drawConcernSample(sql: Db, filter: Fragment, q: SampleQuery): Promise<Array<{ id: string; decidedByUserId: string | null }>> {
  return sql<Array<{ id: string; decidedByUserId: string | null }>>`
    select c.id, c.decided_by_user_id as "decidedByUserId"
    from concerns c join organisations o on o.id = c.organisation_id
    where c.status = 'decided'
      and c.decided_at >= (${q.month}::date::timestamp at time zone 'Europe/London')
      and c.decided_at < ((${q.month}::date + interval '1 month')::timestamp at time zone 'Europe/London')
      ${q.organisationKinds ? sql`and o.kind in ${sql(q.organisationKinds as string[])}` : sql``}
      ${q.outcome ? sql`and c.decision = ${q.outcome}` : sql``}
      ${q.immediateRisk === null ? sql`` : sql`and c.immediate_risk = ${q.immediateRisk}`}
      and ${filter}
    order by md5(${q.seed.toString()} || c.id::text), c.id
    limit ${q.size}`;
}

/** The front-door worker who decided a concern: the person its audit is about. */
export async function decidedBy(sql: Db, concernId: string): Promise<string | null> {
  const [row] = await sql<Array<{ userId: string | null }>>`select decided_by_user_id as "userId" from concerns where id = ${concernId}`;
  return row?.userId ?? null;
}
