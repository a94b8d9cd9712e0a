/**
 * The History panel (issue 15): every change made through the tabs appears with its account,
 * reason, time spent and ticket, newest first; the SSL tab shows the CA's changes.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dialog, expectAccessible, fixture, keyRow, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

let server: RunningServer;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  server = await startServer(jocConfig({ forceCommentsForAuditLog: true }));
  page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/`);
  await logIn(page, 'root', 'root');
});

test.afterAll(async () => {
  await page?.close();
  await server?.stop();
});

const history = () => page.locator('app-history-panel');
const historyRows = () => history().locator('tbody tr');

/** Picks a predefined reason in the open dialog (the server requires one). */
async function reason(name: string, ticket?: string): Promise<void> {
  const scope = page.locator('mat-dialog-container');
  await scope.getByRole('combobox', { name: 'Reason' }).click();
  await page.getByRole('option', { name }).click();
  if (ticket) await scope.getByLabel('Ticket link').fill(ticket);
}

test('no changes yet: the panel says so', async () => {
  await expect(history()).toContainText('No changes are recorded for this key.');
});

test('generate, update, import and delete each appear, newest first, with the reason', async () => {
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await reason('Key rotation', 'https://tickets.example/7');
  await dialog(page).getByLabel('Time spent').fill('25');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(historyRows()).toHaveCount(1);
  await expect(historyRows().first()).toContainText('Generated');
  await expect(historyRows().first()).toContainText('Key rotation');
  await expect(historyRows().first()).toContainText('25 min');
  await expect(historyRows().first()).toContainText('CN=root,OU=JOC,O=JS7');
  await expect(
    historyRows().first().getByRole('link', { name: 'https://tickets.example/7' }),
  ).toHaveAttribute('rel', 'noopener noreferrer');

  await keyRow(page).getByRole('button', { name: 'Update' }).click();
  await dialog(page)
    .getByLabel('Private key', { exact: false })
    .first()
    .fill(readFileSync(fixture('ec256.pkcs8.pem'), 'utf8'));
  await dialog(page)
    .getByLabel('Certificate')
    .fill(readFileSync(fixture('ec256.crt.pem'), 'utf8'));
  await reason('Certificate renewal');
  await expect(dialog(page).getByRole('button', { name: 'Store' })).toBeEnabled();
  await dialog(page).getByRole('button', { name: 'Store' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(historyRows()).toHaveCount(2);
  await expect(historyRows().first()).toContainText('Updated (key and certificate)');
  await expect(historyRows().first()).toContainText('CN=ec256,OU=JOC,O=JS7');

  await keyRow(page).getByRole('button', { name: 'Import' }).click();
  await dialog(page)
    .locator('input[type=file]')
    .setInputFiles([fixture('ec256.sec1.pem'), fixture('ec256.crt.der')]);
  await expect(dialog(page)).toContainText('The private key and the certificate belong together.');
  await reason('Key rotation');
  await dialog(page).getByRole('button', { name: 'Import' }).click();
  await expect(dialog(page)).toHaveCount(0);
  // Import stores key and certificate in one call: both or neither.
  await expect(historyRows().nth(0)).toContainText('Updated (key and certificate)');
  await expect(historyRows()).toHaveCount(3);

  await keyRow(page).getByRole('button', { name: 'Delete' }).click();
  const alert = page.getByRole('alertdialog', { name: 'Delete the signing key?' });
  await reason('Certificate renewal');
  await alert.getByRole('button', { name: 'Delete' }).click();
  await expect(alert).toHaveCount(0);
  await expect(keyRow(page)).toContainText('No key is present');
  await expect(historyRows().first()).toContainText('Deleted');
  await expect(historyRows().first()).toContainText('root');
  await expect(historyRows()).toHaveCount(4);
  const actions = await historyRows().locator('td:nth-child(3)').allTextContents();
  expect(actions.map((a) => a.trim())).toEqual([
    'Deleted',
    'Updated (key and certificate)',
    'Updated (key and certificate)',
    'Generated',
  ]);
  await history().scrollIntoViewIfNeeded();
  await expectAccessible(page, 'app-history-panel');
  await shot(page, 'history-01-signature-tab');
  await page.setViewportSize({ width: 760, height: 900 });
  await shot(page, 'history-02-narrow');
  await page.setViewportSize({ width: 1366, height: 900 });
});

test('the SSL tab shows the CA changes only', async () => {
  await page.getByRole('link', { name: 'SSL Key Management' }).click();
  await expect(history()).toContainText('No changes are recorded for this CA.');
  await page
    .locator('tr', { hasText: 'SSL CA' })
    .filter({ has: page.locator('th[scope=row]') })
    .getByRole('button', { name: 'Generate' })
    .click();
  await dialog(page).getByLabel('Distinguished Name').fill('CN=JS7 CA,O=Example');
  await reason('Key rotation');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(historyRows()).toHaveCount(1);
  await expect(historyRows().first()).toContainText('CA generated');
  await expect(historyRows().first()).toContainText('CN=JS7 CA,O=Example');
  await shot(page, 'history-03-ssl-tab');
});
