/**
 * Against a real JOC Cockpit: the server started as `JOC_URL=… npm start` runs it, in front of a
 * JOC double (support/joc-double.ts) that answers as JOC 2.8/2.9 does. The console logs in, shows
 * the stored key, generates one, imports files, logs out; a JOC that is down gives a clear message on the login
 * page. The server writes nothing into its data folder, and every request JOC receives validates
 * against JOC's own schemas.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dialog, fixture, keyRow, logIn, logOut, shot } from './support/console';
import { startJocDouble, type JocDouble } from './support/joc-double';
import { startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

let joc: JocDouble;
let server: RunningServer;
let page: Page;

test.beforeAll(async ({ browser }) => {
  joc = await startJocDouble({
    securityLevel: 'LOW',
    defaultProfileAccount: 'root',
    accounts: {
      root: { password: 'root', roles: ['all', 'administrator'] },
    },
    keys: {
      root: {
        privateKey: readFileSync(fixture('ec256.pkcs8.pem'), 'utf8'),
        certificate: readFileSync(fixture('ec256.crt.pem'), 'utf8'),
        keyAlgorithm: 'ECDSA',
      },
    },
  });
  server = await startServer(undefined, { jocUrl: joc.url });
  page = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
  await joc?.stop();
});

test('logs in through JOC Cockpit and shows the key it stores', async () => {
  await page.goto(`${server.url}/`);
  await logIn(page, 'root', 'root');
  await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
  await expect(keyRow(page)).toContainText('ECDSA P-256');
  const login = joc.requests.find((r) => r.path === 'authentication/login');
  expect(login?.headers['authorization']).toBe(
    `Basic ${Buffer.from('root:root').toString('base64')}`,
  );
  // Every later call carries the token JOC gave, through the proxy.
  const later = joc.requests.filter((r) => r.path !== 'authentication/login');
  expect(later.length).toBeGreaterThan(0);
  for (const r of later) expect(r.headers['x-access-token']).toMatch(/^[0-9a-f]{32}$/);
  await shot(page, 'real-joc-01-row');
});

test('Show opens the stored pair', async () => {
  await keyRow(page).getByRole('button', { name: 'Show' }).click();
  await expect(
    dialog(page).getByRole('heading', { name: 'Signing key and certificate' }),
  ).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Reveal' }).click();
  await expect(dialog(page)).toContainText('-----BEGIN PRIVATE KEY-----');
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('Generate goes to JOC Cockpit; the row shows what JOC made', async () => {
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toContainText(
    'Controllers do not accept the self-signed certificates JOC Cockpit makes',
  );
  await shot(page, 'real-joc-01b-generate-dialog');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=root,OU=JOC,O=JS7');
  // What JOC makes without the SSL CA does not deploy, and the tab says so (the dialog warned).
  await expect(keyRow(page)).toContainText('Not ready to deploy');
  await expect(page.getByRole('region', { name: 'Trust on Controllers and Agents' })).toContainText(
    'names "OU=Self Signed,O=JOC" as its issuer',
  );
  // The row stays while the new key is read: the focus stays on the button that opened the dialog.
  await expect(keyRow(page).getByRole('button', { name: 'Generate' })).toBeFocused();
  expect(joc.requests.some((r) => r.path === 'profile/key/generate')).toBe(true);
  await shot(page, 'real-joc-02-generated');
});

// JOC's import takes one file per call: a certificate refused after its key was stored would
// leave the new key without it. The dialog stores both in one call, which JOC does atomically.
test('Import stores key and certificate through the proxy in one call, as JOC reads it', async () => {
  await keyRow(page).getByRole('button', { name: 'Import' }).click();
  await dialog(page)
    .locator('input[type=file]')
    .setInputFiles([fixture('ec256.sec1.pem'), fixture('ec256.crt.der')]);
  await expect(dialog(page)).toContainText('The private key and the certificate belong together.');
  const before = joc.requests.length;
  await dialog(page).getByRole('button', { name: 'Import' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
  const writes = joc.requests.slice(before).filter((r) => r.path.startsWith('profile/key/'));
  expect(writes.map((r) => r.path).filter((p) => p !== 'profile/key')).toEqual([
    'profile/key/store',
  ]);
  const store = writes.find((r) => r.path === 'profile/key/store');
  expect(store?.headers['x-access-token']).toMatch(/^[0-9a-f]{32}$/);
  const { keys } = store?.body as { keys: Record<string, string> };
  expect(keys['keyAlgorithm']).toBe('ECDSA');
  expect(keys['certificate']).toMatch(
    /^-----BEGIN CERTIFICATE-----\n[^-]+-----END CERTIFICATE-----\n$/,
  );
  expect(joc.keys.get('root')?.privateKey).toContain('PRIVATE KEY');
});

test("the History panel shows what JOC's audit log recorded, never the key in its parameters", async () => {
  // JOC records a store's request body, private key included, as the entry's parameters.
  await keyRow(page).getByRole('button', { name: 'Update' }).click();
  await dialog(page)
    .getByLabel('Private key', { exact: false })
    .first()
    .fill(readFileSync(fixture('ec256.pkcs8.pem'), 'utf8'));
  await dialog(page)
    .getByLabel('Certificate')
    .fill(readFileSync(fixture('ec256.crt.pem'), 'utf8'));
  await expect(dialog(page).getByRole('button', { name: 'Store' })).toBeEnabled();
  await dialog(page).getByRole('button', { name: 'Store' }).click();
  await expect(dialog(page)).toHaveCount(0);
  const rows = page.locator('app-history-panel tbody tr');
  await expect(rows).toHaveCount(3);
  const actions = await rows.locator('td:nth-child(3)').allTextContents();
  expect(actions.map((a) => a.trim())).toEqual([
    'Updated (key and certificate)',
    'Updated (key and certificate)',
    'Generated',
  ]);
  for (const account of await rows.locator('td:nth-child(2)').allTextContents())
    expect(account.trim()).toBe('root');
  await expect(page.locator('app-history-panel')).not.toContainText('PRIVATE');
  const filter = joc.requests.findLast((r) => r.path === 'audit_log')?.body;
  expect(filter).toEqual({ categories: ['CERTIFICATES'], limit: 1000 });
  await page.locator('app-history-panel').scrollIntoViewIfNeeded();
  await shot(page, 'real-joc-03-history');

  await keyRow(page).getByRole('button', { name: 'Delete' }).click();
  const alert = page.getByRole('alertdialog', { name: 'Delete the signing key?' });
  await alert.getByRole('button', { name: 'Delete' }).click();
  await expect(alert).toHaveCount(0);
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText('Deleted');
  // The Delete button went with the key: the focus stays in the row, on its first button.
  await expect(keyRow(page).getByRole('button', { name: 'Update' })).toBeFocused();
});

test('logs out through JOC Cockpit', async () => {
  await logOut(page, 'root');
  expect(joc.requests.at(-1)?.path).toBe('authentication/logout');
});

test('a JOC Cockpit that is down: a clear message on the login page, no spinner', async ({
  browser,
}) => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  let log = '';
  const down = await startServer(undefined, {
    jocUrl: `http://127.0.0.1:${port}`,
    onOutput: (output) => (log = output),
  });
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    await other.goto(`${down.url}/`);
    await other.getByLabel('Account').fill('root');
    await other.getByLabel('Password').fill('root');
    await other.getByRole('button', { name: 'Log in' }).click();
    await expect(other.getByRole('alert')).toContainText(
      `JOC Cockpit at http://127.0.0.1:${port} is not reachable: ECONNREFUSED`,
    );
    await expect(other.locator('mat-progress-bar')).toHaveCount(0);
    await expect(other.getByRole('button', { name: 'Log in' })).toBeEnabled();
    await shot(other, 'real-joc-03-joc-down');
    expect(readdirSync(down.dataDir)).toEqual([]);
  } finally {
    await context.close();
    await down.stop();
  }
  // The server's log names the cause.
  expect(log).toContain('is not reachable: ECONNREFUSED');
});

test('the server kept nothing of its own: its data folder is empty', async () => {
  expect(readdirSync(server.dataDir)).toEqual([]);
});

test('every request JOC Cockpit received validates against its schemas', async () => {
  expect(joc.requests.length).toBeGreaterThan(5);
  expect(joc.violations).toEqual([]);
});
