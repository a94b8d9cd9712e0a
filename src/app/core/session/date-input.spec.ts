import { BROWSER_ZONE, dayNumber, formatDate, type DateFormat } from './date-format';
import { addYears, calendarDay, endOfDay, parseDate, writeDate } from './date-input';

describe('dates typed and picked', () => {
  const ymd = (d: Date | undefined) => d && [d.getFullYear(), d.getMonth() + 1, d.getDate()];

  it('reads each format in its own order only', () => {
    expect(ymd(parseDate('03.06.2027', 'DD.MM.YYYY', 'en'))).toEqual([2027, 6, 3]);
    expect(ymd(parseDate('3.6.2027', 'DD.MM.YYYY', 'de'))).toEqual([2027, 6, 3]);
    expect(ymd(parseDate(' 3. 6. 27 ', 'DD.MM.YYYY', 'de'))).toEqual([2027, 6, 3]);
    expect(ymd(parseDate('06/03/2027', 'MM/DD/YYYY', 'de'))).toEqual([2027, 6, 3]);
    expect(ymd(parseDate('6/3/2027', 'MM/DD/YYYY', 'en'))).toEqual([2027, 6, 3]);
    expect(ymd(parseDate('2027-6-3', 'YYYY-MM-DD', 'en'))).toEqual([2027, 6, 3]);
    // Never the other order, nor another format's separator.
    expect(parseDate('13/01/2027', 'MM/DD/YYYY', 'en')).toBeUndefined();
    expect(parseDate('03/06/2027', 'DD.MM.YYYY', 'en')).toBeUndefined();
    expect(parseDate('03.06.2027', 'MM/DD/YYYY', 'en')).toBeUndefined();
    expect(parseDate('03.06.2027', 'YYYY-MM-DD', 'en')).toBeUndefined();
    expect(parseDate('03.06.2027', 'D MMM YYYY', 'de')).toBeUndefined();
  });

  it('reads a year-first date, a month by name and a Japanese date in every format', () => {
    for (const format of ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'D MMM YYYY'] as const) {
      expect(ymd(parseDate('2027-06-03', format, 'en')))
        .withContext(format)
        .toEqual([2027, 6, 3]);
      expect(ymd(parseDate('3 Jun 2027', format, 'en')))
        .withContext(format)
        .toEqual([2027, 6, 3]);
      expect(ymd(parseDate('2027年6月3日', format, 'ja')))
        .withContext(format)
        .toEqual([2027, 6, 3]);
    }
    expect(ymd(parseDate('June 3, 2027', 'D MMM YYYY', 'en'))).toEqual([2027, 6, 3]);
    expect(ymd(parseDate('3. Juni 2027', 'D MMM YYYY', 'de'))).toEqual([2027, 6, 3]);
    expect(ymd(parseDate('3 marz 2027', 'D MMM YYYY', 'de'))).toEqual([2027, 3, 3]);
    expect(ymd(parseDate('3 juil. 2027', 'D MMM YYYY', 'fr'))).toEqual([2027, 7, 3]);
    expect(ymd(parseDate('3 de junio de 2027', 'D MMM YYYY', 'es'))).toEqual([2027, 6, 3]);
    // "jui" starts juin and juillet; "ma" both March and May; "3 Jun 27" has no clear year.
    expect(parseDate('3 jui 2027', 'D MMM YYYY', 'fr')).toBeUndefined();
    expect(parseDate('3 ma 2027', 'D MMM YYYY', 'en')).toBeUndefined();
    expect(parseDate('3 Jun 27', 'D MMM YYYY', 'en')).toBeUndefined();
  });

  it('refuses a day that does not exist and text that is no date', () => {
    expect(parseDate('31.02.2027', 'DD.MM.YYYY', 'en')).toBeUndefined();
    expect(parseDate('02/29/2027', 'MM/DD/YYYY', 'en')).toBeUndefined();
    expect(ymd(parseDate('02/29/2028', 'MM/DD/YYYY', 'en'))).toEqual([2028, 2, 29]);
    expect(parseDate('2027-13-01', 'YYYY-MM-DD', 'en')).toBeUndefined();
    expect(parseDate('next week', 'YYYY-MM-DD', 'en')).toBeUndefined();
  });

  it('reads back every day it writes, in every format and language', () => {
    const formats: DateFormat[] = ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'D MMM YYYY'];
    for (const language of ['en', 'de', 'fr', 'es', 'ja'])
      for (const format of formats)
        for (let m = 0; m < 12; m++) {
          const day = new Date(2027, m, m + 9);
          const text = writeDate(day, format, language);
          expect(text).toBe(formatDate(day, BROWSER_ZONE, format, language));
          expect(ymd(parseDate(text, format, language)))
            .withContext(`${language} ${format} ${text}`)
            .toEqual(ymd(day));
        }
  });

  it('ends a day at 23:59:59 in the zone, also on a day the clocks change', () => {
    const end = (y: number, m: number, d: number, zone: string) =>
      endOfDay(new Date(y, m - 1, d), zone).toISOString();
    // Auckland in June: NZST, UTC+12.
    expect(end(2027, 6, 3, 'Pacific/Auckland')).toBe('2027-06-03T11:59:59.000Z');
    // NZDT (UTC+13) ends on 4 April 2027 at 03:00; starts again on 26 September at 02:00.
    expect(end(2027, 4, 3, 'Pacific/Auckland')).toBe('2027-04-03T10:59:59.000Z');
    expect(end(2027, 4, 4, 'Pacific/Auckland')).toBe('2027-04-04T11:59:59.000Z');
    expect(end(2027, 9, 26, 'Pacific/Auckland')).toBe('2027-09-26T10:59:59.000Z');
    expect(end(2027, 3, 14, 'America/New_York')).toBe('2027-03-15T03:59:59.000Z');
    expect(end(2027, 6, 3, 'UTC')).toBe('2027-06-03T23:59:59.000Z');
    expect(end(2027, 6, 3, 'Mars/Olympus')).toBe('2027-06-03T23:59:59.000Z');
    // Nuuk skips 23:00–24:00 on 27 March 2027: the day ends at 22:59:59 (UTC-2).
    expect(end(2027, 3, 27, 'America/Nuuk')).toBe('2027-03-28T00:59:59.000Z');
    expect(endOfDay(new Date(2027, 5, 3), BROWSER_ZONE).getTime()).toBe(
      new Date(2027, 5, 3, 23, 59, 59).getTime(),
    );
  });

  it("takes today and the end's calendar day in the person's zone", () => {
    // 20:00 UTC on 2 June is already 3 June in Auckland, still 2 June in New York.
    const moment = new Date('2027-06-02T20:00:00Z');
    expect(ymd(calendarDay(moment, 'Pacific/Auckland'))).toEqual([2027, 6, 3]);
    expect(ymd(calendarDay(moment, 'America/New_York'))).toEqual([2027, 6, 2]);
    // The same day as the rows count it, in every zone.
    for (const zone of [
      BROWSER_ZONE,
      'UTC',
      'Pacific/Auckland',
      'Pacific/Kiritimati',
      'Mars/Olympus',
    ]) {
      const day = calendarDay(moment, zone);
      expect(Date.UTC(day.getFullYear(), day.getMonth(), day.getDate()) / 86_400_000)
        .withContext(zone)
        .toBe(dayNumber(moment, zone));
    }
    const end = endOfDay(new Date(2027, 5, 3), 'Pacific/Auckland');
    expect(formatDate(end, 'Pacific/Auckland', 'DD.MM.YYYY')).toBe('03.06.2027');
    expect(ymd(addYears(new Date(2028, 1, 29), 1))).toEqual([2029, 2, 28]);
  });
});
