// The partnership's figures (issue 17, points 2 to 4; docs/figures.md): counts by month over the
// live tables, for whoever the policy lets `read Figures` (council management). Counting
// releases nothing about a child: months, codes, school and agency names, and numbers. Every
// query is bounded by the period on the column that dates it (received_at, decided_at,
// access_log.at, completed_at), which migration 035 indexes, so only the period is read and a
// partitioned table is pruned. Months are England's calendar months. Part of the gateway
// (./index.ts spreads these methods into the one it makes per request); a caller the policy does
// not allow gets NotPermitted, whatever the route did.
import type { Sql } from '../db/connect.ts';
import { instantAtLondonTime, londonWallClock } from '../concerns/working-days.ts';
import { REFERRAL_SOURCE_OF_ROLE, UNKNOWN_REFERRAL_SOURCE } from '../figures/referral-sources.ts';
import type { Fragment } from './rules-to-sql.ts';

/** A period: from `from` (inclusive) to `to` (exclusive), instants. */
export interface FigurePeriod {
  from: Date;
  to: Date;
}

export interface MonthCount { month: string; key: string; count: number }
export interface TimelinessRow {
  month: string;
  /** Not immediate risk, decided or past their deadline; of those, decided by the deadline. */
  due: number; inTime: number;
  /** Immediate risk, decided or past the target; of those, decided within the target. */
  riskDue: number; riskInTime: number;
}
export interface TimeToDecisionRow { month: string; decided: number; medianHours: number; p90Hours: number }
export interface SchoolRoll { id: string; name: string; onRoll: number }
export interface RepeatRow { month: string; matched: number; repeats: number }

/** The period's months (YYYY-MM) and the instant each starts (the first: the period's start). */
export function monthStarts(period: FigurePeriod): { months: string[]; starts: string[] } {
  const months: string[] = [];
  const starts: string[] = [];
  let month = londonWallClock(period.from).date.slice(0, 7);
  let start = period.from;
  while (start < period.to) {
    months.push(month);
    starts.push(start.toISOString());
    const [y, m] = month.split('-').map(Number) as [number, number];
    month = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
    start = instantAtLondonTime(`${month}-01`, { hour: 0, minute: 0 });
  }
  return { months, starts };
}

