/**
 * Dates a person types and picks: read in the format chosen in Preferences, and the end of a
 * chosen day in the chosen zone. Only dialogs with a date field import this (not the first paint).
 *
 * A chosen calendar day is held as the date picker holds it: a Date at local midnight whose
 * year, month and day are that day's (whatever the browser's zone and the person's zone are).
 */
import { BROWSER_ZONE, formatDate, type DateFormat } from './date-format';

/** The day `days` after a calendar day (negative: before). */
export function addDays(day: Date, days: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(day: Date, years: number): Date {
  const year = day.getFullYear() + years;
  const last = new Date(year, day.getMonth() + 1, 0).getDate();
  return new Date(year, day.getMonth(), Math.min(day.getDate(), last));
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of the zone at `moment`, read as if it were UTC (ms). */
function wallClock(moment: number, timeZone: string): number {
  let formatter = wallFormatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        hourCycle: 'h23',
      });
    } catch {
      // An unknown zone (e.g. from an old browser's preferences): UTC, as date-format.ts does.
      return moment;
    }
    wallFormatters.set(timeZone, formatter);
  }
  const p: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(moment))) p[part.type] = Number(part.value);
  return Date.UTC(p['year'], p['month'] - 1, p['day'], p['hour'], p['minute'], p['second']);
}

/**
 * The calendar day a moment falls on in the zone (BROWSER_ZONE: the browser's own), as
 * date-format.ts's dayNumber counts it.
 */
