// When a school must have acknowledged a notification: the start of the next school day after
// it was sent, by the school-day clock (./school-days.ts: working days less the council's term
// holidays, SCHOOL_HOLIDAYS; the start is ENCOMPASS_ACKNOWLEDGE_BY, 08:30 by default). Its
// signature is the sending side's contract: (sentAt) => dueAt, the calendar from configuration.
import { loadConfig } from '../config/config.ts';
import type { SchoolCalendar } from './school-days.ts';
import { encompassSettings } from './settings.ts';

// Read from the environment, which every worker is given alike: the same in each process.
let configured: SchoolCalendar | undefined;

/** The calendar configured in the environment, read once (loadConfig has checked it at start-up). */
function configuredCalendar(): SchoolCalendar {
  configured ??= encompassSettings(loadConfig()).calendar;
  return configured;
}

/** The start of the first school day not yet started when it was sent (see ./school-days.ts). */
export function acknowledgementDueAt(sentAt: Date, calendar: SchoolCalendar = configuredCalendar()): Date {
  return calendar.dueAt(sentAt);
}
