import {
  DOCUMENT,
  type EnvironmentProviders,
  Injectable,
  type Provider,
  inject,
  signal,
} from '@angular/core';
import {
  TranslateLoader,
  TranslateService,
  TranslateStore,
  provideTranslateLoader,
  provideTranslateService,
  type TranslationObject,
} from '@ngx-translate/core';
import type { CanMatchFn } from '@angular/router';
import { type Observable, firstValueFrom, from } from 'rxjs';
import { inFieldParams } from '../../../pki/result';
import type { PkiField } from '../../../pki/types';
import { CATALOGS } from './catalogs';
import { compileCatalog } from './compile';
import {
  type Language,
  browserLanguages,
  chooseLanguage,
  isLanguage,
  rememberLanguage,
  storedLanguage,
} from './languages';

/** Loads one language's catalog chunk together with the ICU formatter, both lazily. */
@Injectable()
export class CatalogLoader implements TranslateLoader {
  getTranslation(language: string): Observable<TranslationObject> {
    const lang: Language = isLanguage(language) ? language : 'en';
    return from(
      Promise.all([CATALOGS[lang](), import('intl-messageformat')]).then(
        ([catalog, icu]) =>
          compileCatalog(catalog.default, lang, icu.IntlMessageFormat) as TranslationObject,
      ),
    );
  }
}

/**
 * The person's language as a signal, and translation for code. Templates use ngx-translate's
 * `translate` pipe; code that builds text in a `computed` calls `t()`, which reads the signal so
 * the text follows a switch.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly translate = inject(TranslateService);
  private readonly store = inject(TranslateStore);
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<Language>(
    isLanguage(this.translate.getCurrentLang())
      ? (this.translate.getCurrentLang() as Language)
      : 'en',
  );
  /** The active language, e.g. for Intl formatters. */
  readonly language = this.current.asReadonly();

  /** The message `key` in the active language; the key itself when the catalog lacks it. */
  t(key: string, params?: Record<string, unknown>): string {
    this.current();
    return this.translate.instant(key, params) as string;
  }

  /** Whether the active catalog has `key` (for texts the console translates only when it knows them). */
  has(key: string): boolean {
    let node: unknown = this.store.getTranslations(this.current());
    for (const part of key.split('.'))
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    return node !== undefined && typeof node !== 'object';
  }

  /**
   * A coded message's text in the person's language: the translation of `pki.<code>` (or
   * `<code>` when it names its area, e.g. `errors.x`) with its parameters, behind its field's
   * name when it has one (`pki.inField`: "Certificate: ..."); else the English text it carries,
   * as the server or the PKI core wrote it.
   */
  message(m: {
    readonly code?: string;
    readonly params?: Readonly<Record<string, unknown>>;
    readonly message: string;
    readonly field?: PkiField;
  }): string {
    if (!m.code) return m.message;
    const key = m.code.includes('.') ? m.code : `pki.${m.code}`;
    if (!this.has(key)) return m.message;
    const text = this.t(key, { ...m.params });
    if (!m.field) return text;
    const lowers = this.t('pki.inFieldCase') === 'lower';
    return this.t('pki.inField', inFieldParams({ ...m, field: m.field }, text, lowers));
  }

  private starting?: Promise<void>;

  /**
   * The first language: the last choice on this machine, else the browser's. Started once;
   * every route waits for it, so no screen shows keys or flashes English.
   */
  ready(): Promise<void> {
    this.starting ??= this.use(chooseLanguage(storedLanguage(), browserLanguages()), false);
    return this.starting;
  }

  /**
   * Switches every screen at once: loads the catalog, then texts re-render in place (open dialogs
   * and what is typed into them stay), `<html lang>` follows and the choice is remembered.
   */
  async use(language: Language, remember = true): Promise<void> {
    await firstValueFrom(this.translate.use(language));
    this.current.set(language);
    this.document.documentElement.lang = language;
    if (remember) rememberLanguage(language);
  }
}

/** The console's translations, each language loaded when it is first used. */
export function provideI18n(): (Provider | EnvironmentProviders)[] {
  return [provideTranslateService({ loader: provideTranslateLoader(CatalogLoader) })];
}

/**
 * A `canMatch` guard for every top-level route: the first screen waits for its language's
 * catalog, while the session is restored and the page's chunk loads (guards run together).
 */
export const languageReady: CanMatchFn = async () => {
  await inject(I18n).ready();
  return true;
};