export function calendarDay(moment: Date, timeZone: string): Date {
  if (timeZone === BROWSER_ZONE)
    return new Date(moment.getFullYear(), moment.getMonth(), moment.getDate());
  const wall = new Date(wallClock(moment.getTime(), timeZone));
  return new Date(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
}

/**
 * The moment the calendar day ends in the zone: 23:59:59 there. Outside the browser's zone the
 * offset is learnt from Intl and corrected until it holds at that moment (a DST change that day
 * moves it). Where 23:59:59 falls into a clock jump (Nuuk's spring change at 23:00), the earlier
 * candidate is taken: still on that day, its last second when the jump ends at midnight.
 */
export function endOfDay(day: Date, timeZone: string): Date {
  const [year, month, date] = [day.getFullYear(), day.getMonth(), day.getDate()];
  if (timeZone === BROWSER_ZONE) return new Date(year, month, date, 23, 59, 59);
  const wanted = Date.UTC(year, month, date, 23, 59, 59);
  let moment = wanted;
  const tried: number[] = [];
  for (let i = 0; i < 4; i++) {
    const next = moment + (wanted - wallClock(moment, timeZone));
    if (next === moment) return new Date(moment);
    tried.push(next);
    moment = next;
  }
  return new Date(Math.min(...tried.slice(-2)));
}

/** A day as numbers (month 1–12), read from text. */
interface DayFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Lower case without accents: "März" and "marz", "févr" and "fevr" match. */
const fold = (text: string, language: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase(language);

const monthNameCache = new Map<string, { names: string[][]; fillers: Set<string> }>();

/**
 * The language's month names (short as formatDate writes them, and long), folded, and the
 * words its long dates put between the numbers ("3 de junio de 2027").
 */
function monthNames(language: string): { names: string[][]; fillers: Set<string> } {
  let found = monthNameCache.get(language);
  if (!found) {
    const long = new Intl.DateTimeFormat(language, { timeZone: 'UTC', month: 'long' });
    const names = Array.from({ length: 12 }, (_, m) => {
      const short = formatDate(new Date(2027, m, 14), BROWSER_ZONE, 'D MMM YYYY', language)
        .replace(/\d+/g, ' ')
        .replace(/[.,]/g, ' ')
        .trim();
      return [short, long.format(new Date(Date.UTC(2027, m, 14)))]
        .map((name) => fold(name.replace(/\./g, ''), language).trim())
        .filter((name) => /^\p{L}+$/u.test(name));
    });
    const fillers = new Set(
      new Intl.DateTimeFormat(language, {
        timeZone: 'UTC',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      })
        .formatToParts(new Date(Date.UTC(2027, 5, 14)))
        .filter((p) => p.type === 'literal')
        .flatMap((p) => fold(p.value, language).split(/[\s.,]+/))
        .filter((word) => /^\p{L}+$/u.test(word)),
    );
    found = { names, fillers };
    monthNameCache.set(language, found);
  }
  return found;
}

/** The month a word names (1–12): a name, or the start (3 letters or more) of one month's alone. */
function monthOf(word: string, language: string): number | undefined {
  const { names } = monthNames(language);
  const exact = names.findIndex((n) => n.includes(word));
  if (exact >= 0) return exact + 1;
  if (word.length < 3) return undefined;
  const starts = names.flatMap((n, m) => (n.some((name) => name.startsWith(word)) ? [m] : []));
  return starts.length === 1 ? starts[0] + 1 : undefined;
}

/** "3 Jun 2027", "3. Juni 2027", "June 3, 2027", "3 de junio de 2027": a month by name. */
function withMonthWord(text: string, language: string): DayFields | undefined {
  const { fillers } = monthNames(language);
  const words = fold(text, language)
    .split(/[\s.,]+/)
    .filter((w) => w && !fillers.has(w));
  if (words.length !== 3) return undefined;
  const day = words.filter((w) => /^\d{1,2}$/.test(w));
  const year = words.filter((w) => /^\d{4}$/.test(w));
  const named = words.filter((w) => /^\p{L}+$/u.test(w));
  if (day.length !== 1 || year.length !== 1 || named.length !== 1) return undefined;
  const month = monthOf(named[0], language);
  return month ? { year: Number(year[0]), month, day: Number(day[0]) } : undefined;
}

/** A year of two digits is this century's: a certificate's end is a date ahead. */
const fullYear = (year: string) => (year.length === 2 ? 2000 + Number(year) : Number(year));

/** The day-month-year order and separator of each numeric format. */
const NUMERIC: Partial<Record<DateFormat, RegExp>> = {
  'DD.MM.YYYY': /^(?<day>\d{1,2})\s*\.\s*(?<month>\d{1,2})\s*\.\s*(?<year>\d{4}|\d{2})$/,
  'MM/DD/YYYY': /^(?<month>\d{1,2})\s*\/\s*(?<day>\d{1,2})\s*\/\s*(?<year>\d{4}|\d{2})$/,
};

/** Year first ("2027-06-03", "2027/6/3"): read so in every format, as no format puts it otherwise. */
const YEAR_FIRST = /^(?<year>\d{4})\s*([-/.])\s*(?<month>\d{1,2})\s*\2\s*(?<day>\d{1,2})$/;
/** Japanese "2027年6月3日": each number says what it is. */
const MARKED = /^(?<year>\d{4})\s*年\s*(?<month>\d{1,2})\s*月\s*(?<day>\d{1,2})\s*日?$/;

/**
 * A typed date in the person's format and language, as the calendar day it names (see the top
 * of this file), or undefined when the text is not such a date or names a day that does not
 * exist (31.02.2027). Lenient only where nothing else is meant: one-digit day and month, spaces
 * around separators, a two-digit year, a year-first date, a month by name. The numeric
 * day-month orders are read in the chosen format's order and with its separator only, so
 * "03.06.2027" is never 6 March and, with MM/DD/YYYY, "13/01/2027" is no date.
 */
export function parseDate(text: string, format: DateFormat, language: string): Date | undefined {
  const trimmed = text.trim();
  const numeric = NUMERIC[format];
  const match = YEAR_FIRST.exec(trimmed) ?? MARKED.exec(trimmed) ?? numeric?.exec(trimmed);
  const fields = match?.groups
    ? {
        year: fullYear(match.groups['year']),
        month: Number(match.groups['month']),
        day: Number(match.groups['day']),
      }
    : withMonthWord(trimmed, language);
  if (!fields) return undefined;
  const date = new Date(fields.year, fields.month - 1, fields.day);
  // new Date rolls 31 February over into March: such a day does not exist.
  return date.getFullYear() === fields.year &&
    date.getMonth() === fields.month - 1 &&
    date.getDate() === fields.day
    ? date
    : undefined;
}

/** A calendar day in the person's format and language, as formatDate writes it. */
export function writeDate(day: Date, format: DateFormat, language: string): string {
  return formatDate(day, BROWSER_ZONE, format, language);
}
