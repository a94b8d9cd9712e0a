import { DestroyRef, Injectable, effect, inject } from '@angular/core';
import { DateAdapter, NativeDateAdapter, provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';
import { I18n } from '../../../core/i18n/i18n';

/**
 * The order of day, month and year in `locale`'s numeric dates ("1.12.2027", "12/1/2027",
 * "2027/12/1"), read from Intl so every language types its own way.
 */
function fieldOrder(locale: string): ('day' | 'month' | 'year')[] {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(new Date(2027, 11, 1))
    .map((p) => p.type)
    .filter((t): t is 'day' | 'month' | 'year' => t === 'day' || t === 'month' || t === 'year');
}

/**
 * The native adapter in the person's language: the calendar's month and day names, the typed
 * date shown and read in that language's order. (The native adapter reads typed text with
 * Date.parse, which takes "1.12.2027" as 12 January.)
 */
@Injectable()
export class LanguageDateAdapter extends NativeDateAdapter {
  override parse(value: unknown, parseFormat?: unknown): Date | null {
    if (typeof value === 'string') {
      const numbers = value.trim().match(/\d+/g);
      if (numbers?.length === 3 && /^[\d\s./-]+$/.test(value.trim())) {
        // Year first (2027-12-31): how the console writes dates, read so in every language.
        if (numbers[0].length === 4)
          return this.createDateSafely(+numbers[0], +numbers[1] - 1, +numbers[2]);
        const order = fieldOrder(this.locale as string);
        const at = (field: 'day' | 'month' | 'year') => numbers[order.indexOf(field)];
        // Two digits are this century's year ("31.12.27"): the date asked for is a future one.
        const year = at('year').length === 2 ? 2000 + Number(at('year')) : Number(at('year'));
        if (order.length === 3 && year >= 1000)
          return this.createDateSafely(year, Number(at('month')) - 1, Number(at('day')));
        return this.invalid();
      }
    }
    return super.parse(value, parseFormat);
  }

  /** An invalid date for an impossible day (31 February), not a date in the next month. */
  private createDateSafely(year: number, month: number, day: number): Date {
    const date = new Date(year, month, day);
    return date.getMonth() === month && date.getDate() === day ? date : this.invalid();
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
 * For a component with a date picker: dates and the picker's labels follow the person's
 * language, also when it is switched while the component is open.
 */
export function provideLanguageDates() {
  return [
    provideNativeDateAdapter(),
    { provide: DateAdapter, useClass: LanguageDateAdapter },
    { provide: MatDatepickerIntl, useClass: LanguageDatepickerIntl },
  ];
}

/** Keeps the adapter's locale on the person's language; call in the component's constructor. */
export function followLanguage(): void {
  const adapter = inject(DateAdapter);
  const i18n = inject(I18n);
  effect(() => adapter.setLocale(i18n.language()));
}
