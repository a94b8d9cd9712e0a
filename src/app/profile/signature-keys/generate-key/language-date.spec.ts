import { TestBed } from '@angular/core/testing';
import { DateAdapter } from '@angular/material/core';
import { LanguageDateAdapter } from './language-date';

describe('LanguageDateAdapter', () => {
  function adapter(locale: string): DateAdapter<Date> {
    TestBed.configureTestingModule({
      providers: [{ provide: DateAdapter, useClass: LanguageDateAdapter }],
    });
    const a = TestBed.inject(DateAdapter) as DateAdapter<Date>;
    a.setLocale(locale);
    return a;
  }
  const ymd = (d: Date | null) => d && [d.getFullYear(), d.getMonth() + 1, d.getDate()];

  it('reads a typed date in the order the language writes it', () => {
    expect(ymd(adapter('de').parse('1.12.2027', {}))).toEqual([2027, 12, 1]);
  });

  it('reads Japanese year-first and English month-first dates', () => {
    const a = adapter('ja');
    expect(ymd(a.parse('2027/12/1', {}))).toEqual([2027, 12, 1]);
    a.setLocale('en');
    expect(ymd(a.parse('12/1/2027', {}))).toEqual([2027, 12, 1]);
    a.setLocale('fr');
    expect(ymd(a.parse('01/12/2027', {}))).toEqual([2027, 12, 1]);
  });

  it('reads year-first dates (how the console writes them) in every language, and two-digit years', () => {
    const a = adapter('en-US');
    for (const locale of ['en-US', 'de', 'fr', 'es', 'ja']) {
      a.setLocale(locale);
      expect(ymd(a.parse('2027-12-31', {})))
        .withContext(locale)
        .toEqual([2027, 12, 31]);
    }
    a.setLocale('de');
    expect(ymd(a.parse('31.12.27', {}))).toEqual([2027, 12, 31]);
    a.setLocale('en-US');
    expect(ymd(a.parse('12/31/27', {}))).toEqual([2027, 12, 31]);
  });

  it('shows a date in the language and refuses a day that does not exist', () => {
    const a = adapter('de');
    expect(
      a.format(new Date(2027, 11, 1), { year: 'numeric', month: 'numeric', day: 'numeric' }),
    ).toBe('1.12.2027');
    expect(a.isValid(a.parse('31.2.2027', {})!)).toBeFalse();
  });
});
