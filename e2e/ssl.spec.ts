/**
 * From an empty data dir, as root at LOW: create the SSL CA on its tab → generate a signing key
 * with "Use SSL CA" → every readiness item green → download the trust file, byte for byte the
 * certificate /profile/ca returns; then a foreign CA's certificate is named as a problem.
 * axe-core on the SSL tab and each of its dialogs.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dialog, expectAccessible, keyRow, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let page: Page;

const caRow = (p: Page) =>
  p.locator('tr', { hasText: 'SSL CA' }).filter({ has: p.locator('th[scope=row]') });

/** A JOC API call with the page's session, as the console makes it. */
async function api(
  p: Page,
  path: string,
  body: object = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  return p.evaluate(
    async ({ path, body }) => {
      const token = JSON.parse(sessionStorage.getItem('joc-keys.session') ?? '{}').token;
      const answer = await fetch(`/joc/api/${path}`, {
        method: 'POST',
        headers: { 'X-Access-Token': token, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: answer.status, json: await answer.json() };
    },
    { path, body },
  );
}

test.beforeAll(async ({ browser }) => {
  server = await startServer(jocConfig({ securityLevel: 'LOW' }));
  page = await (await browser.newContext({ acceptDownloads: true })).newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

test('the SSL tab without a CA: says so and offers Update, Import and Generate', async () => {
  await page.goto(`${server.url}/profile/ssl-keys`);
  await logIn(page, 'root', 'root');
  await expect(page).toHaveURL(/\/profile\/ssl-keys$/);
  await expect(caRow(page)).toContainText('No SSL CA exists');
  for (const name of ['Update', 'Import', 'Generate'])
    await expect(caRow(page).getByRole('button', { name })).toBeVisible();
  await expect(caRow(page).getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expectAccessible(page, 'app-ssl-keys-tab');
  await shot(page, 'ssl-01-no-ca');
});

test('Update and Import dialogs of the CA check what is given (axe on both)', async () => {
  await caRow(page).getByRole('button', { name: 'Update' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Update the SSL CA' })).toBeVisible();
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'ssl-02-update-dialog');
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await caRow(page).getByRole('button', { name: 'Import' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Import the SSL CA' })).toBeVisible();
  await expectAccessible(page, 'mat-dialog-container');
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('generate the CA: the DN is required and checked', async () => {
  await caRow(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Generate the SSL CA' })).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toContainText("Enter the CA's Distinguished Name");
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'ssl-03-generate-ca-required');
  await dialog(page).getByLabel('Distinguished Name').fill('CN=JS7 CA,O=Example');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(caRow(page)).toContainText('CN=JS7 CA,O=Example');
  await expect(caRow(page)).toContainText('Valid');
  await expect(caRow(page)).toContainText('ECDSA P-256');
  await expect(caRow(page).getByRole('button', { name: 'Show' })).toBeVisible();
  await expectAccessible(page, 'app-ssl-keys-tab');
  await shot(page, 'ssl-04-ca-created');
});

test('show the CA: details, masked private key', async () => {
  await caRow(page).getByRole('button', { name: 'Show' }).click();
  await expect(
    dialog(page).getByRole('heading', { name: 'SSL CA key and certificate' }),
  ).toBeVisible();
  await expect(dialog(page)).toContainText('keyCertSign');
  await expect(dialog(page)).not.toContainText('BEGIN PRIVATE KEY');
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'ssl-05-show-ca');
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('a signing key with "Use SSL CA": chain in Show, readiness all green, the trust file is the CA certificate', async () => {
  await page.getByRole('link', { name: 'Signature Key Management' }).click();
  await expect(keyRow(page)).toContainText('No key is present');
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  const useCa = dialog(page).getByRole('checkbox', { name: 'Use SSL CA' });
  await expect(useCa).toBeEnabled();
  await useCa.check();
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);

  // Every check passes, but Controllers hold no certificate of this key yet.
  await expect(keyRow(page)).toContainText(
    'Ready to deploy once every Controller and Agent holds the new trusted-x509-keys/JS7_CA.pem',
  );
  const checks = page.getByRole('list', { name: 'Readiness checks' }).getByRole('listitem');
  await expect(checks).toHaveCount(8);
  await expect(checks.filter({ hasText: 'Passed' })).toHaveCount(8);
  const trust = page.locator('app-trust-panel');
  await expect(trust).toContainText('issued by CN=JS7 CA,O=Example (the SSL CA)');
  await expect(trust).toContainText(
    'Copy this file into ./config/private/trusted-x509-keys/ of every Controller and Agent.',
  );
  await expectAccessible(page, 'app-signature-keys-tab');
  await shot(page, 'ssl-06-signing-ready');

  const download = page.waitForEvent('download');
  await trust.getByRole('button', { name: 'Download trusted-x509-keys/JS7_CA.pem' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('JS7_CA.pem');
  const ca = await api(page, 'profile/ca');
  expect(readFileSync((await file.path())!)).toEqual(
    Buffer.from(String(ca.json['certificate']), 'utf8'),
  );

  await keyRow(page).getByRole('button', { name: 'Show' }).click();
  const chain = dialog(page).getByRole('region', { name: 'Chain' });
  await expect(chain).toContainText('Certificate');
  await expect(chain).toContainText('Issuing CA');
  await expect(chain).toContainText('CN=JS7 CA,O=Example');
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'ssl-07-show-chain');
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

// The old CA is gone from this console; Controllers that still hold it accept the certificate,
// those given the new one do not: only they can tell, and the console says so.
test("a new CA replaces the old one: the stored certificate's issuer is no longer here, and the console says who can tell", async () => {
  await page.getByRole('link', { name: 'SSL Key Management' }).click();
  await caRow(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toContainText('This replaces the SSL CA CN=JS7 CA,O=Example');
  await dialog(page).getByLabel('Distinguished Name').fill('CN=Other CA,O=Example');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await page.getByRole('link', { name: 'Signature Key Management' }).click();
  await expect(keyRow(page)).toContainText(
    'Ready as far as checked: 2 of 8 checks could not run here',
  );
  await expect(page.locator('app-trust-panel')).toContainText(
    'The CA certificate of "CN=JS7 CA,O=Example" is not stored here (it is not the SSL CA), so only the Controllers can check it',
  );
  await expect(
    page
      .getByRole('list', { name: 'Readiness checks' })
      .getByRole('listitem')
      .filter({ hasText: 'Not run' }),
  ).toHaveCount(2);
  await shot(page, 'ssl-08-foreign-issuer');
});
