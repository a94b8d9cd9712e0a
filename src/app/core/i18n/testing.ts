import type { Provider } from '@angular/core';
import { IntlMessageFormat } from 'intl-messageformat';
import de from '../../../i18n/de';
import en from '../../../i18n/en';
import es from '../../../i18n/es';
import fr from '../../../i18n/fr';
import ja from '../../../i18n/ja';
import { compileCatalog } from './compile';
import { PRELOADED_CATALOGS } from './i18n';

/**
 * Every spec's translations: all five catalogs at hand, English active from the start, so a
 * spec reads the texts a person reads and switches with `I18n.use()` without loading chunks.
 */
export function provideI18nTesting(): Provider[] {
  const catalogs = { en, de, fr, es, ja };
  return [
    {
      provide: PRELOADED_CATALOGS,
      useFactory: () =>
        Object.fromEntries(
          Object.entries(catalogs).map(([l, c]) => [l, compileCatalog(c, l, IntlMessageFormat)]),
        ),
    },
  ];
}
