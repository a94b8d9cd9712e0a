/**
 * The SSL tab, the Generate CA dialog with its Audit block, the key rows and both History panels
 * in German, Japanese, French and Spanish at 760 px: no English left on screen, nothing clipped or sticking out;
 * a screenshot of each to look at. The History panel describes each change in the language
 * ("CA generated", an import stored as key and certificate, the time spent).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { dialog, fixture, shot } from './support/console';
import { expectNoEnglish, expectNothingClipped, text } from './support/i18n';
import { jocConfig, startServer } from './support/embedded-server';

/** A person who chose `language` on this machine before, at 760 px. */
async function narrowPage(browser: Browser, language: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 760, height: 900 } });
  await context.addInitScript((lang) => localStorage.setItem('joc-keys.language', lang), language);
  return context.newPage();
}

/** A screenshot of a screen in `language` (also when a check fails); no English, nothing clipped. */
async function look(page: Page, language: string, name: string): Promise<void> {
  await shot(page, `i18n-ssl-${language}-${name}`);
  await expectNoEnglish(page, language, name);
  await expectNothingClipped(page, name);
}

for (const lang of ['de', 'ja', 'fr', 'es']) {
  test(`${lang}: SSL tab, Generate CA with the Audit block, History panels at 760 px`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    // The server asks for a reason, so every writing dialog shows its Audit block.
    const server = await startServer(jocConfig({ forceCommentsForAuditLog: true }));
    const page = await narrowPage(browser, lang);
    try {
      const rowOf = (key: string) =>
        page
          .locator('tr', { hasText: text(lang, key) })
          .filter({ has: page.locator('th[scope=row]') });
      const caRow = rowOf('keys.row.ca');
      const keyRow = rowOf('keys.row.signingKey');
      const history = page.locator('app-history-panel');
      const historyRows = history.locator('tbody tr');
      const button = (scope: ReturnType<Page['locator']>, key: string) =>
        scope.getByRole('button', { name: text(lang, key), exact: true });
      // The table may scroll inside its region, but at 760 px it has no need to.
      const historyFits = async () =>
        expect(
          await history.locator('.scroll').evaluate((e) => e.scrollWidth <= e.clientWidth + 1),
          'the History table fits without scrolling',
        ).toBe(true);
      const reason = async (name: string) => {
        await dialog(page)
          .getByRole('combobox', { name: text(lang, 'audit.reason') })
          .click();
        await page.getByRole('option', { name }).click();
      };

      await page.goto(`${server.url}/profile/ssl-keys`);
      await page.getByLabel(text(lang, 'login.account')).fill('root');
      await page.getByLabel(text(lang, 'login.password')).fill('root');
      await page.getByRole('button', { name: text(lang, 'login.submit') }).click();
      await expect(page.getByRole('heading', { name: text(lang, 'ssl.tab.title') })).toBeVisible();
      await expect(caRow).toContainText(text(lang, 'keys.row.noCa'));
      await expect(history).toContainText(text(lang, 'history.panel.empty', { kind: 'ca' }));
      await look(page, lang, '01-tab-without-ca');

      // Generate the CA: the DN and the reason are required, and say so in the language.
      await button(caRow, 'keys.action.generate').click();
      await expect(dialog(page)).toContainText(text(lang, 'ssl.generate.title'));
      await button(dialog(page), 'ssl.generate.generate').click();
      await expect(dialog(page)).toContainText(text(lang, 'ssl.generate.dnRequired'));
      await expect(dialog(page)).toContainText(text(lang, 'audit.reasonRequired'));
      await look(page, lang, '02-generate-ca-required');
      await dialog(page).getByLabel(text(lang, 'ssl.generate.dn')).fill('CN=JS7 CA,O=Example');
      await reason('Key rotation');
      await dialog(page).getByLabel(text(lang, 'audit.timeSpent')).fill('90');
      await dialog(page).getByLabel(text(lang, 'audit.ticketLink')).fill('JIRA-7');
      await button(dialog(page), 'ssl.generate.generate').click();
      await expect(dialog(page)).toHaveCount(0);
      await expect(caRow).toContainText('CN=JS7 CA,O=Example');
      await expect(caRow).toContainText(text(lang, 'keys.status.valid'));
      await expect(historyRows).toHaveCount(1);
      await expect(historyRows.first()).toContainText(text(lang, 'history.change.ca.generated'));
      await expect(historyRows.first()).toContainText(
        text(lang, 'history.panel.spent', {
          duration: text(lang, 'history.duration.hoursMinutes', { hours: 1, minutes: 30 }),
        }),
      );
      await expect(historyRows.first()).toContainText(
        text(lang, 'history.panel.ticket', { ticket: 'JIRA-7' }),
      );
      await look(page, lang, '03-tab-with-ca');
      await historyFits();

      // Generate CA again: the dialog says what it replaces.
      await button(caRow, 'keys.action.generate').click();
      await expect(dialog(page)).toContainText('CN=JS7 CA,O=Example');
      await look(page, lang, '04-generate-ca-replaces');
      await button(dialog(page), 'ssl.generate.cancel').click();
      await expect(dialog(page)).toHaveCount(0);

      // The signing key: generated, then imported from two files (stored in one call).
      await page.getByRole('link', { name: text(lang, 'profile.tabs.signatureKeys') }).click();
      await expect(keyRow).toContainText(text(lang, 'keys.row.noKey'));
      await button(keyRow, 'keys.action.generate').click();
      await reason('Key rotation');
      await button(dialog(page), 'sig.generate.submit').click();
      await expect(dialog(page)).toHaveCount(0);
      await expect(historyRows).toHaveCount(1);
      await button(keyRow, 'keys.action.import').click();
      await dialog(page)
        .locator('input[type=file]')
        .setInputFiles([fixture('ec256.sec1.pem'), fixture('ec256.crt.der')]);
      await expect(dialog(page)).toContainText(text(lang, 'sig.pair.ok'));
      await reason('Certificate renewal');
      await button(dialog(page), 'sig.import.submit').click();
      await expect(dialog(page)).toHaveCount(0);
      await expect(historyRows.first()).toContainText(text(lang, 'history.change.key.stored'));
      await expect(historyRows).toHaveCount(2);
      await history.scrollIntoViewIfNeeded();
      await look(page, lang, '05-signature-history');
      await historyFits();
    } finally {
      await page.context().close();
      await server.stop();
    }
  });
}
