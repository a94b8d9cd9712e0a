import { Injectable, computed, inject, signal } from '@angular/core';
import { I18n } from '../i18n/i18n';
import { Session } from './session';
import type { DayNumber } from '../../../pki/days';
import {
  BROWSER_ZONE,
  dayNumber,
  formatDate,
  formatDateTime,
  type DateFormat,
  DATE_FORMATS,
} from './date-format';

/** What a person sets in Preferences; kept per account in this browser (localStorage). */
export interface UserPreferences {
  /** An IANA zone, or BROWSER_ZONE (the default): the browser's own zone, wherever it is. */
  readonly timeZone: string;
  readonly dateFormat: DateFormat;
  /** A certificate this close to its end is shown as expiring, and the banner appears. */
  readonly warnDays: number;
  /** Ask for an audit reason in every writing dialog, even when the server does not require one. */
  readonly auditAlways: boolean;
}

export const DEFAULT_WARN_DAYS = 60;

export function defaultPreferences(): UserPreferences {
  return {
    timeZone: BROWSER_ZONE,
    dateFormat: 'YYYY-MM-DD',
    warnDays: DEFAULT_WARN_DAYS,
    auditAlways: false,
  };
}

const storageKey = (account: string) => `joc-keys.preferences.${account}`;

/** Reads stored preferences; anything missing or malformed falls back to the default. */
export function readPreferences(
  storage: Pick<Storage, 'getItem'>,
  account: string,
): UserPreferences {
  const defaults = defaultPreferences();
  let stored: Partial<UserPreferences>;
  try {
    stored = JSON.parse(storage.getItem(storageKey(account)) ?? '{}') ?? {};
  } catch {
    stored = {};
  }
  const warnDays = Number(stored.warnDays);
  return {
    timeZone:
      typeof stored.timeZone === 'string' && stored.timeZone ? stored.timeZone : defaults.timeZone,
    dateFormat: DATE_FORMATS.includes(stored.dateFormat as DateFormat)
      ? (stored.dateFormat as DateFormat)
      : defaults.dateFormat,
    warnDays:
      Number.isInteger(warnDays) && warnDays >= 0 && warnDays <= 3650
        ? warnDays
        : defaults.warnDays,
    auditAlways: stored.auditAlways === true,
  };
}

/** The logged-in person's preferences as a signal, and the date formatting everyone uses. */
@Injectable({ providedIn: 'root' })
export class Preferences {
  private readonly session = inject(Session);
  private readonly i18n = inject(I18n);
  private readonly saved = signal(0);

  /** Re-read whenever the account changes or something was saved. */
  readonly current = computed<UserPreferences>(() => {
    this.saved();
    const account = this.session.account();
    // Kept in this browser: a page rendered on the embedded server uses the defaults until then.
    return account && typeof localStorage !== 'undefined'
      ? readPreferences(localStorage, account)
      : defaultPreferences();
  });

  save(preferences: UserPreferences): void {
    const account = this.session.account();
    if (!account) return;
    localStorage.setItem(storageKey(account), JSON.stringify(preferences));
    this.saved.update((n) => n + 1);
  }

  /**
   * A date in the person's zone, format and language (month names). It reads the language
   * signal: a `computed` or template that calls it follows a switch.
   */
  date(value: Date | string): string {
    const p = this.current();
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return this.i18n.t('common.unknownDate');
    return formatDate(date, p.timeZone, p.dateFormat, this.i18n.language());
  }

  /** Calendar dates in the person's zone, for "N days left" beside a date shown in it. */
  readonly dayNumber = computed<DayNumber>(() => {
    const zone = this.current().timeZone;
    return (moment) => dayNumber(moment, zone);
  });

  /** Date and time in the person's zone, format and language. */
  dateTime(value: Date | string): string {
    const p = this.current();
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return this.i18n.t('common.unknownDate');
    return formatDateTime(date, p.timeZone, p.dateFormat, this.i18n.language());
  }
}
