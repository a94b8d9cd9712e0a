import { TestBed } from '@angular/core/testing';
import { IntlMessageFormat } from 'intl-messageformat';
import de from '../../../i18n/de';
import en from '../../../i18n/en';
import { compileCatalog, type CompiledCatalog } from './compile';
import { CATALOG_LOADER, I18n, PRELOADED_CATALOGS } from './i18n';
import type { Language } from './languages';

describe('I18n: the first language', () => {
  let failing: Set<Language>;
  let asked: Language[];

  beforeEach(() => {
    failing = new Set();
    asked = [];
    localStorage.setItem('joc-keys.language', 'de');
    TestBed.configureTestingModule({
      providers: [
        // Nothing at hand: every catalog is "loaded", as in the browser.
        { provide: PRELOADED_CATALOGS, useValue: {} },
        {
          provide: CATALOG_LOADER,
          useValue: async (language: Language): Promise<CompiledCatalog> => {
            asked.push(language);
            if (failing.has(language)) throw new Error(`chunk for ${language} failed`);
            const raw = language === 'de' ? de : en;
            return compileCatalog(raw, language, IntlMessageFormat);
          },
        },
      ],
    });
  });
  afterEach(() => {
    localStorage.removeItem('joc-keys.language');
    document.documentElement.lang = 'en';
  });

  it('starts in the language chosen on this machine', async () => {
    const i18n = TestBed.inject(I18n);
    await i18n.ready();
    expect(i18n.language()).toBe('de');
    expect(document.documentElement.lang).toBe('de');
    expect(i18n.t('titles.login')).toBe('Anmelden · JS7 Schlüsselverwaltung');
  });

  it("starts in English when the chosen language's chunk cannot be loaded", async () => {
    failing.add('de');
    const i18n = TestBed.inject(I18n);
    await i18n.ready();
    expect(asked).toEqual(['de', 'en']);
    expect(i18n.language()).toBe('en');
    expect(i18n.t('titles.login')).toBe('Log in · JS7 Key Management');
  });

  it('a start that failed altogether is tried again by the next navigation', async () => {
    failing.add('de');
    failing.add('en');
    const i18n = TestBed.inject(I18n);
    await expectAsync(i18n.ready()).toBeRejected();
    failing.clear();
    await i18n.ready();
    expect(i18n.language()).toBe('de');
  });
});
