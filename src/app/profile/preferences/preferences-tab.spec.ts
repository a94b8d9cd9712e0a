import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { testProviders, until } from '../key-tab/testing';
import { PreferencesTab } from './preferences-tab';

describe('PreferencesTab', () => {
  const session = 'joc-keys.session';
  const stored = 'joc-keys.preferences.alice';
  beforeEach(() =>
    sessionStorage.setItem(session, JSON.stringify({ token: 't', account: 'alice' })),
  );
  afterEach(() => {
    sessionStorage.removeItem(session);
    localStorage.removeItem(stored);
  });

  async function render() {
    TestBed.configureTestingModule({ providers: testProviders() });
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
});
