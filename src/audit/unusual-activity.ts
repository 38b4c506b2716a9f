// Unusual activity for information governance, read from the access log (where every look,
// every lookup and every refused one has a row): hours in which one person made many lookups or
// had lookups refused by the per-person limit; many summaries opened by one person within a few
// minutes; lookups outside working hours; repeated lookups that found no child. The thresholds
// come from configuration (unusualActivitySettings).
import { BANK_HOLIDAYS_ENGLAND_AND_WALES } from '../concerns/bank-holidays.ts';
import type { PendingQuery, Row } from 'postgres';
import type { Db } from '../db/connect.ts';

export interface LookupBurst {
  userName: string;
  organisationName: string | null;
  role: string;
  hour: Date;
  lookups: number;
  refused: number;
}

/**
 * Hours in the last `days` in which one person (issuer and subject) made at least `threshold`
 * lookups or had any refused, newest first.
 */
export async function lookupBursts(sql: Db, { threshold, days }: { threshold: number; days: number }): Promise<LookupBurst[]> {
  return sql<LookupBurst[]>`
    select max(a.user_name) as "userName", max(a.organisation_name) as "organisationName", max(a.role) as role,
           date_trunc('hour', a.at) as hour,
           count(*)::int as lookups,
           (count(*) filter (where a.reason like 'Refused:%'))::int as refused
    from access_log a
    where a.action = 'lookup' and a.at > now() - make_interval(days => ${days})
    group by a.issuer, a.subject, date_trunc('hour', a.at)
    having count(*) >= ${threshold} or count(*) filter (where a.reason like 'Refused:%') > 0
    order by hour desc, lookups desc
    limit 200`;
}

// ---- The three flags of issue 12, point 8 (thresholds from configuration) ----

/** The thresholds, from configuration (src/config/config.ts) with their defaults applied. */
export interface UnusualActivitySettings {
  /** This many summaries or more by one person within `windowMinutes` is unusual. */
  summariesPerWindow: number;
  windowMinutes: number;
  /** Working hours in England, HH:MM to HH:MM (the end not included), Monday to Friday but bank holidays. */
  workingHours: { start: string; end: string };
  /** This many lookups that found no child or more by one person within `noMatchWindowMinutes`. */
  noMatchLookups: number;
  noMatchWindowMinutes: number;
}

export const DEFAULT_UNUSUAL_ACTIVITY: UnusualActivitySettings = {
  summariesPerWindow: 20,
  windowMinutes: 5,
  workingHours: { start: '08:00', end: '18:00' },
  noMatchLookups: 5,
  noMatchWindowMinutes: 60,
};

/** The settings from the configuration's variables, each default where unset. */
export function unusualActivitySettings(config: {
  UNUSUAL_SUMMARIES_PER_WINDOW?: number; UNUSUAL_WINDOW_MINUTES?: number; WORKING_HOURS?: string;
  UNUSUAL_NO_MATCH_LOOKUPS?: number; UNUSUAL_NO_MATCH_WINDOW_MINUTES?: number;
}): UnusualActivitySettings {
  const d = DEFAULT_UNUSUAL_ACTIVITY;
  return {
    summariesPerWindow: config.UNUSUAL_SUMMARIES_PER_WINDOW ?? d.summariesPerWindow,
    windowMinutes: config.UNUSUAL_WINDOW_MINUTES ?? d.windowMinutes,
    workingHours: config.WORKING_HOURS ? { start: config.WORKING_HOURS.slice(0, 5), end: config.WORKING_HOURS.slice(6) } : d.workingHours,
    noMatchLookups: config.UNUSUAL_NO_MATCH_LOOKUPS ?? d.noMatchLookups,
    noMatchWindowMinutes: config.UNUSUAL_NO_MATCH_WINDOW_MINUTES ?? d.noMatchWindowMinutes,
  };
}

/** Who did something unusual, as the log records them (and their portal user id, to filter the log). */
interface Who {
  userName: string;
  organisationName: string | null;
  role: string;
  userId: string | null;
}

/** A stretch of time in which one person's looks of one kind reached a threshold within the window. */
export interface WindowBurst extends Who {
  /** The first look of the first window that reached the threshold, and the last look that kept it there. */
  from: Date;
  to: Date;
  /** The most looks within one window. */
  peak: number;
}

/**
 * Runs of one person's rows matching `condition` in which `threshold` or more fall within
 * `minutes` of each other (a sliding window ending at each row), in the last `days`, newest
 * first. Windows that overlap or touch make one burst.
 */
