// A year of partner concerns, decisions, partners' looks and case-file audits, generated in the
// database itself (INSERT … SELECT generate_series: one statement each, no rows through Node), for
// the figures' benchmark (bench/figures.ts) and the figures' test, which recomputes every figure
// from these rows another way. Needs the demo directory and children (src/seed/) first.
// Every organisation outside the council gets one user, raising concerns as the role its kind
// fits (roles.ts); the front door decides; one auditor audits.
import type { Sql } from '../src/db/connect.ts';
import { ensureAccessLogPartitions } from '../src/audit/partitions.ts';

export interface FigureDataOptions {
  concerns: number;
  accessLogRows: number;
  audits: number;
  /** The data runs up to this instant … */
  end: Date;
  /** … over this many days before it. */
  days: number;
}

const ISSUER = 'http://127.0.0.1/figures-data';

/** The role each kind of organisation raises concerns as (a role of src/auth/roles.ts). */
const ROLE_OF_KIND = sqlCase({
  school: 'education.dsl', gp_practice: 'health.gp', health_visiting_team: 'health.health_visitor',
  school_nursing_team: 'health.school_nurse', emergency_department: 'health.emergency_department', police_force: 'police.public_protection',
});

function sqlCase(map: Record<string, string>): string {
  return `case o.kind ${Object.entries(map).map(([k, v]) => `when '${k}' then '${v}'`).join(' ')} end`;
}

export async function generateFigureData(sql: Sql, options: FigureDataOptions): Promise<void> {
  const { end, days } = options;
  const start = new Date(end.getTime() - days * 86_400_000);
  await sql`
    insert into users (issuer, subject, name)
    select ${ISSUER}, 'figures-' || o.id, 'Generated user of ' || o.name from organisations o
    union all select ${ISSUER}, 'figures-front-door', 'Generated front-door worker'
    on conflict (issuer, subject) do nothing`;

  await sql.unsafe(`
    with orgs as (
      select o.id, u.id as user_id, u.name, ${ROLE_OF_KIND} as role,
             row_number() over (order by o.kind, o.id) - 1 as n, count(*) over () as total
      from organisations o join users u on u.issuer = $1 and u.subject = 'figures-' || o.id
      where o.kind <> 'local_authority'
    ), kids as (
      -- A child for most concerns, from a pool half the size of the concerns, so many have several.
      select id, row_number() over (order by id) - 1 as n from children
      order by id limit greatest(1, $2::int / 2)
    ), pool as (select count(*) as size from kids),
    front_door as (select id from users where issuer = $1 and subject = 'figures-front-door'),
    g as (
      select g,
             $3::timestamptz - random() * make_interval(days => $4::int) as received_at,
             random() < 0.1 as immediate_risk,
             random() as r_decide, random() as r_child,
             -- hours to decide: mostly within a day, a long tail
             (-ln(1 - random()) * 14) as hours
      from generate_series(1, $2::int) g
    )
    insert into concerns (reference, idempotency_key, submitted_by_user_id, submitted_by_name, submitted_by_role,
                          organisation_id, child_id, category, what_happened, happened_on, immediate_risk,
                          parents_aware, referrer_phone, received_at, decision_due_at, status, decision,
                          decision_reason, feedback, decided_by_user_id, decided_at, decision_form_version)
    select 'GEN-' || gen_random_uuid(), gen_random_uuid()::text, o.user_id, o.name, o.role,
           o.id, case when g.r_child < 0.7 then k.id end, 'neglect', 'Generated concern', (g.received_at at time zone 'Europe/London')::date,
           g.immediate_risk, true, '01632 960000', g.received_at,
           g.received_at + case when g.immediate_risk then interval '2 hours'
                                when extract(isodow from g.received_at at time zone 'Europe/London') = 5 then interval '3 days'
                                when extract(isodow from g.received_at at time zone 'Europe/London') = 6 then interval '2 days 8 hours'
                                else interval '1 day' end,
           d.status, d.decision, d.reason, d.feedback, d.decided_by, d.decided_at, d.form_version
    from g
    join orgs o on o.n = (g.g::bigint * 7919) % (select count(*) from orgs)
    left join kids k on k.n = (g.g::bigint * 104729) % (select size from pool)
    cross join lateral (
      select case when decided then 'decided' else 'received' end as status,
             case when decided then (array['no_further_action', 'advice_given', 'early_help', 'referral_to_social_care',
                                           'strategy_discussion', 'passed_to_allocated_worker'])[1 + g.g % 6] end as decision,
             case when decided then 'Generated' end as reason, case when decided then 'Generated' end as feedback,
             case when decided then (select id from front_door) end as decided_by,
             case when decided then at end as decided_at, case when decided then 1 end as form_version
      from (select g.received_at + make_interval(secs => g.hours * 3600) as at) t,
           lateral (select t.at <= $3::timestamptz and g.r_decide < 0.97 as decided) dd
    ) d`, [ISSUER, options.concerns, end, days] as never[]);

  await ensureAccessLogPartitions(sql, start, end);
  await sql.unsafe(`
    with orgs as (
      select o.id, o.name, ${ROLE_OF_KIND} as role, row_number() over (order by o.kind, o.id) - 1 as n, count(*) over () as total
      from organisations o where o.kind <> 'local_authority'
    ), kids as (select id, row_number() over (order by id) - 1 as n from children)
    insert into access_log (at, issuer, subject, user_name, organisation_id, organisation_name, role, child_id, action, fields_released, reason, request_id)
    select $2::timestamptz - random() * make_interval(days => $3::int), $4, 'figures-' || o.id, 'Generated user', o.id, o.name, o.role,
           case when g % 20 = 0 then null else k.id end,
           case when g % 20 = 0 then 'view_list' when g % 10 = 1 then 'lookup' else 'view_summary' end,
           '{forename,surname}'::text[], case when g % 10 = 1 then 'Generated lookup' end, 'figures-' || g
    from generate_series(1, $1::int) g
    join orgs o on o.n = (g::bigint * 31) % (select count(*) from orgs)
    -- (The modulus is a scalar, so this is a hash join, not a loop over every child.)
    join kids k on k.n = (g::bigint * 7919) % (select count(*) from children)`, [options.accessLogRows, end, days, ISSUER] as never[]);

  await sql.unsafe(`
    with picked as (
      select id, decided_at from concerns where status = 'decided' and decided_at >= $2::timestamptz - make_interval(days => $3::int)
      order by md5(id::text) limit $1::int
    ), auditor as (select id from users where issuer = $4 and subject = 'figures-front-door'),
    made as (
      insert into case_audits (concern_id, auditor_user_id, auditor_name, status, completed_at)
      select p.id, (select id from auditor), 'Generated auditor', 'completed',
             least($2::timestamptz, p.decided_at + random() * interval '20 days')
      from picked p
      returning id
    )
    insert into case_audit_grades (audit_id, area, grade)
    select m.id, a.area, (array['exceeds_good', 'meets_good', 'meets_good', 'does_not_meet_good'])[1 + floor(random() * 4)::int]
    from made m cross join unnest(array['timeliness', 'risk_recognition', 'matching', 'feedback', 'multi_agency', 'child_voice']) as a (area)`,
  [options.audits, end, days, ISSUER] as never[]);
}
