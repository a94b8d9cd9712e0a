/**
 * The Signature Key Management tab and its five dialogs in German and Japanese at 760 px:
 * generate, the tab with its trust and readiness panels, show, update with a mismatch message,
 * import with its file list, delete. No English left on screen, nothing clipped or sticking out;
 * a screenshot of each to look at.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dialog, fixture, shot } from './support/console';
import { expectNoEnglish, expectNothingClipped, text } from './support/i18n';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer(jocConfig({ securityLevel: 'LOW' }));
});

test.afterAll(async () => {
  await server?.stop();
});

/** A person who chose `language` on this machine before, at 760 px. */
async function narrowPage(browser: Browser, language: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 760, height: 900 } });
  await context.addInitScript((lang) => localStorage.setItem('joc-keys.language', lang), language);
  return context.newPage();
}

/** Every check of a screen in `language`: no English, nothing clipped; then its screenshot. */
async function look(page: Page, language: string, name: string): Promise<void> {
  await expectNoEnglish(page, language, name);
  await expectNothingClipped(page, name);
  await shot(page, `i18n-sig-${language}-${name}`);
}

for (const lang of ['de', 'ja']) {
  test(`${lang}: the signing key's tab and its five dialogs at 760 px`, async ({ browser }) => {
    test.setTimeout(120_000);
    const page = await narrowPage(browser, lang);
    const row = page
      .locator('tr', { hasText: text(lang, 'keys.row.signingKey') })
      .filter({ has: page.locator('th[scope=row]') });
    const rowButton = (key: string) =>
      row.getByRole('button', { name: text(lang, `keys.action.${key}`), exact: true });
    const dialogButton = (key: string) =>
      dialog(page).getByRole('button', { name: text(lang, key), exact: true });

    await page.goto(`${server.url}/profile/signature-keys`);
    await page.getByLabel(text(lang, 'login.account')).fill('root');
    await page.getByLabel(text(lang, 'login.password')).fill('root');
    await page.getByRole('button', { name: text(lang, 'login.submit') }).click();
    await expect(page.getByRole('heading', { name: text(lang, 'sig.tab.title') })).toBeVisible();

    // Generate: the dialog, then the tab with the trust and readiness panels.
    await rowButton('generate').click();
    await expect(dialog(page)).toContainText(text(lang, 'sig.generate.caNone'));
    await look(page, lang, '01-generate');
    await dialogButton('sig.generate.submit').click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(row).toContainText('CN=root,OU=JOC,O=JS7');
    // The first key: Controllers hold none of it yet.
    await expect(
      page.getByText(text(lang, 'sig.readiness.line.copyFirst', { file: 'root.pem' })),
    ).toBeVisible();
    await expect(
      page.getByRole('heading', { name: text(lang, 'sig.trust.heading') }),
    ).toBeVisible();
    await look(page, lang, '02-tab');

    // Show.
    await rowButton('show').click();
    await expect(dialog(page)).toContainText(text(lang, 'sig.show.titleSigning'));
    await look(page, lang, '03-show');
    await dialogButton('sig.show.close').click();
    await expect(dialog(page)).toHaveCount(0);

    // Update: a key and a certificate that do not belong together.
    await rowButton('update').click();
    await dialog(page)
      .getByLabel(text(lang, 'sig.update.privateKey'))
      .fill(readFileSync(fixture('ec256.pkcs8.pem'), 'utf8'));
    await dialog(page)
      .getByLabel(text(lang, 'sig.update.certificate'))
      .fill(readFileSync(fixture('leaf.crt.pem'), 'utf8'));
    await expect(dialog(page).locator('.verdict .bad')).toBeVisible();
    await expect(dialogButton('sig.update.store')).toBeDisabled();
    await look(page, lang, '04-update-mismatch');
    await dialogButton('sig.cancel').click();
    await expect(dialog(page)).toHaveCount(0);

    // Import: two keys and a certificate, so the list, the choice of key, the preview and a
    // note all show.
    await rowButton('import').click();
    await dialog(page)
      .locator('input[type=file]')
      .setInputFiles([
        fixture('ec256.sec1.pem'),
        fixture('rsa2048.pkcs8.pem'),
        fixture('ec256.crt.der'),
      ]);
    await expect(dialog(page)).toContainText(text(lang, 'sig.pair.ok'));
    await expect(dialog(page).getByRole('radiogroup')).toHaveAccessibleName(
      text(lang, 'sig.import.whichKey'),
    );
    await expect(dialog(page)).toContainText(
      text(lang, 'sig.import.chosenKey', { count: 2, file: 'ec256.sec1.pem' }),
    );
    await look(page, lang, '05-import');
    await dialogButton('sig.cancel').click();
    await expect(dialog(page)).toHaveCount(0);

    // Delete: the consequence in words; Cancel keeps the key.
    await rowButton('delete').click();
    await expect(dialog(page)).toContainText(text(lang, 'sig.delete.warning'));
    await look(page, lang, '06-delete');
    await dialogButton('sig.cancel').click();
    await expect(dialog(page)).toHaveCount(0);
    await page.context().close();
  });
}
