/**
 * The Signature tab drawn on the embedded server (server/src/page-render.ts) with the real server
 * bundle: a reload shows the row from the page's HTML, without key material, held in place until
 * the console has drawn the same; a page drawn for another account (another tab of the browser
 * logged in since) is never shown; logout ends it.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { dialog, keyRow, logIn, logOut, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/server';

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let context: BrowserContext;
let alice: Page;

/** Installed before the page's scripts: what a person could have seen while the page loaded. */
function watchViews(): void {
  const seen = { serverView: false, serverRow: [] as string[], visibleBob: false, appRow: [] as string[] };
  // The row's facts: subject, status, validity, algorithm, fingerprint.
  const facts = (row: Element | null | undefined) =>
    row ? ['td.subject', 'td.status .state', 'td.validity > span', 'td.algorithm', 'td.fingerprint'].map((s) => row.querySelector(s)?.textContent ?? '') : [];
  (window as unknown as { __seen: typeof seen }).__seen = seen;
  new MutationObserver(() => {
    const view = document.querySelector('.server-view');
    if (view) {
      seen.serverView = true;
      if (!seen.serverRow.length) seen.serverRow = facts(view.querySelector('tr:has(td.status)'));
    }
    const appRow = document.querySelector('app-root tr:has(td.status)');
    if (appRow) seen.appRow = facts(appRow);
    // innerText leaves out what is hidden by CSS.
    if (document.body?.innerText.includes('CN=bob')) seen.visibleBob = true;
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { __seen: { serverView: boolean; serverRow: string[]; visibleBob: boolean; appRow: string[] } }).__seen);

async function generate(page: Page): Promise<void> {
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
}

test.beforeAll(async ({ browser }) => {
  server = await startServer(
    jocConfig({
      securityLevel: 'MEDIUM',
      accounts: [
        { account: 'root', password: 'root', roles: ['administrator'] },
        { account: 'alice', password: 'alice-pw', roles: ['administrator'] },
        { account: 'bob', password: 'bob-pw', roles: ['administrator'] },
      ],
    }),
  );
  context = await browser.newContext();
  await context.addInitScript(watchViews);
  alice = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
});

test('a reload shows the row drawn on the server, without key material, until the console has drawn it', async () => {
  const errors: string[] = [];
  alice.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  alice.on('pageerror', (e) => errors.push(e.message));
  await alice.goto(`${server.url}/`);
  await logIn(alice, 'alice', 'alice-pw');
  await generate(alice);
  await expect(keyRow(alice)).toContainText('CN=alice,OU=JOC,O=JS7');

  // The console's own script is held back for a moment, so that the server's view can be looked at.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await alice.route(/\/main-[A-Z0-9]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  const reload = alice.reload({ waitUntil: 'commit' });
  const response = (await reload)!;
  const html = await response.text();
  expect(response.headers()['cache-control']).toBe('no-store');
  expect(html).toContain('<meta name="joc-keys-drawn-for" content="alice">');
  expect(html).toContain('>CN=alice,</span>');
  expect(html).not.toContain('PRIVATE KEY');
  const view = alice.locator('.server-view');
  await expect(view.locator('td.status .state')).toHaveText(/Valid/);
  await expect(view).toHaveAttribute('inert', '');
  await shot(alice, 'server-view-01-drawn-on-the-server');
  release();
  await expect(view).toHaveCount(0);
  await alice.unroute(/\/main-[A-Z0-9]+\.js$/);
  await expect(alice.locator('app-root td.status .state')).toHaveText(/Valid/);
  await expect(alice.getByText(/Ready to deploy|deployment readiness/).first()).toBeVisible();
  const s = await seen(alice);
  expect(s.serverView).toBe(true);
  // The console drew the same row.
  expect(s.serverRow[0]).toBe('CN=alice,OU=JOC,O=JS7');
  expect(s.appRow).toEqual(s.serverRow);
  // Usable once the console has drawn it.
  await keyRow(alice).getByRole('button', { name: 'Show' }).click();
  await expect(dialog(alice)).toContainText('CN=alice,OU=JOC,O=JS7');
  await dialog(alice).getByRole('button', { name: 'Close' }).click();
  await shot(alice, 'server-view-02-console-drawn');
  expect(errors).toEqual([]);
});

test('a page drawn for another account than the tab is logged in as is never shown', async () => {
  // Another tab of the same browser logs in as bob: the page cookie is now bob's.
  const bob = await context.newPage();
  await bob.goto(`${server.url}/`);
  await logIn(bob, 'bob', 'bob-pw');
  await generate(bob);
  await expect(keyRow(bob)).toContainText('CN=bob,OU=JOC,O=JS7');

  // alice's tab reloads: the server draws bob's row, the page hides it before it is painted.
  const response = (await alice.reload())!;
  expect(await response.text()).toContain('<meta name="joc-keys-drawn-for" content="bob">');
  await expect(keyRow(alice)).toContainText('CN=alice,OU=JOC,O=JS7');
  const s = await seen(alice);
  expect(s.serverView).toBe(false);
  expect(s.visibleBob).toBe(false);
});

test("logout forgets the page cookie when it is the session's own", async () => {
  const drawnFor = async () => /joc-keys-drawn-for" content="(\w+)"/.exec(await (await context.request.get(`${server.url}/profile/signature-keys`)).text())?.[1];
  // alice's logout leaves bob's cookie alone; bob's logout forgets it.
  await logOut(alice, 'alice');
  expect(await drawnFor()).toBe('bob');
  await logOut(context.pages().find((p) => p !== alice)!, 'bob');
  expect(await drawnFor()).toBeUndefined();
});
