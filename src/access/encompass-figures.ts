// Operation Encompass's figures (issue 14, point 6): for information governance, every
// notification; for a force, its own only. Which notifications are counted is the policy's
// `audit EncompassNotification` row filter (policies/*.yaml: information governance without
// conditions, a force's officers with `forceId: ${user.organisationId}`), never a check here.
// Counting releases nothing about a child: a school's name, a month and numbers. Part of the
// gateway (./index.ts spreads these methods into the one it makes per request).
import type { Sql } from '../db/connect.ts';
import type { Fragment } from './rules-to-sql.ts';

/** One school (or the front door) in one month, England's calendar month of sending. */
export interface EncompassFigureRow {
  /** YYYY-MM */
  month: string;
  /** The month's total over every school and the front door (then schoolName and schoolId are null). */
  total: boolean;
  /** The school's name; null for notifications sent to the council's front door. */
  schoolName: string | null;
  schoolId: string | null;
  sent: number;
  /**
   * Those whose due time has passed, or that were acknowledged (whenever): the share's
   * denominator, so a notification still within its time does not count against anyone.
   */
  due: number;
  /** Acknowledged at or before its due time (the start of the next school day). */
  acknowledgedInTime: number;
  acknowledged: number;
  /** Median minutes from sending to acknowledgement, over those acknowledged; null if none. */
  medianMinutes: number | null;
}

/** How many months back the figures go: two school years. */
export const FIGURE_MONTHS = 24;

export function encompassFigureMethods(sql: Sql, auditFilter: () => Fragment) {
  return {
    /** The figures by month (newest first): the month's total, then each school by name, the front door last; as at `now`. */
    async encompassFigures(now: Date = new Date()): Promise<EncompassFigureRow[]> {
      const rows = await sql<EncompassFigureRow[]>`
        select to_char(c.created_at at time zone 'Europe/London', 'YYYY-MM') as month,
               grouping(c.school_id) = 1 as total,
               s.name as "schoolName", c.school_id as "schoolId",
               count(*)::int as sent,
               count(*) filter (where c.due_at <= ${now} or c.acknowledged_at is not null)::int as due,
               count(*) filter (where c.acknowledged_at <= c.due_at)::int as "acknowledgedInTime",
               count(c.acknowledged_at)::int as acknowledged,
               percentile_cont(0.5) within group (order by extract(epoch from c.acknowledged_at - c.created_at) / 60)
                 filter (where c.acknowledged_at is not null) as "medianMinutes"
        from encompass_notifications c
        left join organisations s on s.id = c.school_id
        where ${auditFilter()}
          and c.created_at >= ${now}::timestamptz - make_interval(months => ${FIGURE_MONTHS})
        group by grouping sets ((1), (1, s.name, c.school_id))
        order by 1 desc, 2 desc, (c.school_id is null), 3, 4`;
      return rows.map((row) => ({ ...row, medianMinutes: row.medianMinutes === null ? null : Number(row.medianMinutes) }));
    },
  };
}
