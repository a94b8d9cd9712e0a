/**
 * A page left open past the session's idle timeout (10 s here): it goes to the login page by
 * itself, and an open Show dialog takes the private key off the screen with it.
 */
import { expect, test, type Page } from '@playwright/test';
import { dialog, keyRow, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let page: Page;

test.beforeAll(async ({ browser }) => {
  server = await startServer(jocConfig({ securityLevel: 'MEDIUM', sessionTimeoutSeconds: 10 }));
  page = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

test('a revealed private key leaves the screen when the session times out', async () => {
  await page.goto(`${server.url}/`);
  await logIn(page, 'root', 'root');
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await keyRow(page).getByRole('button', { name: 'Show' }).click();
  await dialog(page).getByRole('button', { name: 'Reveal' }).click();
  await expect(dialog(page)).toContainText('-----BEGIN PRIVATE KEY-----');
  // Nobody touches the page: the timeout (10 s), a margin and the next look (every 15 s).
  await expect(page.getByRole('alert')).toContainText('Your session has expired', {
    timeout: 45_000,
  });
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('PRIVATE KEY');
  await shot(page, 'idle-01-timed-out');
  await logIn(page, 'root', 'root');
  await expect(page).toHaveURL(/\/profile\/signature-keys$/);
  await expect(keyRow(page)).toContainText('CN=root');
});
