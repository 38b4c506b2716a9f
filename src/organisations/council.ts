// The council's own record: the one place that reads it. Today a deployment serves one council
// (the first local authority by name); when one deployment serves several, this is where the
// responsible council for a record or a user is chosen.
import type { Db } from '../db/connect.ts';

export interface Council {
  id: string;
  name: string;
  /** Information governance's address, given to partners who need training recorded. */
  contactEmail: string | null;
  frontDoorEmail: string | null;
  dutyPhone: string;
  outOfHoursPhone: string;
}

export async function theCouncil(sql: Db): Promise<Council | undefined> {
  const [row] = await sql<Council[]>`
    select id, name, contact_email as "contactEmail", front_door_email as "frontDoorEmail",
           duty_phone as "dutyPhone", out_of_hours_phone as "outOfHoursPhone"
    from organisations where kind = 'local_authority' order by name limit 1`;
  return row;
}
