/**
 * Days as a person counts them beside a date: calendar dates, not periods of 24 hours. Kept
 * apart from the certificate reader so that the console's first screen can use it without
 * loading asn1js.
 */

const DAY_MS = 86_400_000;

/** The calendar date of a moment as a day number (days since 1970-01-01), in some time zone. */
export type DayNumber = (moment: Date) => number;

/** The calendar date in UTC, as the readiness check writes its dates. */
export const utcDayNumber: DayNumber = (moment) => Math.floor(moment.getTime() / DAY_MS);

/** Calendar days from `from` to `to` (0: the same date; negative when `to` is earlier). */
export function calendarDays(from: Date, to: Date, dayNumber: DayNumber = utcDayNumber): number {
  return dayNumber(to) - dayNumber(from);
}
