import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import type { Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { testProviders, until } from '../key-tab/testing';
import { PreferencesTab } from './preferences-tab';
import { IntlMessageFormat } from 'intl-messageformat';
import en from '../../../i18n/en';
import { compileCatalog } from '../../core/i18n/compile';
import { CATALOG_LOADER, PRELOADED_CATALOGS } from '../../core/i18n/i18n';
import { provideI18nTesting } from '../../core/i18n/testing';

describe('PreferencesTab', () => {
  const session = 'joc-keys.session';
  const stored = 'joc-keys.preferences.alice';
  beforeEach(() => {
    sessionStorage.setItem(session, JSON.stringify({ token: 't', account: 'alice' }));
    // Other specs switch the language (and <html lang>) and leave it so; these start in English.
    document.documentElement.lang = 'en';
  });
  afterEach(() => {
    sessionStorage.removeItem(session);
    localStorage.removeItem(stored);
    localStorage.removeItem('joc-keys.language');
    document.documentElement.lang = 'en';
  });

  async function render(providers: Provider[] = []) {
    TestBed.configureTestingModule({
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        ...testProviders(),
        ...provideI18nTesting(),
        ...providers,
      ],
    });
    const fixture = TestBed.createComponent(PreferencesTab);
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const zone = await loader.getHarness(
      MatSelectHarness.with({ selector: '[formControlName="timeZone"]' }),
    );
    return { fixture, loader, zone };
  }

  it("offers the browser's own zone first, as the default", async () => {
    const { zone } = await render();
    expect(await zone.getValueText()).toMatch(/^This browser's zone \(.+\)$/);
  });

  it('shows the chosen zone at once, and every zone (once) when the list is there', async () => {
    localStorage.setItem(stored, JSON.stringify({ timeZone: 'Europe/Berlin' }));
    const { zone } = await render();
    expect(await zone.getValueText()).toBe('Europe/Berlin');
    // The other ~420 zones follow when the browser is idle; the chosen one is not listed twice.
    await zone.open();
    await until(async () => (await zone.getOptions()).length > 400, 'the whole list');
    expect((await zone.getOptions({ text: 'Europe/Berlin' })).length).toBe(1);
    expect(await zone.getValueText()).toBe('Europe/Berlin');
  });

  it('saves a zone picked from the list', async () => {
    const { loader, zone } = await render();
    await zone.open();
    await until(async () => (await zone.getOptions()).length > 400, 'the whole list');
    await zone.clickOptions({ text: 'Asia/Tokyo' });
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Save' }))).click();
    expect(JSON.parse(localStorage.getItem(stored) ?? '{}').timeZone).toBe('Asia/Tokyo');
  });

  it('switches the language at once: texts, <html lang>, remembered; what is typed stays', async () => {
    const { fixture, loader } = await render();
    // The German catalog at once, instead of its lazily loaded chunk.
    const el = fixture.nativeElement as HTMLElement;
    const language = await loader.getHarness(MatSelectHarness.with({ selector: '.language' }));
    expect(await language.getValueText()).toBe('English');
    const warn = await loader.getHarness(
      MatInputHarness.with({ selector: '[formControlName="warnDays"]' }),
    );
    await warn.setValue('30');
    await language.open();
    expect(await Promise.all((await language.getOptions()).map((o) => o.getText()))).toEqual([
      'English',
      'Deutsch',
      'Français',
      'Español',
      '日本語',
    ]);
    await language.clickOptions({ text: 'Deutsch' });
    await fixture.whenStable();
    expect(el.querySelector('h2')?.textContent).toBe('Einstellungen');
    expect(el.textContent).toContain('Warnen, bevor ein Zertifikat abläuft');
    expect(el.textContent).not.toContain('Time zone');
    expect(await language.getValueText()).toBe('Deutsch');
    expect(document.documentElement.lang).toBe('de');
    expect(localStorage.getItem('joc-keys.language')).toBe('de');
    // No Save needed for the language, and the unsaved field keeps what was typed.
    expect(await warn.getValue()).toBe('30');
    expect(localStorage.getItem(stored)).toBeNull();
    // The select's accessible name follows the language.
    const label = el.querySelector('.language')?.getAttribute('aria-labelledby') ?? '';
    const name = label
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent?.trim())
      .join(' ');
    expect(name).toContain('Sprache');
  });

  it('says when a language cannot be loaded, and stays in the one on screen', async () => {
    // Only English at hand; the German chunk fails to load (offline, or a new build on the server).
    const english = compileCatalog(en, 'en', IntlMessageFormat);
    let fail = true;
    const { fixture, loader } = await render([
      { provide: PRELOADED_CATALOGS, useValue: { en: english } },
      {
        provide: CATALOG_LOADER,
        useValue: (language: string) =>
          fail
            ? Promise.reject(new Error(`chunk for ${language} failed`))
            : Promise.resolve(english),
      },
    ]);
    const el = fixture.nativeElement as HTMLElement;
    const language = await loader.getHarness(MatSelectHarness.with({ selector: '.language' }));
    await language.clickOptions({ text: 'Deutsch' });
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent?.trim()).toBe(
      'Deutsch could not be loaded: check the connection and choose it again.',
    );
    expect(await language.getValueText()).toBe('English');
    expect(el.querySelector('h2')?.textContent).toBe('Preferences');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('joc-keys.language')).toBeNull();
    // Chosen again once the chunk loads: the message goes.
    fail = false;
    await language.clickOptions({ text: 'Deutsch' });
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')).toBeNull();
    expect(localStorage.getItem('joc-keys.language')).toBe('de');
  });

  it('does not report a failed language the person has already moved on from', async () => {
    const english = compileCatalog(en, 'en', IntlMessageFormat);
    let failGerman!: () => void;
    const { fixture, loader } = await render([
      { provide: PRELOADED_CATALOGS, useValue: { en: english } },
      {
        provide: CATALOG_LOADER,
        useValue: (language: string) =>
          language === 'de'
            ? new Promise((_, reject) => (failGerman = () => reject(new Error('offline'))))
            : Promise.resolve(english),
      },
    ]);
    const el = fixture.nativeElement as HTMLElement;
    const language = await loader.getHarness(MatSelectHarness.with({ selector: '.language' }));
    await language.clickOptions({ text: 'Deutsch' });
    await language.clickOptions({ text: 'Français' });
    await fixture.whenStable();
    failGerman();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')).toBeNull();
    expect(await language.getValueText()).toBe('Français');
  });
});
