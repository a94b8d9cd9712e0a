import { DOCUMENT, Injectable, InjectionToken, inject, signal } from '@angular/core';
import type { CanMatchFn } from '@angular/router';
import { inFieldParams } from '../../../pki/in-field';
import type { PkiField } from '../../../pki/types';
import { CATALOGS } from './catalogs';
import { type CompiledCatalog, type CompiledMessage, compileCatalog } from './compile';
import {
  type Language,
  browserLanguages,
  chooseLanguage,
  rememberLanguage,
  storedLanguage,
} from './languages';

/** Catalogs at hand before any is loaded (the specs give all five so, to switch without chunks). */
export const PRELOADED_CATALOGS = new InjectionToken<Partial<Record<Language, CompiledCatalog>>>(
  'PRELOADED_CATALOGS',
  { providedIn: 'root', factory: () => ({}) },
);

/** One language's catalog chunk together with the ICU formatter, both loaded lazily. */
async function loadCatalog(language: Language): Promise<CompiledCatalog> {
  const [catalog, icu] = await Promise.all([CATALOGS[language](), import('intl-messageformat')]);
  return compileCatalog(catalog.default, language, icu.IntlMessageFormat);
}

/** How a catalog is loaded (a spec replaces it to see a chunk fail). */
export const CATALOG_LOADER = new InjectionToken<(language: Language) => Promise<CompiledCatalog>>(
  'CATALOG_LOADER',
  { providedIn: 'root', factory: () => loadCatalog },
);

function lookup(
  catalog: CompiledCatalog | undefined,
  key: string,
): string | CompiledMessage | undefined {
  let node: CompiledCatalog[string] | undefined = catalog;
  for (const part of key.split('.'))
    node = node && typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'object' ? undefined : node;
}

/**
 * The person's language and its catalog as signals. Templates use the `translate` pipe, code
 * calls `t()`: both read the signals, so every text on screen follows a switch at once.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly document = inject(DOCUMENT);
  private readonly load = inject(CATALOG_LOADER);
  private readonly catalogs = new Map(
    Object.entries(inject(PRELOADED_CATALOGS)) as [Language, CompiledCatalog][],
  );
  private readonly current = signal<Language>('en');
  private readonly catalog = signal<CompiledCatalog | undefined>(this.catalogs.get('en'));
  private switches = 0;
  private starting?: Promise<void>;
  /** The active language, e.g. for Intl formatters. */
  readonly language = this.current.asReadonly();

  /** The message `key` in the active language; the key itself when the catalog lacks it. */
  t(key: string, params?: Record<string, unknown>): string {
    const message = lookup(this.catalog(), key);
    if (message === undefined) return key;
    return typeof message === 'string' ? message : message(params);
  }

  /** Whether the active catalog has `key` (for texts the console translates only when it knows them). */
  has(key: string): boolean {
    return lookup(this.catalog(), key) !== undefined;
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

  /**
   * The first language: the last choice on this machine, else the browser's. Started once;
   * every route waits for it, so no screen shows keys or flashes English. When its chunk cannot
   * be loaded the console starts in English; when English cannot be loaded either, the next
   * navigation tries again (a failed start is not kept).
   */
  ready(): Promise<void> {
    this.starting ??= this.use(chooseLanguage(storedLanguage(), browserLanguages()), false)
      .catch(() => this.use('en', false))
      .catch((error: unknown) => {
        this.starting = undefined;
        throw error;
      });
    return this.starting;
  }

  /**
   * Switches every screen at once: loads the catalog (once per language), then texts re-render
   * in place (open dialogs and what is typed into them stay), `<html lang>` follows and the
   * choice is remembered. Of two quick switches, the later one wins.
   */
  async use(language: Language, remember = true): Promise<void> {
    const switchNumber = ++this.switches;
    let catalog = this.catalogs.get(language);
    if (!catalog) {
      catalog = await this.load(language);
      this.catalogs.set(language, catalog);
    }
    if (switchNumber !== this.switches) return;
    this.catalog.set(catalog);
    this.current.set(language);
    this.document.documentElement.lang = language;
    if (remember) rememberLanguage(language);
  }
}

/**
 * A `canMatch` guard for every top-level route: the first screen waits for its language's
 * catalog, while the session is restored and the page's chunk loads (guards run together).
 */
export const languageReady: CanMatchFn = async () => {
  await inject(I18n).ready();
  return true;
};