async function windowBursts(sql: Db, condition: PendingQuery<Row[]>, { threshold, minutes, days }: { threshold: number; minutes: number; days: number }): Promise<WindowBurst[]> {
  // Narrow rows (who and when) through the window and its sort; names are read afterwards, for
  // the few bursts found, from the person's entry that ended each burst.
  return sql<WindowBurst[]>`
    with looks as (
      select a.issuer, a.subject, a.at,
             count(*) over w as n, first_value(a.at) over w as first_at
      from access_log a
      where ${condition} and a.at > now() - make_interval(days => ${days}::int)
      window w as (partition by a.issuer, a.subject order by a.at
                   range between make_interval(mins => ${minutes}::int) preceding and current row)
    ), flagged as (
      select l.*, case when lag(l.at) over (partition by l.issuer, l.subject order by l.at)
                              >= l.at - make_interval(mins => ${minutes}::int) then 0 else 1 end as starts
      from looks l where l.n >= ${threshold}::int
    ), episodes as (
      select f.*, sum(f.starts) over (partition by f.issuer, f.subject order by f.at) as episode from flagged f
    ), bursts as (
      select e.issuer, e.subject, min(e.first_at) as "from", max(e.at) as "to", max(e.n)::int as peak
      from episodes e group by e.issuer, e.subject, e.episode
      order by "to" desc limit 200
    )
    select x.user_name as "userName", x.organisation_name as "organisationName", x.role,
           (select u.id from users u where u.issuer = b.issuer and u.subject = b.subject) as "userId",
           b."from", b."to", b.peak
    from bursts b
    cross join lateral (
      select a.user_name, a.organisation_name, a.role from access_log a
      where a.issuer = b.issuer and a.subject = b.subject and a.at = b."to" limit 1
    ) x
    order by b."to" desc`;
}

/** Many summaries opened by one person in a few minutes. */
export function summaryBursts(sql: Db, settings: UnusualActivitySettings, days: number): Promise<WindowBurst[]> {
  return windowBursts(sql, sql`a.action = 'view_summary'`, { threshold: settings.summariesPerWindow, minutes: settings.windowMinutes, days });
}

/** Many lookups by one person that found no child (not those refused by the hourly limit: lookupBursts has them). */
export function noMatchBursts(sql: Db, settings: UnusualActivitySettings, days: number): Promise<WindowBurst[]> {
  return windowBursts(sql, sql`a.action = 'lookup' and a.child_id is null and coalesce(a.reason, '') not like 'Refused:%'`,
    { threshold: settings.noMatchLookups, minutes: settings.noMatchWindowMinutes, days });
}

/** One person's lookups on one day in England outside working hours. */
export interface OutOfHoursLookups extends Who {
  /** The day in England, YYYY-MM-DD. */
  day: string;
  lookups: number;
  first: Date;
  last: Date;
}

/**
 * Lookups outside working hours (England's time): before the start or from the end of the
 * working day, at a weekend, or on a bank holiday, in the last `days`; one row per person and
 * day, newest first. Emergency departments and the police work round the clock, so some are
 * expected: the list says who and how many, for information governance to judge.
 */
export async function outOfHoursLookups(sql: Db, settings: UnusualActivitySettings, days: number): Promise<OutOfHoursLookups[]> {
  const local = sql`(a.at at time zone 'Europe/London')`;
  return sql<OutOfHoursLookups[]>`
    select max(a.user_name) as "userName", max(a.organisation_name) as "organisationName", max(a.role) as role,
           (select u.id from users u where u.issuer = a.issuer and u.subject = a.subject) as "userId",
           ${local}::date::text as day, count(*)::int as lookups, min(a.at) as first, max(a.at) as last
    from access_log a
    where a.action = 'lookup' and a.at > now() - make_interval(days => ${days}::int)
      and (extract(isodow from ${local}) >= 6
           or ${local}::time < ${settings.workingHours.start}::time
           or ${local}::time >= ${settings.workingHours.end}::time
           or ${local}::date = any(${[...BANK_HOLIDAYS_ENGLAND_AND_WALES]}::date[]))
    group by a.issuer, a.subject, ${local}::date
    order by last desc
    limit 200`;
}

/** Everything unusual in the last `days`, each kind newest first. */
export async function unusualActivity(sql: Db, settings: UnusualActivitySettings & { lookupThreshold: number }, days: number) {
  const [lookups, summaries, outOfHours, noMatch] = await Promise.all([
    lookupBursts(sql, { threshold: settings.lookupThreshold, days }),
    summaryBursts(sql, settings, days),
    outOfHoursLookups(sql, settings, days),
    noMatchBursts(sql, settings, days),
  ]);
  return { lookups, summaries, outOfHours, noMatch };
}
export type UnusualActivity = Awaited<ReturnType<typeof unusualActivity>>;
