// What information governance's pages choose from: organisations and the council's social
// workers. Neither is a child's record.
import type { Db } from '../db/connect.ts';

export interface OrganisationOption {
  id: string;
  name: string;
  kind: string;
}

export async function organisationOptions(sql: Db): Promise<OrganisationOption[]> {
  return sql<OrganisationOption[]>`select id, name, kind from organisations order by kind, name`;
}

export interface WorkerOption {
  id: string;
  name: string;
  teamId: string;
  team: string;
}

export async function workerOptions(sql: Db): Promise<WorkerOption[]> {
  return sql<WorkerOption[]>`
    select w.id, w.name, w.team_id as "teamId", t.name as team
    from social_workers w join teams t on t.id = w.team_id order by t.name, w.name`;
}

/** A portal user's name, to say whose entries are shown (not a child's record). */
export async function userName(sql: Db, id: string): Promise<string | null> {
  const [row] = await sql<{ name: string }[]>`select name from users where id = ${id}`;
  return row?.name ?? null;
}
