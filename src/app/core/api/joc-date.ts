/**
 * Reads a date-time as JOC Cockpit writes it. Jackson writes `java.util.Date` as ISO-8601 with an
 * offset instead of `Z` (`2027-01-01T12:00:00.000+00:00`, older versions `+0000`); the embedded
 * server writes `Z`. An answer without any zone is read as UTC, as JOC's dates are. Browsers
 * differ on `+0000` and on zone-less text, so both are normalised before `Date` reads them.
 * Undefined for a missing or unreadable value.
 */
export function parseJocDate(value: string | undefined | null): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, day, time, fraction = '', zone] = match;
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const offset = !zone
    ? 'Z'
    : zone.toUpperCase() === 'Z'
      ? 'Z'
      : zone.length === 3
        ? `${zone}:00`
        : zone.includes(':')
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const seconds = time.length === 5 ? `${time}:00` : time;
  const date = new Date(`${day}T${seconds}${millis}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
