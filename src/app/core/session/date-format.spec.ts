import {
  BROWSER_ZONE,
  browserTimeZone,
  dayNumber,
  formatDate,
  formatDateTime,
} from './date-format';

describe('date formatting', () => {
  const date = new Date('2027-03-04T23:30:00Z');
  it('writes a date in each format and zone', () => {
    expect(formatDate(date, 'UTC', 'YYYY-MM-DD')).toBe('2027-03-04');
    expect(formatDate(date, 'Europe/Berlin', 'YYYY-MM-DD')).toBe('2027-03-05');
    expect(formatDate(date, 'UTC', 'DD.MM.YYYY')).toBe('04.03.2027');
    expect(formatDate(date, 'UTC', 'MM/DD/YYYY')).toBe('03/04/2027');
    expect(formatDate(date, 'UTC', 'D MMM YYYY')).toBe('4 Mar 2027');
    expect(formatDateTime(date, 'UTC', 'YYYY-MM-DD')).toBe('2027-03-04 23:30 UTC');
  });
  it('numbers the date the zone shows, so that days left match the date beside them', () => {
    const utc = dayNumber(date, 'UTC');
    expect(utc).toBe(Date.UTC(2027, 2, 4) / 86_400_000);
    expect(dayNumber(date, 'Europe/Berlin')).toBe(utc + 1);
    const local = new Date(2027, 2, 4, 23, 30);
    expect(dayNumber(local, BROWSER_ZONE)).toBe(Date.UTC(2027, 2, 4) / 86_400_000);
  });
  it('falls back to UTC for an unknown zone', () => {
    expect(formatDate(date, 'Mars/Olympus', 'YYYY-MM-DD')).toBe('2027-03-04');
  });
  it("writes dates in the browser's zone (the default) as that zone's name would", () => {
    for (const d of [date, new Date('2027-07-01T00:30:00Z'), new Date('2026-12-31T23:59:00Z')]) {
      for (const format of ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'D MMM YYYY'] as const) {
        expect(formatDate(d, BROWSER_ZONE, format)).toBe(formatDate(d, browserTimeZone(), format));
      }
      expect(formatDateTime(d, BROWSER_ZONE, 'YYYY-MM-DD')).toBe(
        formatDateTime(d, browserTimeZone(), 'YYYY-MM-DD'),
      );
    }
  });
  it("names the months of 'D MMM YYYY' in the person's language, English as before", () => {
    expect(formatDate(date, 'UTC', 'D MMM YYYY', 'en')).toBe('4 Mar 2027');
    expect(formatDate(date, 'UTC', 'D MMM YYYY', 'de')).toBe('4. März 2027');
    expect(formatDate(date, 'UTC', 'D MMM YYYY', 'fr')).toBe('4 mars 2027');
    expect(formatDate(date, 'UTC', 'D MMM YYYY', 'es')).toBe('4 mar 2027');
    expect(formatDate(date, 'UTC', 'D MMM YYYY', 'ja')).toBe('2027年3月4日');
    // The zone decides the day, in every language.
    expect(formatDate(date, 'Europe/Berlin', 'D MMM YYYY', 'de')).toBe('5. März 2027');
    expect(formatDateTime(date, 'UTC', 'D MMM YYYY', 'fr')).toBe('4 mars 2027 23:30 UTC');
    // The numeric formats are what the person chose, whatever the language.
    expect(formatDate(date, 'UTC', 'DD.MM.YYYY', 'ja')).toBe('04.03.2027');
  });
});
