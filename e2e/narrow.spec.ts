/** A narrow window (half a laptop screen): the key row stacks its cells and every action stays on screen. */
import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer(jocConfig({}));
});

test.afterAll(async () => {
  await server?.stop();
});

test.use({ viewport: { width: 760, height: 900 } });

test('at 760 px the row is stacked with labels and all five actions are visible', async ({
  page,
}) => {
  await page.goto(`${server.url}/profile/signature-keys`);
  await logIn(page, 'root', 'root');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const row = page.locator('tr[appKeyRow]');
  await expect(row.getByText('CN=root,OU=JOC,O=JS7')).toBeVisible();
  for (const name of ['Show', 'Update', 'Import', 'Generate', 'Delete']) {
    const box = await row.getByRole('button', { name }).boundingBox();
    expect(box, name).not.toBeNull();
    expect(box!.x + box!.width, `${name} inside the window`).toBeLessThanOrEqual(760);
  }
  // The header is hidden visually; each cell carries its label.
  await expect(row.locator('td[data-label="Key algorithm"]')).toContainText('ECDSA P-256');
  const scrolls = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(scrolls, 'no horizontal scrolling').toBe(false);
  await expectAccessible(page, 'app-signature-keys-tab');
  await shot(page, 'narrow-01-row');
});

test('on a phone (360 px) every Profile tab is on screen and can be opened', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto(`${server.url}/profile/signature-keys`);
  await logIn(page, 'root', 'root');
  const tabs = page.getByRole('navigation', { name: 'Profile sections' }).getByRole('link');
  await expect(tabs).toHaveText(['Preferences', 'Signature Key Management', 'SSL Key Management']);
  for (const tab of await tabs.all()) {
    const box = await tab.boundingBox();
    expect(box, await tab.innerText()).not.toBeNull();
    expect(box!.x, `${await tab.innerText()} starts inside the window`).toBeGreaterThanOrEqual(0);
    expect(
      box!.x + box!.width,
      `${await tab.innerText()} ends inside the window`,
    ).toBeLessThanOrEqual(360);
  }
  await expect(tabs.getByText('Signature Key Management')).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page, 'app-profile-page nav');
  await tabs.getByText('SSL Key Management').click();
  await expect(tabs.getByText('SSL Key Management')).toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveURL(/\/profile\/ssl-keys$/);
  await shot(page, 'narrow-02-phone-tabs');
});

test('at 320 px (400 % zoom) the row shows its values whole, and the login card fits', async ({
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(`${server.url}/login`);
  const loginScrolls = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(loginScrolls, 'the login page scrolls sideways').toBe(false);
  await page.goto(`${server.url}/profile/signature-keys`);
  await logIn(page, 'root', 'root');
  const row = page.locator('tr[appKeyRow]');
  await expect(row.getByText('CN=root,OU=JOC,O=JS7')).toBeVisible();
  for (const label of ['Status', 'Key algorithm']) {
    const cell = row.locator(`td[data-label="${label}"]`);
    const cut = await cell.evaluate((td) =>
      [...td.querySelectorAll<HTMLElement>('*')].some((e) => e.scrollWidth > e.clientWidth + 1),
    );
    expect(cut, `${label} is cut off`).toBe(false);
    const box = await cell.boundingBox();
    expect(box!.x + box!.width, `${label} inside the window`).toBeLessThanOrEqual(320);
  }
  const scrolls = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(scrolls, 'the tab scrolls sideways').toBe(false);
  // History stacks each entry too: nothing of it waits behind a sideways scroll.
  const history = page.getByRole('region', { name: 'History table' });
  await expect(history.locator('td[data-label="Certificate left in place"]').first()).toContainText(
    'CN=root,OU=JOC,O=JS7',
  );
  const historyScrolls = await history.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(historyScrolls, 'History scrolls sideways').toBe(false);
  await shot(page, 'narrow-03-320');
});
