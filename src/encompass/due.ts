// When a school must have acknowledged a notification: the start of the next school day after
// it was sent. PLACEHOLDER until the school-day clock (helper of issue 14's school side)
// replaces this file: the next weekday (Monday to Friday) at 08:30 in England, with no term
// holidays or bank holidays. Its signature is the contract: (sentAt) => dueAt.
const ZONE = 'Europe/London';
const START_OF_SCHOOL_DAY = { hour: 8, minute: 30 };

const parts = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' });

/** The UTC instant of hour:minute on a date (YYYY-MM-DD) in England, allowing for summer time. */
function londonTime(date: string, hour: number, minute: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, hour, minute);
  // England is UTC or UTC+1: try both and keep the one that reads back as that wall-clock time.
  for (const offsetHours of [0, 1]) {
    const at = new Date(guess - offsetHours * 3_600_000);
    const wall = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    if (wall === `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`) return at;
  }
  return new Date(guess);
}

function londonDate(at: Date): { date: string; weekday: string } {
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: p.weekday! };
}

/** The start of the next school day strictly after the day `sentAt` falls on, in England. */
export function acknowledgementDueAt(sentAt: Date): Date {
  let day = londonDate(sentAt).date;
  for (;;) {
    const next = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000);
    const { date, weekday } = londonDate(next);
    day = date;
    if (weekday !== 'Sat' && weekday !== 'Sun') return londonTime(day, START_OF_SCHOOL_DAY.hour, START_OF_SCHOOL_DAY.minute);
  }
}
