import { DestroyRef, Injectable, effect, inject } from '@angular/core';
import {
  DateAdapter,
  MAT_DATE_FORMATS,
  MAT_NATIVE_DATE_FORMATS,
  NativeDateAdapter,
  type MatDateFormats,
} from '@angular/material/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';
import { I18n } from '../../../core/i18n/i18n';
import { calendarDay, parseDate, writeDate } from '../../../core/session/date-input';
import { Preferences } from '../../../core/session/preferences';

/** The text field's format: the one chosen in Preferences (the calendar keeps the native ones). */
const PREFERRED = Object.freeze({ preferred: true });

const FORMATS: MatDateFormats = {
  parse: { ...MAT_NATIVE_DATE_FORMATS.parse, dateInput: PREFERRED },
  display: { ...MAT_NATIVE_DATE_FORMATS.display, dateInput: PREFERRED },
};

/**
 * The native adapter with the person's preferences: the typed date is shown and read in the
 * date format chosen in Preferences ('D MMM YYYY' with the language's month names), never
 * guessed in another order (Date.parse takes "03.06.2027" as 6 March); the current day is that of the
 * chosen zone. The calendar's month and day names, and its first day of the week, follow the
 * language.
 */
@Injectable()
export class PreferredDateAdapter extends NativeDateAdapter {
  private readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);

  constructor() {
    super();
    // A new locale makes the field write its date again: also on a new format or zone.
    const follow = effect(() => {
      this.preferences.current();
      this.setLocale(this.i18n.language());
    });
    inject(DestroyRef).onDestroy(() => follow.destroy());
  }

  override format(date: Date, displayFormat: object): string {
    if (displayFormat !== PREFERRED) return super.format(date, displayFormat);
    if (!this.isValid(date)) throw Error('PreferredDateAdapter: cannot format an invalid date.');
    return writeDate(date, this.preferences.current().dateFormat, this.i18n.language());
  }

  override parse(value: unknown, parseFormat?: unknown): Date | null {
    if (typeof value !== 'string') return super.parse(value, parseFormat);
    if (value.trim() === '') return null;
    const day = parseDate(value, this.preferences.current().dateFormat, this.i18n.language());
    return day ?? this.invalid();
  }

  override today(): Date {
    return calendarDay(new Date(), this.preferences.current().timeZone);
  }
}

/** The date picker's own labels (open, previous month, …) in the person's language. */
@Injectable()
export class LanguageDatepickerIntl extends MatDatepickerIntl {
  private readonly i18n = inject(I18n);

  constructor() {
    super();
    const words = effect(() => {
      const t = (key: string) => this.i18n.t(`sig.datepicker.${key}`);
      this.calendarLabel = t('calendar');
      this.openCalendarLabel = t('open');
      this.closeCalendarLabel = t('close');
      this.prevMonthLabel = t('prevMonth');
      this.nextMonthLabel = t('nextMonth');
      this.prevYearLabel = t('prevYear');
      this.nextYearLabel = t('nextYear');
      this.prevMultiYearLabel = t('prevYears');
      this.nextMultiYearLabel = t('nextYears');
      this.switchToMonthViewLabel = t('monthView');
      this.switchToMultiYearViewLabel = t('yearView');
      this.changes.next();
    });
    inject(DestroyRef).onDestroy(() => words.destroy());
  }
}

/**
 * For a component with a date picker (in its own providers, so that the adapter stays in the
 * component's lazy chunk): dates in the person's format, zone and language, and the picker's
 * labels in that language, also when these change while the component is open.
 */
export function providePreferredDates() {
  return [
    { provide: DateAdapter, useClass: PreferredDateAdapter },
    { provide: MAT_DATE_FORMATS, useValue: FORMATS },
    { provide: MatDatepickerIntl, useClass: LanguageDatepickerIntl },
  ];
}
