// theCouncil reads the council's own record: the first local authority by name, on the pool or
// inside a transaction.
import { describe, expect, it } from 'vitest';
import {
  NORTHBRIDGE_COUNCIL,
  NORTHBRIDGE_FRONT_DOOR_EMAIL,
  NORTHBRIDGE_INFORMATION_GOVERNANCE_EMAIL,
} from '../seed/demo-organisations.ts';
import { seedDemoData } from '../seed/insert.ts';
import { useTestDatabase } from '../../test/support/database.ts';
import { theCouncil } from './council.ts';

const db = useTestDatabase();

describe('theCouncil', () => {
  it('is undefined before any local authority is recorded', async () => {
    expect(await theCouncil(db().sql)).toBeUndefined();
  });

  it('is the demo council, with its contacts, on the pool and in a transaction', async () => {
    await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
    const expected = {
      id: NORTHBRIDGE_COUNCIL.id,
      name: NORTHBRIDGE_COUNCIL.name,
      laCode: NORTHBRIDGE_COUNCIL.la_code,
      informationGovernanceEmail: NORTHBRIDGE_INFORMATION_GOVERNANCE_EMAIL,
      frontDoorEmail: NORTHBRIDGE_FRONT_DOOR_EMAIL,
      dutyPhone: NORTHBRIDGE_COUNCIL.duty_phone,
      outOfHoursPhone: NORTHBRIDGE_COUNCIL.out_of_hours_phone,
    };
    expect(await theCouncil(db().sql)).toEqual(expected);
    expect(await db().sql.begin((tx) => theCouncil(tx))).toEqual(expected);
  });

  it('is the first local authority by name when there are several', async () => {
    await db().sql`
      insert into organisations (kind, name, la_code, duty_phone, out_of_hours_phone)
      values ('local_authority', 'Aardvark Borough Council', '991', '01632 960 100', '01632 960 199')`;
    expect((await theCouncil(db().sql))?.name).toBe('Aardvark Borough Council');
  });
});
