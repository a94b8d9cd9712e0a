/**
 * Issue 13: an encrypted file made slow on purpose (a huge iteration count) must not freeze the
 * page. The Import and Update dialogs open it in a worker: the page keeps answering, Stop and
 * Cancel end the work at once, and nothing is stored. A file over the PKI core's cap is refused
 * at once.
 */
import { expect, test, type Page } from '@playwright/test';
import { dialog, expectAccessible, keyRow, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

/**
 * ec256.pkcs8.pem, openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA512 -iter 1000000 (the
 * cap): about 14 s in Chromium's worker here, so that it is still decrypting when the test presses
 * Stop after its checks, also on a loaded machine (with SHA-256 and 900,000 it took 4.5 s, and once
 * it ended before Stop).
 */
const SLOW_KEY = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHtMFgGCSqGSIb3DQEFDTBLMCoGCSqGSIb3DQEFDDAdBAjoPxg4lU0pxQIDD0JA
MAwGCCqGSIb3DQILBQAwHQYJYIZIAWUDBAEqBBCXBxPER3lZ7c76efkMeBmvBIGQ
/n7eAFD6+JpLlhjSksJzOomomiohU1n4wsdZC/bTbPiNwlApsZF6zaBBgFSlkDeJ
2VRv5QRrmukX+FyGeOgDjtPcv/3p3seUYiVXmz5gaij0pKLE4ikkbp1HBYATK+nS
oiDpMjwC8j4j6PFLnNg5gWz4TlKLiyRemhGrL/bwXnxHodv5c0jKOhiOloCQwlxR
-----END ENCRYPTED PRIVATE KEY-----
`;
/** The same with -iter 5000000 (over the cap) and the passphrase "x". */
const OVER_CAP_KEY = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHtMFgGCSqGSIb3DQEFDTBLMCoGCSqGSIb3DQEFDDAdBAggvJZ4/BtkQQIDTEtA
MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBCC3OdTAAj2klyBSQBIUKb/BIGQ
/LFRphmUKlfrBbatYY51k2V1nG/tmHpGBi4tOH5Lb9XRaQOpAtcFbpk3kS8JeJ1W
4mqTHuj0IwKq0vO/FWw+aP005sEMjNAFS5qirjgUTeKYqwdF1PVG/6fxRczJVYO6
+FdxHX/OCU1kv1ytZmPdUIZRjLQug6VSI5iEeQDtRhljiw7Mzy6/O9gKEfCp36hF
-----END ENCRYPTED PRIVATE KEY-----
`;

let server: RunningServer;
let page: Page;

test.beforeAll(async ({ browser }) => {
  server = await startServer(jocConfig({ securityLevel: 'LOW' }));
  page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/profile`);
  await logIn(page, 'root', 'root');
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

async function chooseAndOpen(name: string, text: string, password: string): Promise<void> {
  await dialog(page)
    .locator('input[type=file]')
    .setInputFiles([{ name, mimeType: 'application/x-pem-file', buffer: Buffer.from(text) }]);
  await dialog(page).getByLabel(`Password for ${name}`).fill(password);
  await dialog(page).getByRole('button', { name: 'Open' }).click();
}

/** The longest pause of a 10 ms timer on the page over `ms`. */
function longestPause(ms: number): Promise<number> {
  return page.evaluate(
    (ms) =>
      new Promise<number>((resolve) => {
        let last = performance.now();
        let longest = 0;
        const ticker = setInterval(() => {
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
        }, 10);
        setTimeout(() => {
          clearInterval(ticker);
          resolve(longest);
        }, ms);
      }),
    ms,
  );
}

test('a slow key decrypts off the page: it keeps answering; Stop and Cancel end it', async () => {
  await keyRow(page).getByRole('button', { name: 'Import' }).click();
  await chooseAndOpen('slow.key', SLOW_KEY, 'slow-but-real');
  const decrypting = dialog(page).getByRole('status').filter({ hasText: 'Decrypting slow.key…' });
  await expect(decrypting).toBeVisible();
  expect(await longestPause(1500)).toBeLessThan(300);
  await expect(decrypting).toBeVisible();
  await expect(dialog(page).getByRole('button', { name: 'Import' })).toBeDisabled();
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'decrypt-01-decrypting');

  await dialog(page).getByRole('button', { name: 'Stop' }).click();
  await expect(dialog(page)).toContainText(
    'Stopped: slow.key was not opened, nothing was changed.',
    { timeout: 1000 },
  );
  await expect(dialog(page).getByLabel('Password for slow.key')).toBeVisible();

  await dialog(page).getByLabel('Password for slow.key').fill('slow-but-real');
  await dialog(page).getByRole('button', { name: 'Open' }).click();
  await expect(decrypting).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0, { timeout: 1000 });
  await expect(keyRow(page)).toContainText('No key is present');
});

test('the Update dialog decrypts a pasted slow key off the page; Cancel ends it', async () => {
  await keyRow(page).getByRole('button', { name: 'Update' }).click();
  await dialog(page).getByLabel('Private key').fill(SLOW_KEY);
  await dialog(page).getByLabel('Passphrase of the private key').fill('slow-but-real');
  const decrypting = dialog(page)
    .getByRole('status')
    .filter({ hasText: 'Decrypting the private key…' });
  await expect(decrypting).toBeVisible();
  expect(await longestPause(1500)).toBeLessThan(300);
  await expect(decrypting).toBeVisible();
  await shot(page, 'decrypt-02-update-decrypting');
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0, { timeout: 1000 });
  await expect(keyRow(page)).toContainText('No key is present');
});

test('a key asking for more iterations than the cap is refused at once', async () => {
  await keyRow(page).getByRole('button', { name: 'Import' }).click();
  await chooseAndOpen('over-cap.key', OVER_CAP_KEY, 'x');
  await expect(dialog(page)).toContainText('5,000,000 iterations', { timeout: 3000 });
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
});
