import { TestBed } from '@angular/core/testing';
import { DateAdapter, MAT_DATE_FORMATS, type MatDateFormats } from '@angular/material/core';
import { Preferences, defaultPreferences } from '../../../core/session/preferences';
import type { UserPreferences } from '../../../core/session/preferences';
import { testProviders, useLanguage } from '../../key-tab/testing';
import { providePreferredDates } from './preferred-dates';

describe('PreferredDateAdapter', () => {
  const session = 'joc-keys.session';
  const stored = 'joc-keys.preferences.alice';
  beforeEach(() => {
    sessionStorage.setItem(session, JSON.stringify({ token: 't', account: 'alice' }));
  });
  afterEach(() => {
    sessionStorage.removeItem(session);
    localStorage.removeItem(stored);
  });

  function adapter(preferences: Partial<UserPreferences>) {
    localStorage.setItem(stored, JSON.stringify({ ...defaultPreferences(), ...preferences }));
    TestBed.configureTestingModule({ providers: [...testProviders(), providePreferredDates()] });
    const a = TestBed.inject(DateAdapter) as DateAdapter<Date>;
    const formats = TestBed.inject<MatDateFormats>(MAT_DATE_FORMATS);
    TestBed.tick();
    return {
      a,
      write: (d: Date) => a.format(d, formats.display.dateInput),
      read: (text: string) => a.parse(text, formats.parse.dateInput),
      formats,
    };
  }
  const ymd = (d: Date | null) => d && [d.getFullYear(), d.getMonth() + 1, d.getDate()];

  it('writes and reads the field in the format chosen in Preferences, whatever the language', async () => {
    const { a, write, read } = adapter({ dateFormat: 'DD.MM.YYYY' });
    expect(write(new Date(2027, 5, 3))).toBe('03.06.2027');
    expect(ymd(read('3.6.2027'))).toEqual([2027, 6, 3]);
    expect(a.isValid(read('06/03/2027')!)).toBeFalse();
    expect(a.isValid(read('31.02.2027')!)).toBeFalse();
    expect(read('  ')).toBeNull();
    await useLanguage('ja');
    expect(write(new Date(2027, 5, 3))).toBe('03.06.2027');
  });

  it("'D MMM YYYY' with the language's month names; the calendar in the language", async () => {
    const { a, write, read, formats } = adapter({ dateFormat: 'D MMM YYYY' });
    expect(write(new Date(2027, 5, 3))).toBe('3 Jun 2027');
    expect(a.getFirstDayOfWeek()).toBe(0);
    await useLanguage('de');
    TestBed.tick();
    expect(write(new Date(2027, 5, 3))).toBe('3. Juni 2027');
    expect(ymd(read('3. Juni 2027'))).toEqual([2027, 6, 3]);
    expect(a.format(new Date(2027, 5, 3), formats.display.monthYearLabel)).toBe('Juni 2027');
    expect(a.getFirstDayOfWeek()).toBe(1);
  });

  it("takes today in the person's zone", () => {
    jasmine.clock().install();
    try {
      // 20:00 UTC on 2 June is 3 June in Auckland, 2 June in New York.
      jasmine.clock().mockDate(new Date('2027-06-02T20:00:00Z'));
      expect(ymd(adapter({ timeZone: 'Pacific/Auckland' }).a.today())).toEqual([2027, 6, 3]);
      TestBed.resetTestingModule();
      expect(ymd(adapter({ timeZone: 'America/New_York' }).a.today())).toEqual([2027, 6, 2]);
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('has the field written again when the format is changed', () => {
    const { a, write } = adapter({ dateFormat: 'YYYY-MM-DD' });
    let changes = 0;
    a.localeChanges.subscribe(() => changes++);
    TestBed.inject(Preferences).save({ ...defaultPreferences(), dateFormat: 'MM/DD/YYYY' });
    TestBed.tick();
    expect(changes).toBe(1);
    expect(write(new Date(2027, 5, 3))).toBe('06/03/2027');
  });
});
