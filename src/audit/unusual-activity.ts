// Unusual activity for information governance: hours in which one person made many lookups,
// or had lookups refused by the per-person limit. Read from the access log, where every lookup
// and every refused one has a row.
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
