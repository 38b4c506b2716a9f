// The council's own record: the local authority whose children's social care this portal is the
// front door to. Its contact details appear on refusal pages, and its front-door address
// receives the notifications of new concerns.
//
// Today a deployment serves one council: the first local authority in `organisations` by name
// (a demo or test database may hold others). This function is the single place that decides
// which council that is, and so the one place to change when one deployment serves several (the
// council would then follow from the user's organisation or the child's local authority).
import type { Db } from '../db/connect.ts';

export interface Council {
  id: string;
  name: string;
  /** DfE local authority number (organisations.la_code). */
  laCode: string;
  /**
   * The information governance team's address (organisations.contact_email): whom a refused user,
   * or a partner without recorded training, should contact.
   */
  informationGovernanceEmail: string | null;
  /** Where the front door's notifications of new concerns go (organisations.front_door_email). */
  frontDoorEmail: string | null;
  /** The children's services front door, in working hours. */
  dutyPhone: string;
  /** The emergency duty team, out of hours. */
  outOfHoursPhone: string;
}

/**
 * The council this deployment serves, or undefined before any local authority is recorded.
 * Takes the pool or a transaction, so a write can read it in its own transaction.
 */
export async function theCouncil(sql: Db): Promise<Council | undefined> {
  const [council] = await sql<Council[]>`
    select id, name, la_code as "laCode", contact_email as "informationGovernanceEmail",
           front_door_email as "frontDoorEmail", duty_phone as "dutyPhone", out_of_hours_phone as "outOfHoursPhone"
    from organisations
    where kind = 'local_authority'
    order by name
    limit 1`;
  return council;
}

/** Whom a refused or untrained user should contact, as the refusal pages show it. */
export const contactFor = (council: Council | undefined) =>
  council && { name: council.name, email: council.informationGovernanceEmail, phone: council.dutyPhone };
