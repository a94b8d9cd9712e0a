/**
 * Security level LOW, as root (the default profile account): generate → show → update by paste →
 * import files → delete, with axe-core on the tab and every dialog, and a session that expires.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dialog, expectAccessible, fixture, keyRow, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let page: Page;

test.beforeAll(async ({ browser }) => {
  server = await startServer(jocConfig({ securityLevel: 'LOW' }));
  page = await (await browser.newContext()).newPage();
});

/** The server forgets the page's session (as after a timeout or a restart); the page does not know. */
async function endSessionOnServer(): Promise<void> {
  await page.evaluate(async () => {
    const token = JSON.parse(sessionStorage.getItem('joc-keys.session') ?? '{}').token;
    await fetch('/joc/api/authentication/logout', {
      method: 'POST',
      headers: { 'X-Access-Token': token, 'Content-Type': 'application/json' },
      body: '{}',
    });
  });
}

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

test('a wrong password gets a clear message; the right one lands on the tab', async () => {
  await page.goto(`${server.url}/profile`);
  await page.getByLabel('Account').fill('root');
  // The page's loading bar is gone once the first screen is there.
  await expect(page.locator('.boot-progress')).toHaveCount(0);
  await page.getByLabel('Password').fill('nope');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/Wrong account or password\./);
  await shot(page, 'low-00-login-error');
  await logIn(page, 'root', 'root');
  await expect(page).toHaveURL(/\/profile\/signature-keys$/);
  await expect(keyRow(page)).toContainText('No key is present');
  for (const name of ['Update', 'Import', 'Generate'])
    await expect(keyRow(page).getByRole('button', { name })).toBeVisible();
  await expect(keyRow(page).getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expectAccessible(page, 'app-signature-keys-tab');
  await shot(page, 'low-01-no-key');
});

test('generate: a certificate ending in 30 days shows "expires in" and the banner', async () => {
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toContainText('No SSL CA exists yet.');
  await expect(dialog(page).getByRole('checkbox', { name: 'Use SSL CA' })).toBeDisabled();
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'low-02-generate-dialog');
  // Typed in the date format of Preferences (here the default, YYYY-MM-DD).
  const end = new Date(Date.now() + 30 * 86_400_000);
  await dialog(page)
    .getByLabel('Valid until')
    .fill(`${end.getFullYear()}-${end.getMonth() + 1}-${end.getDate()}`);
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=root,OU=JOC,O=JS7');
  await expect(keyRow(page)).toContainText(/Expires in 30 days/);
  await expect(keyRow(page)).toContainText('ECDSA P-256');
  await expect(
    page.getByRole('status').filter({ hasText: 'The signing certificate expires' }),
  ).toBeVisible();
  await expectAccessible(page, 'app-shell');
  await shot(page, 'low-03-generated-expiring');
});

