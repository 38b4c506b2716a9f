// Bank holidays in England and Wales, as published on GOV.UK (https://www.gov.uk/bank-holidays).
// A plain list so that anyone can review it against GOV.UK line by line. Scotland and Northern
// Ireland have different holidays and are not included: the council's front door works to
// England's calendar.
//
// Where Christmas Day, Boxing Day or New Year's Day falls at a weekend, the "substitute day"
// (the next weekday that is not already a holiday) is the bank holiday, and is what is listed.
// test/working-days.test.ts recomputes every year from the rules (Easter by the anonymous
// Gregorian algorithm, the Monday rules, the substitute days) so this list is checked, not trusted.
//
// THE COUNCIL MUST EXTEND THIS LIST EACH YEAR. Add the next year's dates when GOV.UK publishes
// them, move BANK_HOLIDAYS_COVER.to on, and add any one-off holiday proclaimed by the King (as
// for the 2022 jubilee and the 2023 coronation) or any move of a regular one (as in 2020, when
// the early May bank holiday moved to a Friday). Outside the cover the deadline is still
// worked out, skipping weekends only, and isCovered() lets the application say so.

export interface BankHoliday {
  /** YYYY-MM-DD, a day in England. */
  readonly date: string;
  readonly name: string;
}

export const BANK_HOLIDAYS_ENGLAND_AND_WALES_LIST: readonly BankHoliday[] = [
  // 2024
  { date: '2024-01-01', name: 'New Year’s Day' },
  { date: '2024-03-29', name: 'Good Friday' },
  { date: '2024-04-01', name: 'Easter Monday' },
  { date: '2024-05-06', name: 'Early May bank holiday' },
  { date: '2024-05-27', name: 'Spring bank holiday' },
  { date: '2024-08-26', name: 'Summer bank holiday' },
  { date: '2024-12-25', name: 'Christmas Day' },
  { date: '2024-12-26', name: 'Boxing Day' },
  // 2025
  { date: '2025-01-01', name: 'New Year’s Day' },
  { date: '2025-04-18', name: 'Good Friday' },
  { date: '2025-04-21', name: 'Easter Monday' },
  { date: '2025-05-05', name: 'Early May bank holiday' },
  { date: '2025-05-26', name: 'Spring bank holiday' },
  { date: '2025-08-25', name: 'Summer bank holiday' },
  { date: '2025-12-25', name: 'Christmas Day' },
  { date: '2025-12-26', name: 'Boxing Day' },
  // 2026
  { date: '2026-01-01', name: 'New Year’s Day' },
  { date: '2026-04-03', name: 'Good Friday' },
  { date: '2026-04-06', name: 'Easter Monday' },
  { date: '2026-05-04', name: 'Early May bank holiday' },
  { date: '2026-05-25', name: 'Spring bank holiday' },
  { date: '2026-08-31', name: 'Summer bank holiday' },
  { date: '2026-12-25', name: 'Christmas Day' },
  { date: '2026-12-28', name: 'Boxing Day (substitute day)' }, // Boxing Day is a Saturday
  // 2027
  { date: '2027-01-01', name: 'New Year’s Day' },
  { date: '2027-03-26', name: 'Good Friday' },
  { date: '2027-03-29', name: 'Easter Monday' },
  { date: '2027-05-03', name: 'Early May bank holiday' },
  { date: '2027-05-31', name: 'Spring bank holiday' },
  { date: '2027-08-30', name: 'Summer bank holiday' },
  { date: '2027-12-27', name: 'Christmas Day (substitute day)' }, // Christmas Day is a Saturday
  { date: '2027-12-28', name: 'Boxing Day (substitute day)' }, // Boxing Day is a Sunday
  // 2028
  { date: '2028-01-03', name: 'New Year’s Day (substitute day)' }, // New Year's Day is a Saturday
  { date: '2028-04-14', name: 'Good Friday' },
  { date: '2028-04-17', name: 'Easter Monday' },
  { date: '2028-05-01', name: 'Early May bank holiday' },
  { date: '2028-05-29', name: 'Spring bank holiday' },
  { date: '2028-08-28', name: 'Summer bank holiday' },
  { date: '2028-12-25', name: 'Christmas Day' },
  { date: '2028-12-26', name: 'Boxing Day' },
];

export const BANK_HOLIDAYS_ENGLAND_AND_WALES: ReadonlySet<string> = new Set(
  BANK_HOLIDAYS_ENGLAND_AND_WALES_LIST.map((holiday) => holiday.date),
);

/**
 * The days (inclusive, YYYY-MM-DD) for which the list above is complete. The council must
 * extend the list, and this cover, each year.
 */
export const BANK_HOLIDAYS_COVER = { from: '2024-01-01', to: '2028-12-31' } as const;

const londonDay = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
});

function dayInEngland(instant: Date): string {
  const parts = Object.fromEntries(londonDay.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * Whether the bank holiday list covers a day: a YYYY-MM-DD string, or an instant, taken as its
 * day in England. When false, working days are worked out from weekends alone and the
 * application should warn that bank holidays may be missing.
 */
export function isCovered(date: string | Date): boolean {
  const day = typeof date === 'string' ? date : dayInEngland(date);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Not a YYYY-MM-DD date: ${day}`);
  return day >= BANK_HOLIDAYS_COVER.from && day <= BANK_HOLIDAYS_COVER.to;
}
