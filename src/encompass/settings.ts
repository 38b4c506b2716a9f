// Operation Encompass's school-side settings, with their defaults, from the checked
// configuration (src/config/config.ts has already refused malformed values at start-up).
import type { Config } from '../config/config.ts';
import { parseSchoolHolidays, parseTimeOfDay, schoolCalendar, type SchoolCalendar } from './school-days.ts';

/**
 * Minutes after a notification's due time before the council's front door is alerted as well
 * as the school's other DSLs: an hour gives the school's other safeguarding leads the first hour
 * of the school day to act before the council is told the school has not.
 */
export const DEFAULT_FRONT_DOOR_AFTER_MINUTES = 60;

export interface EncompassSettings {
  calendar: SchoolCalendar;
  frontDoorAfterMinutes: number;
}

type EncompassConfig = Partial<Pick<Config, 'SCHOOL_HOLIDAYS' | 'ENCOMPASS_ACKNOWLEDGE_BY' | 'ENCOMPASS_FRONT_DOOR_AFTER_MINUTES'>>;

export function encompassSettings(config: EncompassConfig = {}): EncompassSettings {
  return {
    calendar: schoolCalendar({
      holidays: config.SCHOOL_HOLIDAYS ? parseSchoolHolidays(config.SCHOOL_HOLIDAYS) : [],
      acknowledgeBy: config.ENCOMPASS_ACKNOWLEDGE_BY ? parseTimeOfDay(config.ENCOMPASS_ACKNOWLEDGE_BY) : undefined,
    }),
    frontDoorAfterMinutes: config.ENCOMPASS_FRONT_DOOR_AFTER_MINUTES ?? DEFAULT_FRONT_DOOR_AFTER_MINUTES,
  };
}
