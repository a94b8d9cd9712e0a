import type { Language } from './languages';
import type { RawCatalog } from './compile';

/** Each language is its own lazily loaded chunk: a person downloads only the one they read. */
export const CATALOGS: Readonly<Record<Language, () => Promise<{ default: RawCatalog }>>> = {
  en: () => import('../../../i18n/en'),
  de: () => import('../../../i18n/de'),
  fr: () => import('../../../i18n/fr'),
  es: () => import('../../../i18n/es'),
  ja: () => import('../../../i18n/ja'),
};
