/**
 * Security level MEDIUM: every account has its own key; a view-only account sees its tab
 * without any button that changes something.
 */
import { expect, test, type Page } from '@playwright/test';
import { dialog, expectAccessible, keyRow, logIn, logOut, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let page: Page;

test.beforeAll(async ({ browser }) => {
  server = await startServer(
    jocConfig({
      securityLevel: 'MEDIUM',
      accounts: [
        { account: 'root', password: 'root', roles: ['administrator'] },
        { account: 'alice', password: 'alice-pw', roles: ['administrator'] },
        { account: 'bob', password: 'bob-pw', roles: ['administrator'] },
        { account: 'viewer', password: 'viewer-pw', roles: ['viewer'] },
      ],
    }),
  );
  page = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

async function generate(page: Page): Promise<void> {
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
}

test('two accounts each see only their own key', async () => {
  await page.goto(`${server.url}/`);
  await logIn(page, 'alice', 'alice-pw');
  await expect(keyRow(page)).toContainText('No key is present');
  await generate(page);
  await expect(keyRow(page)).toContainText('CN=alice,OU=JOC,O=JS7');
  await shot(page, 'medium-01-alice');
  await logOut(page, 'alice');

  await logIn(page, 'bob', 'bob-pw');
  await expect(keyRow(page)).toContainText('No key is present');
  await generate(page);
  await expect(keyRow(page)).toContainText('CN=bob,OU=JOC,O=JS7');
  await logOut(page, 'bob');

  await logIn(page, 'alice', 'alice-pw');
  await expect(keyRow(page)).toContainText('CN=alice,OU=JOC,O=JS7');
  await logOut(page, 'alice');
});

test('a view-only account sees its tab and no button that changes something', async () => {
  await logIn(page, 'viewer', 'viewer-pw');
  await expect(keyRow(page)).toContainText('No key is present');
  await expect(keyRow(page)).toContainText(
    'Adding a key needs the permission to manage certificates, which this account does not have.',
  );
  await expect(keyRow(page).getByRole('button')).toHaveCount(0);
  await expectAccessible(page, 'app-signature-keys-tab');
  await shot(page, 'medium-02-viewer');
});

test('each browser tab keeps its own session across a reload; no cookie holds a token', async ({
  browser,
}) => {
  const context = await browser.newContext();
  try {
    const [first, second] = [await context.newPage(), await context.newPage()];
    await first.goto(`${server.url}/`);
    await logIn(first, 'alice', 'alice-pw');
    await second.goto(`${server.url}/`);
    await logIn(second, 'bob', 'bob-pw');
    for (const [tab, account] of [
      [first, 'alice'],
      [second, 'bob'],
    ] as const) {
      await tab.reload();
      await expect(keyRow(tab)).toContainText(`CN=${account},OU=JOC,O=JS7`);
      await keyRow(tab).getByRole('button', { name: 'Show' }).click();
      await dialog(tab).getByRole('button', { name: 'Reveal' }).click();
      await expect(dialog(tab)).toContainText('-----BEGIN PRIVATE KEY-----');
      await dialog(tab).getByRole('button', { name: 'Close' }).click();
      await expect(dialog(tab)).toHaveCount(0);
    }
    expect(await context.cookies()).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a dialog does not write over a key another session changed while it was open', async ({
  browser,
}) => {
  const context = await browser.newContext();
  try {
    const [first, second] = [await context.newPage(), await context.newPage()];
    for (const tab of [first, second]) {
      await tab.goto(`${server.url}/`);
      await logIn(tab, 'alice', 'alice-pw');
      await expect(keyRow(tab)).toContainText('CN=alice,OU=JOC,O=JS7');
    }
    await keyRow(first).getByRole('button', { name: 'Delete' }).click();
    await expect(dialog(first)).toContainText('CN=alice,OU=JOC,O=JS7');
    // Meanwhile alice replaces her key in her second tab.
    await keyRow(second).getByRole('button', { name: 'Generate' }).click();
    await dialog(second).getByLabel('Distinguished Name').fill('CN=alice-renewed,OU=JOC,O=JS7');
    await dialog(second).getByRole('button', { name: 'Generate' }).click();
    await expect(dialog(second)).toHaveCount(0);
    await expect(keyRow(second)).toContainText('CN=alice-renewed');

    await dialog(first).getByRole('button', { name: 'Delete' }).click();
    await expect(dialog(first).getByRole('alert')).toContainText(
      'Another session replaced the key while this dialog was open',
    );
    // Nothing was deleted; the page behind the dialog shows the new key.
    await expect(keyRow(first)).toContainText('CN=alice-renewed');
    await second.reload();
    await expect(keyRow(second)).toContainText('CN=alice-renewed');
    await shot(first, 'medium-03-changed-meanwhile');

    // The dialog never deletes a key it does not name: a second press is refused too.
    await dialog(first).getByRole('button', { name: 'Delete' }).click();
    await expect(dialog(first).getByRole('alert')).toContainText('Close this dialog and open it');
    await dialog(first).getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog(first)).toHaveCount(0);
    // Opened again, it names the key as it now is, and deletes it.
    await keyRow(first).getByRole('button', { name: 'Delete' }).click();
    await expect(dialog(first)).toContainText('CN=alice-renewed,OU=JOC,O=JS7');
    await dialog(first).getByRole('button', { name: 'Delete' }).click();
    await expect(dialog(first)).toHaveCount(0);
    await expect(keyRow(first)).toContainText('No key is present');
  } finally {
    await context.close();
  }
});
