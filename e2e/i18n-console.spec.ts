/**
 * The console's frame in German and Japanese at 760 px: the login page follows the browser's
 * language, Preferences → Language switches every text at once and is remembered, the expiry
 * banner and the errors speak the language; no English left, nothing clipped.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { shot } from './support/console';
import { expectNoEnglish, expectNothingClipped, text } from './support/i18n';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;

const LANGUAGE_NAMES = { de: 'Deutsch', fr: 'Français', es: 'Español' } as const;
/** The last second of the UTC date 20 days ahead: 20 days left by the browser's (UTC) calendar. */
const TODAY = new Date();
const VALID_UNTIL = new Date(
  Date.UTC(TODAY.getUTCFullYear(), TODAY.getUTCMonth(), TODAY.getUTCDate() + 20, 23, 59, 59),
);
/** The certificate's end as the banner writes it (the default format, UTC as the browser). */
const ending = () => VALID_UNTIL.toISOString().slice(0, 10);

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
      validUntil: VALID_UNTIL.toISOString(),
    }),
  });
  expect(generated.status).toBe(200);
});

test.afterAll(async () => {
  await server?.stop();
});

/** A person whose browser speaks `locale`, at 760 px. */
async function narrowPage(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({
    locale,
    timezoneId: 'UTC',
    viewport: { width: 760, height: 900 },
  });
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

for (const [lang, locale] of [
  ['de', 'de-DE'],
  ['fr', 'fr-FR'],
  ['es', 'es-ES'],
] as const) {
  test(`${locale} browser: login page, its error, Preferences, banner and menu at 760 px`, async ({
    browser,
  }) => {
    const page = await narrowPage(browser, locale);
    await page.goto(`${server.url}/profile/preferences`);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.getByRole('heading', { name: text(lang, 'common.product') })).toBeVisible();
    await expectNoEnglish(page, lang, 'login page');
    await expectNothingClipped(page, 'login page');
    await shot(page, `i18n-${lang}-01-login`);

    // One wrong password only: more from this address would meet the login throttle.
    if (lang === 'de') {
      await page.getByLabel(text(lang, 'login.account')).fill('root');
      await page.getByLabel(text(lang, 'login.password')).fill('nope');
      await page.getByRole('button', { name: text(lang, 'login.submit') }).click();
      await expect(page.getByRole('alert')).toContainText(text(lang, 'errors.wrongPassword'));
      await expectNoEnglish(page, lang, 'login error');
      await expectNothingClipped(page, 'login error');
      await shot(page, `i18n-${lang}-02-login-error`);
    }

    await logIn(page, lang);
    await expect(page).toHaveURL(/\/profile\/preferences$/);
    await expect(page.getByRole('heading', { name: text(lang, 'prefs.title') })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: ending() })).toContainText(
      text(lang, 'shell.expiry.expiring', { what: 'certificate', days: 20, date: ending() }),
    );
    await expect(page.getByRole('combobox', { name: text(lang, 'prefs.language') })).toContainText(
      LANGUAGE_NAMES[lang],
    );
    await expectNoEnglish(page, lang, 'Preferences');
    await expectNothingClipped(page, 'Preferences');
    await shot(page, `i18n-${lang}-03-preferences`);

    const menu = text(lang, 'shell.accountMenu', { account: 'root' });
    await page.getByRole('button', { name: menu }).click();
    await expect(
      page.getByRole('menuitem', { name: text(lang, 'shell.menu.logout') }),
    ).toBeVisible();
    await expectNoEnglish(page, lang, 'account menu');
    await expectNothingClipped(page, 'account menu');
    await shot(page, `i18n-${lang}-04-menu`);
    await page.keyboard.press('Escape');
    await page.context().close();
  });
}

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