test('show: details, masked private key until Reveal', async () => {
  await keyRow(page).getByRole('button', { name: 'Show' }).click();
  await expect(
    dialog(page).getByRole('heading', { name: 'Signing key and certificate' }),
  ).toBeVisible();
  await expect(dialog(page)).toContainText('The private key is hidden');
  await expect(dialog(page)).not.toContainText('BEGIN PRIVATE KEY');
  await expectAccessible(page, 'mat-dialog-container');
  await dialog(page).getByRole('button', { name: 'Reveal' }).click();
  await expect(dialog(page)).toContainText('-----BEGIN PRIVATE KEY-----');
  await shot(page, 'low-04-show-revealed');
  const download = page.waitForEvent('download');
  await dialog(page).getByRole('button', { name: 'Download .pem' }).last().click();
  // The trust panel's name for it: one file on the Controllers, whichever button was used.
  expect((await download).suggestedFilename()).toBe('root.pem');
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('show reads the key first: the row stays in place meanwhile; a double click opens one dialog', async () => {
  const before = await keyRow(page).boundingBox();
  await page.route('**/joc/api/profile/key', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await keyRow(page).getByRole('button', { name: 'Show' }).dblclick();
  await expect(page.getByRole('progressbar', { name: 'Loading the signing key' })).toBeVisible();
  expect((await keyRow(page).boundingBox())?.y).toBe(before?.y);
  await expect(
    dialog(page).getByRole('heading', { name: 'Signing key and certificate' }),
  ).toBeVisible();
  await expect(dialog(page)).toHaveCount(1);
  await page.unroute('**/joc/api/profile/key');
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('show after the server ended the session: the login page, not the private key', async () => {
  await endSessionOnServer();
  await keyRow(page).getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('alert')).toContainText('Your session has expired');
  await expect(dialog(page)).toHaveCount(0);
  await logIn(page, 'root', 'root');
  await expect(page).toHaveURL(/\/profile\/signature-keys$/);
});

test('update by paste: messages while typing, an encrypted key opened in the browser', async () => {
  await keyRow(page).getByRole('button', { name: 'Update' }).click();
  const key = dialog(page).getByLabel('Private key', { exact: false }).first();
  await key.fill(readFileSync(fixture('ec256.crt.pem'), 'utf8'));
  await key.blur();
  await expect(dialog(page)).toContainText(
    'This is a certificate; a private key is expected here.',
  );
  await shot(page, 'low-05-update-wrong-field');
  await key.fill(readFileSync(fixture('ec256.encrypted.pem'), 'utf8'));
  await expect(dialog(page)).toContainText(
    'This private key is encrypted: enter its passphrase below.',
  );
  await dialog(page).getByLabel('Passphrase of the private key').fill('secret');
  await dialog(page)
    .getByLabel('Certificate')
    .fill(readFileSync(fixture('ec256.crt.pem'), 'utf8'));
  await expect(dialog(page)).toContainText('Recognised: ECDSA P-256 private key, encrypted PKCS#8');
  await expect(dialog(page)).toContainText('The private key and the certificate belong together.');
  await expect(dialog(page).getByRole('button', { name: 'Store' })).toBeEnabled();
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'low-06-update-valid');
  await dialog(page).getByRole('button', { name: 'Store' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
  await expect(keyRow(page)).toContainText('Valid');
  await expect(
    page.getByRole('status').filter({ hasText: 'The signing certificate expires' }),
  ).toHaveCount(0);
});

test('import files: a PKCS#12 opened with its password, previewed, then stored', async () => {
  await keyRow(page).getByRole('button', { name: 'Import' }).click();
  await expectAccessible(page, 'mat-dialog-container');
  await dialog(page)
    .locator('input[type=file]')
    .setInputFiles([fixture('rsa2048.p12')]);
  await expect(dialog(page)).toContainText('PKCS#12 file: needs its password');
  await dialog(page).getByLabel('Password for rsa2048.p12').fill('secret');
  await dialog(page).getByRole('button', { name: 'Open' }).click();
  await expect(dialog(page)).toContainText('RSA 2048 private key, PKCS#12');
  await expect(dialog(page)).toContainText('The private key and the certificate belong together.');
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'low-07-import-preview');
  await dialog(page).getByRole('button', { name: 'Import' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=rsa2048,OU=JOC,O=JS7');
  await expect(keyRow(page)).toContainText('RSA 2048');
  await shot(page, 'low-08-imported');
});

test('import files: a key file and a certificate file', async () => {
  await keyRow(page).getByRole('button', { name: 'Import' }).click();
  await dialog(page)
    .locator('input[type=file]')
    .setInputFiles([fixture('ec256.sec1.pem'), fixture('ec256.crt.der')]);
  await expect(dialog(page)).toContainText('ECDSA P-256 private key, SEC1');
  await expect(dialog(page)).toContainText('The private key and the certificate belong together.');
  await dialog(page).getByRole('button', { name: 'Import' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
});

test('generate with the SSL CA once one exists: two years by default, issued by the CA', async () => {
  // The CA is made through the API (its own tab is not part of this console yet).
  const status = await page.evaluate(async () => {
    const token = JSON.parse(sessionStorage.getItem('joc-keys.session') ?? '{}').token;
    const answer = await fetch('/joc/api/profile/ca/generate', {
      method: 'POST',
      headers: { 'X-Access-Token': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dn: 'CN=JS7 Test CA,O=JS7' }),
    });
    return answer.status;
  });
  expect(status).toBe(200);
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toContainText(
    'This replaces the stored key and the certificate valid until',
  );
  const useCa = dialog(page).getByRole('checkbox', { name: 'Use SSL CA' });
  await expect(useCa).toBeEnabled();
  await useCa.check();
  await expect(dialog(page).getByLabel('Valid until')).toHaveValue(
    new RegExp(String(new Date().getFullYear() + 2)),
  );
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'low-09a-generate-with-ca');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await keyRow(page).getByRole('button', { name: 'Show' }).click();
  await expect(dialog(page)).toContainText('CN=JS7 Test CA,O=JS7');
  await expect(dialog(page)).toContainText('codeSigning');
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  // Focus goes back to the button that opened the dialog.
  await expect(keyRow(page).getByRole('button', { name: 'Show' })).toBeFocused();
});

test('delete: an alert dialog with focus on Cancel, then no key', async () => {
  await keyRow(page).getByRole('button', { name: 'Delete' }).click();
  const alert = page.getByRole('alertdialog', { name: 'Delete the signing key?' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('CN=root,OU=JOC,O=JS7');
  await expect(alert).toContainText(
    'Deployments of Workflows and Job Resources fail until a new key is stored.',
  );
  await expect(alert.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'low-09-delete');
  await alert.getByRole('button', { name: 'Delete' }).click();
  await expect(alert).toHaveCount(0);
  await expect(keyRow(page)).toContainText('No key is present');
});

test('an expired session returns to the login page, and back after login', async () => {
  await endSessionOnServer();
  await page.getByRole('link', { name: 'SSL Key Management' }).click();
  await expect(page.getByRole('alert')).toContainText('Your session has expired');
  await shot(page, 'low-10-session-expired');
  await logIn(page, 'root', 'root');
  await expect(page).toHaveURL(/\/profile\/ssl-keys$/);
});
