/** How dates are written: the person picks one in Preferences. */
export type DateFormat = 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'MM/DD/YYYY' | 'D MMM YYYY';

export const DATE_FORMATS: readonly DateFormat[] = [
  'YYYY-MM-DD',
  'DD.MM.YYYY',
  'MM/DD/YYYY',
  'D MMM YYYY',
];

/** English month names for 'D MMM YYYY': written by hand, so English needs no Intl locale data. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  zone: string;
}

/**
 * The time zone preference that means "the browser's own zone" (the default). Dates in it are
 * written with Date's local fields: the first Intl formatter of a page loads its locale data,
 * which the Signature tab's first paint does not need.
 */
export const BROWSER_ZONE = '';

const pad = (n: number) => String(n).padStart(2, '0');

/** One formatter per time zone: creating an Intl formatter costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone || undefined,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function parts(date: Date, timeZone: string): Parts {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = formatterFor(timeZone);
  } catch {
    // An unknown zone (e.g. from an old browser's preferences) falls back to UTC.
    return parts(date, 'UTC');
  }
  const found: Record<string, string> = {};
  for (const p of formatter.formatToParts(date)) found[p.type] = p.value;
  return {
    year: found['year'] ?? '',
    month: found['month'] ?? '',
    day: found['day'] ?? '',
    hour: found['hour'] ?? '',
    minute: found['minute'] ?? '',
    zone: found['timeZoneName'] ?? timeZone,
  };
}

/** Year, month and day in the zone; local fields for the browser's zone (no Intl). */
function dayParts(date: Date, timeZone: string): Pick<Parts, 'year' | 'month' | 'day'> {
  if (timeZone !== BROWSER_ZONE) return parts(date, timeZone);
  return {
    year: String(date.getFullYear()),
    month: pad(date.getMonth() + 1),
    day: pad(date.getDate()),
  };
}

/** The calendar date of `date` in the zone as a day number (days since 1970-01-01). */
export function dayNumber(date: Date, timeZone: string): number {
  const p = dayParts(date, timeZone);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / 86_400_000;
}

/** One day-month-year formatter per language, for 'D MMM YYYY' outside English. */
const monthFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * 'D MMM YYYY' in a language: English as written ("4 Mar 2027"); other languages with their own
 * month names and order ("4. März 2027", "4 mars 2027", "2027年3月4日"). The day is formatted
 * in UTC from the zone's year, month and day, so the zone decides the day, not the formatter.
 */
function withMonthName(year: string, month: string, day: string, language: string): string {
  if (language === 'en') return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
  let formatter = monthFormatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    monthFormatters.set(language, formatter);
  }
  return formatter.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))));
}

/**
 * The date alone, in a time zone (BROWSER_ZONE: the browser's) and format: `2026-11-27`. The
 * language (a BCP 47 tag, default English) names the months of 'D MMM YYYY'.
 */
export function formatDate(
  date: Date,
  timeZone: string,
  format: DateFormat,
  language = 'en',
): string {
  if (Number.isNaN(date.getTime())) return 'unknown date';
  const p = dayParts(date, timeZone);
  switch (format) {
    case 'DD.MM.YYYY':
      return `${p.day}.${p.month}.${p.year}`;
    case 'MM/DD/YYYY':
      return `${p.month}/${p.day}/${p.year}`;
    case 'D MMM YYYY':
      return withMonthName(p.year, p.month, p.day, language);
    default:
      return `${p.year}-${p.month}-${p.day}`;
  }
}

/** Date and time with the zone's short name: `2026-11-27 09:01 GMT+1`. */
export function formatDateTime(
  date: Date,
  timeZone: string,
  format: DateFormat,
  language = 'en',
): string {
  if (Number.isNaN(date.getTime())) return 'unknown date';
  const p = parts(date, timeZone);
  return `${formatDate(date, timeZone, format, language)} ${p.hour}:${p.minute} ${p.zone}`;
}

/** The name of the browser's own time zone (what BROWSER_ZONE stands for). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows, for the Preferences select. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
