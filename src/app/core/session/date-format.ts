/** How dates are written: the person picks one in Preferences. */
export type DateFormat = 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'MM/DD/YYYY' | 'D MMM YYYY';

export const DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'D MMM YYYY'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  zone: string;
}

/** One formatter per time zone: creating an Intl formatter costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
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

/** The date alone, in a time zone and format: `2026-11-27`. */
export function formatDate(date: Date, timeZone: string, format: DateFormat): string {
  if (Number.isNaN(date.getTime())) return 'unknown date';
  const p = parts(date, timeZone);
  switch (format) {
    case 'DD.MM.YYYY':
      return `${p.day}.${p.month}.${p.year}`;
    case 'MM/DD/YYYY':
      return `${p.month}/${p.day}/${p.year}`;
    case 'D MMM YYYY':
      return `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}`;
    default:
      return `${p.year}-${p.month}-${p.day}`;
  }
}

/** Date and time with the zone's short name: `2026-11-27 09:01 GMT+1`. */
export function formatDateTime(date: Date, timeZone: string, format: DateFormat): string {
  if (Number.isNaN(date.getTime())) return 'unknown date';
  const p = parts(date, timeZone);
  return `${formatDate(date, timeZone, format)} ${p.hour}:${p.minute} ${p.zone}`;
}

/** The browser's own time zone, the default preference. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows, for the Preferences select. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
