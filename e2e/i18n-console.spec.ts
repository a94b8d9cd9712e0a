/**
 * The console's frame in German and Japanese at 760 px: the login page follows the browser's
 * language, Preferences → Language switches every text at once and is remembered, the expiry
 * banner and the errors speak the language; no English left, nothing clipped.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { shot } from './support/console';
import { expectNoEnglish, expectNothingClipped, text } from './support/i18n';
import { jocConfig, startServer, type RunningServer } from './support/server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer(jocConfig({ securityLevel: 'LOW' }));
  // A certificate ending in 20 days: the banner shows on every page.
  const login = await fetch(`${server.url}/joc/api/authentication/login`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from('root:root').toString('base64')}` },
  });
  const token = login.headers.get('X-Access-Token') ?? '';
  const generated = await fetch(`${server.url}/joc/api/profile/key/generate`, {
    method: 'POST',
    headers: { 'X-Access-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      keyAlgorithm: 'ECDSA',
      validUntil: new Date(Date.now() + 20.5 * 86_400_000).toISOString(),
    }),
  });
  expect(generated.status).toBe(200);
});

test.afterAll(async () => {
  await server?.stop();
});

/** A person whose browser speaks `locale`, at 760 px. */
async function narrowPage(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 760, height: 900 } });
  return context.newPage();
}

async function logIn(page: Page, lang: string): Promise<void> {
  await page.getByLabel(text(lang, 'login.account')).fill('root');
  await page.getByLabel(text(lang, 'login.password')).fill('root');
  await page.getByRole('button', { name: text(lang, 'login.submit') }).click();
  await expect(
    page.getByRole('button', { name: text(lang, 'shell.accountMenu', { account: 'root' }) }),
  ).toBeVisible();
}

test('German browser: login page, error, Preferences and banner in German at 760 px', async ({
  browser,
}) => {
  const page = await narrowPage(browser, 'de-DE');
  await page.goto(`${server.url}/profile/preferences`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { name: text('de', 'common.product') })).toBeVisible();
  await expectNoEnglish(page, 'de', 'login page');
  await expectNothingClipped(page, 'login page');
  await shot(page, 'i18n-de-01-login');

  await page.getByLabel(text('de', 'login.account')).fill('root');
  await page.getByLabel(text('de', 'login.password')).fill('nope');
  await page.getByRole('button', { name: text('de', 'login.submit') }).click();
  await expect(page.getByRole('alert')).toContainText(text('de', 'errors.wrongPassword'));
  await expectNoEnglish(page, 'de', 'login error');
  await expectNothingClipped(page, 'login error');
  await shot(page, 'i18n-de-02-login-error');

  await logIn(page, 'de');
  await expect(page).toHaveURL(/\/profile\/preferences$/);
  await expect(page.getByRole('heading', { name: text('de', 'prefs.title') })).toBeVisible();
  const banner = page.getByRole('status').filter({ hasText: 'Signaturzertifikat' });
  await expect(banner).toContainText(/läuft in 2[01] Tagen ab/);
  await expect(page.getByRole('combobox', { name: text('de', 'prefs.language') })).toContainText(
    'Deutsch',
  );
  await expectNoEnglish(page, 'de', 'Preferences');
  await expectNothingClipped(page, 'Preferences');
  await shot(page, 'i18n-de-03-preferences');

  await page
    .getByRole('button', { name: text('de', 'shell.accountMenu', { account: 'root' }) })
    .click();
  await expect(page.getByRole('menuitem', { name: text('de', 'shell.menu.logout') })).toBeVisible();
  await expectNothingClipped(page, 'account menu');
  await shot(page, 'i18n-de-04-menu');
  await page.keyboard.press('Escape');
  await page.context().close();
});

test('Preferences → Language switches to Japanese at once, remembered after a reload', async ({
  browser,
}) => {
  const page = await narrowPage(browser, 'en-US');
  await page.goto(`${server.url}/profile/preferences`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await logIn(page, 'en');
  const warn = page.getByLabel(text('en', 'prefs.warnDays'));
  await warn.fill('30');
  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { name: text('ja', 'prefs.title') })).toBeVisible();
  // What was typed stays; nothing was saved by the switch.
  await expect(page.getByLabel(text('ja', 'prefs.warnDays'))).toHaveValue('30');
  await expect(page.getByRole('status').filter({ hasText: '署名証明書' })).toContainText(
    /あと 2[01] 日/,
  );
  await expectNoEnglish(page, 'ja', 'Preferences after the switch');
  await expectNothingClipped(page, 'Preferences after the switch');
  await shot(page, 'i18n-ja-01-preferences');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { name: text('ja', 'prefs.title') })).toBeVisible();
  await expect(page.getByRole('combobox', { name: text('ja', 'prefs.language') })).toContainText(
    '日本語',
  );
  await expectNoEnglish(page, 'ja', 'Preferences after a reload');

  await page
    .getByRole('button', { name: text('ja', 'shell.accountMenu', { account: 'root' }) })
    .click();
  await page.getByRole('menuitem', { name: text('ja', 'shell.menu.logout') }).click();
  await expect(page.getByRole('button', { name: text('ja', 'login.submit') })).toBeVisible();
  await expectNoEnglish(page, 'ja', 'login page');
  await expectNothingClipped(page, 'login page');
  await shot(page, 'i18n-ja-02-login');
  await page.context().close();
});
