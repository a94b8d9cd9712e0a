/**
 * Security level HIGH: signing happens outside the console; the Signature tab is absent, the SSL
 * tab is not.
 */
import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer(jocConfig({ securityLevel: 'HIGH' }));
});

test.afterAll(async () => {
  await server?.stop();
});

test('no Signature Key Management tab, and one sentence saying why', async ({ page }) => {
  await page.goto(`${server.url}/profile/signature-keys`);
  await logIn(page, 'root', 'root');
  await expect(page).toHaveURL(/\/profile\/preferences$/);
  await expect(
    page.getByText('At security level HIGH signing keys are managed outside the console'),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Signature Key Management' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'SSL Key Management' })).toBeVisible();
  await expectAccessible(page, 'app-profile-page');
  await shot(page, 'high-01-no-tab');
});

test('the SSL CA is managed at HIGH too: JOC Cockpit issues Agent certificates from it', async ({
  page,
}) => {
  await page.goto(`${server.url}/profile/ssl-keys`);
  await logIn(page, 'root', 'root');
  const row = page
    .locator('tr', { hasText: 'SSL CA' })
    .filter({ has: page.locator('th[scope=row]') });
  await expect(row).toContainText('No SSL CA exists');
  await row.getByRole('button', { name: 'Generate' }).click();
  await page
    .locator('mat-dialog-container')
    .getByLabel('Distinguished Name')
    .fill('CN=High CA,O=JS7');
  await page.locator('mat-dialog-container').getByRole('button', { name: 'Generate' }).click();
  await expect(page.locator('mat-dialog-container')).toHaveCount(0);
  await expect(row).toContainText('CN=High CA,O=JS7');
  await shot(page, 'high-02-ssl-ca');
});
