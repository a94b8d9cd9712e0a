import type { Provider, EnvironmentProviders } from '@angular/core';
import {
  TranslateLoader,
  provideTranslateLoader,
  provideTranslateService,
  type TranslationObject,
} from '@ngx-translate/core';
import { IntlMessageFormat } from 'intl-messageformat';
import { type Observable, of } from 'rxjs';
import en from '../../../i18n/en';
import { compileCatalog } from './compile';

/** English at once (no chunk to wait for), so a spec reads the texts a person reads. */
class EnglishNow implements TranslateLoader {
  getTranslation(): Observable<TranslationObject> {
    return of(compileCatalog(en, 'en', IntlMessageFormat) as TranslationObject);
  }
}

/** Every spec's translations: English, loaded before the first component is created. */
export function provideI18nTesting(): (Provider | EnvironmentProviders)[] {
  return [provideTranslateService({ loader: provideTranslateLoader(EnglishNow), lang: 'en' })];
}
