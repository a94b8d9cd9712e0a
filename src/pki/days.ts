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

/**
 * Calendar dates in an IANA time zone ("Europe/Berlin"): the server judges a readiness check in
 * the person's zone, as the console counts the days it shows. Throws a RangeError for a zone the
 * runtime does not know.
 */
export function zoneDayNumber(timeZone: string): DayNumber {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  return (moment) => {
    const part = (type: string) =>
      Number(formatter.formatToParts(moment).find((p) => p.type === type)?.value);
    return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS;
  };
}
