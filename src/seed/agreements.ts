// Demo information-sharing agreements: every partner organisation has an active one, except one
// school whose agreement lapsed last month, so the demo can show that refusal.
import { DEMO_ORGANISATIONS, SCHOOL_WITH_LAPSED_AGREEMENT } from './demo-organisations.ts';

export interface AgreementRow {
  id: string;
  organisation_id: string;
  reference: string;
  starts_on: string;
  ends_on: string | null;
}

const DAY_MS = 86_400_000;
const shift = (referenceDate: string, days: number) =>
  new Date(Date.parse(`${referenceDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function demoAgreements(referenceDate: string): AgreementRow[] {
  return DEMO_ORGANISATIONS.filter((organisation) => organisation.kind !== 'local_authority').map((organisation, index) => {
    const lapsed = organisation.id === SCHOOL_WITH_LAPSED_AGREEMENT.id;
    return {
      id: `de000000-0000-4000-8000-${String(900 + index).padStart(12, '0')}`,
      organisation_id: organisation.id,
      reference: `NCC-ISA-${String(index + 1).padStart(3, '0')}`,
      starts_on: shift(referenceDate, lapsed ? -760 : -400),
      ends_on: lapsed ? shift(referenceDate, -30) : null,
    };
  });
}
