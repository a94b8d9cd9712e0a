import { type Language, browserLanguages, chooseLanguage, storedLanguage } from './languages';
import type { RawCatalog } from './compile';

/** Each language is its own lazily loaded chunk: a person downloads only the one they read. */
export const CATALOGS: Readonly<Record<Language, () => Promise<{ default: RawCatalog }>>> = {
  en: () => import('../../../i18n/en'),
  de: () => import('../../../i18n/de'),
  fr: () => import('../../../i18n/fr'),
  es: () => import('../../../i18n/es'),
  ja: () => import('../../../i18n/ja'),
};

/**
 * Starts loading the first screen's language, as I18n.ready() chooses it, and the ICU formatter,
 * before Angular runs (early-start.ts): I18n's own imports of the same modules then find them
 * loaded or on their way. A failure here is I18n's to report when it asks.
 */
export function startFirstLanguage(): void {
  void CATALOGS[chooseLanguage(storedLanguage(), browserLanguages())]().catch(() => undefined);
  void import('intl-messageformat').catch(() => undefined);
}