export function figureMethods(sql: Sql, allowed: () => boolean, NotPermitted: new (message?: string) => Error) {
  const check = () => {
    if (!allowed()) throw new NotPermitted('figures');
  };
  // A row's month: which of the period's month starts its instant follows (width_bucket: a binary
  // search per row, far cheaper than each row's time in England), named here afterwards.
  const bucket = (column: Fragment, period: FigurePeriod) => sql`width_bucket(${column}, ${monthStarts(period).starts}::timestamptz[])`;
  function named<T extends { month: string | number }>(period: FigurePeriod, rows: readonly T[]): Array<T & { month: string }> {
    const { months } = monthStarts(period);
    return rows.map((r) => ({ ...r, month: months[Number(r.month) - 1]! }));
  }
  const roles = Object.keys(REFERRAL_SOURCE_OF_ROLE);
  const codes = Object.values(REFERRAL_SOURCE_OF_ROLE);

  return {
    figures: {
      /** Concerns received, by month and CIN referral-source code (by the role the referrer raised it as). */
      async referralSources(period: FigurePeriod): Promise<MonthCount[]> {
        check();
        return named(period, await sql<MonthCount[]>`
          select ${bucket(sql`c.received_at`, period)} as month, coalesce(m.code, ${UNKNOWN_REFERRAL_SOURCE}) as key, count(*)::int as count
          from concerns c
          left join unnest(${roles}::text[], ${codes}::text[]) as m (role, code) on m.role = c.submitted_by_role
          where c.received_at >= ${period.from} and c.received_at < ${period.to}
          group by 1, 2`);
      },

      /** Decisions made, by month decided and outcome. */
      async outcomes(period: FigurePeriod): Promise<MonthCount[]> {
        check();
        return named(period, await sql<MonthCount[]>`
          select ${bucket(sql`c.decided_at`, period)} as month, c.decision as key, count(*)::int as count
          from concerns c
          where c.decided_at >= ${period.from} and c.decided_at < ${period.to}
          group by 1, 2`);
      },

      /**
       * Concerns received, by month: of those not at immediate risk and decided or past their
       * deadline (one working day, concerns.decision_due_at), how many were decided by it; of those
       * at immediate risk and decided or past the target, how many within `riskHours`.
       */
      async timeliness(period: FigurePeriod, riskHours: number, now: Date): Promise<TimelinessRow[]> {
        check();
        const target = sql`make_interval(secs => ${riskHours * 3600})`;
        return named(period, await sql<TimelinessRow[]>`
          select ${bucket(sql`c.received_at`, period)} as month,
                 count(*) filter (where not c.immediate_risk and (c.decided_at is not null or c.decision_due_at <= ${now}))::int as due,
                 count(*) filter (where not c.immediate_risk and c.decided_at <= c.decision_due_at)::int as "inTime",
                 count(*) filter (where c.immediate_risk and (c.decided_at is not null or c.received_at + ${target} <= ${now}))::int as "riskDue",
                 count(*) filter (where c.immediate_risk and c.decided_at <= c.received_at + ${target})::int as "riskInTime"
          from concerns c
          where c.received_at >= ${period.from} and c.received_at < ${period.to}
          group by 1`);
      },

      /** Hours from receipt to decision, by month decided: the median and 90th percentile (interpolated). */
      async timeToDecision(period: FigurePeriod): Promise<TimeToDecisionRow[]> {
        check();
        const rows = await sql.begin(async (tx) => {
          // The percentiles sort a year's decisions: in memory, not in temporary files.
          await tx`set local work_mem = '64MB'`;
          // Both percentiles from one sort of each month's times.
          return tx<Array<{ month: number; decided: number; hours: Array<string | number> }>>`
            select ${bucket(tx`c.decided_at`, period)} as month, count(*)::int as decided,
                   percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from c.decided_at - c.received_at) / 3600) as hours
            from concerns c
            where c.decided_at >= ${period.from} and c.decided_at < ${period.to}
            group by 1`;
        });
        return named(period, rows).map(({ hours, ...r }) => ({ ...r, medianHours: Number(hours[0]), p90Hours: Number(hours[1]) }));
      },

      /** Every school, with the children on its roll now (current enrolments). */
      async schoolRolls(): Promise<SchoolRoll[]> {
        check();
        return sql<SchoolRoll[]>`
          select s.id, s.name, coalesce(r.on_roll, 0)::int as "onRoll"
          from organisations s
          left join (
            select organisation_id, count(*) as on_roll from child_organisation_relationships
            where kind = 'enrolled' and end_date is null group by organisation_id
          ) r on r.organisation_id = s.id
          where s.kind = 'school'
          order by s.name, s.id`;
      },

      /** Concerns raised by each school, by month received (key: the school's id). */
      async concernsBySchool(period: FigurePeriod): Promise<MonthCount[]> {
        check();
        return named(period, await sql<MonthCount[]>`
          select ${bucket(sql`c.received_at`, period)} as month, c.organisation_id::text as key, count(*)::int as count
          from concerns c
          join organisations s on s.id = c.organisation_id and s.kind = 'school'
          where c.received_at >= ${period.from} and c.received_at < ${period.to}
          group by 1, 2`);
      },

      /**
       * Concerns matched to a child, by month received, and how many of them followed another
       * concern about the same child received in the 12 months before: each child's concerns in
       * order (from 12 months before the period), each compared with the one before it.
       */
      async repeats(period: FigurePeriod): Promise<RepeatRow[]> {
        check();
        return named(period, await sql<RepeatRow[]>`
          select ${bucket(sql`c.received_at`, period)} as month, count(*)::int as matched,
                 count(*) filter (where c.previous >= c.received_at - interval '12 months')::int as repeats
          from (
            select child_id, received_at, lag(received_at) over (partition by child_id order by received_at) as previous
            from concerns
            where child_id is not null
              and received_at >= ${period.from}::timestamptz - interval '12 months' and received_at < ${period.to}
          ) c
          where c.received_at >= ${period.from}
          group by 1`);
      },

      /**
       * Partners' looks at children's records (view_summary, lookup), by month, role and action:
       * whole days already counted (access_log_daily, src/audit/access-log-daily.ts), then the live
       * log after them. A period starting or ending inside a counted day is not split: days are
       * England's, and so are the period's ends.
       */
      async partnerLooks(period: FigurePeriod, partnerRoles: readonly string[]): Promise<Array<MonthCount & { action: string }>> {
        check();
        const wanted = partnerRoles as string[];
        const rows = await sql<Array<{ month: number; key: string; action: string; count: number }>>`
          with counted as (select coalesce((select counted_through from access_log_daily_through), '-infinity') as through),
          days as (
            select ${bucket(sql`(d.day::timestamp at time zone 'Europe/London')`, period)} as month, d.role, d.action, sum(d.count)::int as count
            from access_log_daily d
            where d.day >= (${period.from}::timestamptz at time zone 'Europe/London')::date
              and d.day < least((select through from counted), ${period.to}::timestamptz) at time zone 'Europe/London'
              and d.action in ('view_summary', 'lookup') and d.role = any(${wanted}::text[])
            group by 1, 2, 3
          ), live as (
            select ${bucket(sql`l.at`, period)} as month, l.role, l.action, count(*)::int as count
            from access_log l
            where l.at >= greatest(${period.from}::timestamptz, (select through from counted)) and l.at < ${period.to}
              and l.action in ('view_summary', 'lookup') and l.role = any(${wanted}::text[])
            group by 1, 2, 3
          )
          select month, role as key, action, sum(count)::int as count from (select * from days union all select * from live) t
          group by 1, 2, 3`;
        return named(period, rows);
      },

      /** Grades given in completed case-file audits, by month completed and grade (every area). */
      async auditGrades(period: FigurePeriod): Promise<MonthCount[]> {
        check();
        return named(period, await sql<MonthCount[]>`
          select ${bucket(sql`a.completed_at`, period)} as month, g.grade as key, count(*)::int as count
          from case_audits a
          join case_audit_grades g on g.audit_id = a.id
          where a.status = 'completed' and a.completed_at >= ${period.from} and a.completed_at < ${period.to}
          group by 1, 2`);
      },
    },
  };
}
