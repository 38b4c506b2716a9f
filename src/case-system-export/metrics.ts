// What /metrics (src/health/metrics.ts) says about the webhook to the council's case system:
// counts and an age, never an event's content. Until a webhook has run on this database
// (case_system_consumers.active_since), nothing counts as undelivered: a council that takes the
// file export only is not told it is behind.
import type { Sql } from '../db/connect.ts';

export interface CaseSystemFigures {
  undelivered: number;
  oldestUndeliveredSeconds: number;
  failed: number;
}

export async function caseSystemFigures(sql: Sql): Promise<CaseSystemFigures> {
  // Reads the unsequenced index and the position key above the cursor: cheap however long the log.
  const [row] = await sql<{ undelivered: number; oldest: number; failed: number }[]>`
    with cursor as (select last_position from case_system_consumers where name = 'webhook' and active_since is not null),
    waiting as (
      select e.occurred_at from case_system_events e, cursor where e.position > cursor.last_position
      union all
      select e.occurred_at from case_system_events e, cursor where e.position is null
    )
    select (select count(*) from waiting)::int as undelivered,
           coalesce(extract(epoch from now() - (select min(occurred_at) from waiting)), 0)::float8 as oldest,
           (select count(*) from case_system_deliveries where failed_at is not null)::int as failed`;
  return { undelivered: row!.undelivered, oldestUndeliveredSeconds: Math.max(0, row!.oldest), failed: row!.failed };
}

export const caseSystemSamples = (figures: CaseSystemFigures) => [
  { name: 'portal_case_system_events_undelivered', help: 'Concern events not yet delivered to the case system webhook; 0 until a webhook has run.', value: figures.undelivered },
  { name: 'portal_case_system_events_oldest_undelivered_age_seconds', help: 'Age of the oldest concern event not yet delivered to the case system webhook; 0 when none is waiting.', value: figures.oldestUndeliveredSeconds },
  { name: 'portal_case_system_events_failed', help: 'Concern events the case system webhook refused for good (a 4xx or a redirect): not retried.', value: figures.failed },
];
