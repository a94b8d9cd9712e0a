/** The main flow with the keyboard alone: where the focus is, that a person can see it, and Escape. */
import { expect, test, type Locator } from '@playwright/test';
import { dialog, keyRow, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer(jocConfig({}));
});

test.afterAll(async () => {
  await server?.stop();
});

/** The ring Material draws around a focused control (its strong focus indicator), if any. */
function focusRing(control: Locator) {
  return control.evaluate((element) => {
    const indicator = element.querySelector('.mat-focus-indicator') ?? element;
    const ring = getComputedStyle(indicator, '::before');
    return {
      drawn: ring.content !== 'none' && ring.display !== 'none',
      width: parseFloat(ring.borderTopWidth),
      color: ring.borderTopColor,
    };
  });
}

test('log in, generate and leave a dialog with the keyboard; the focus is seen all along', async ({
  page,
}) => {
  await page.goto(`${server.url}/profile/signature-keys`);
  await page.getByLabel('Account').focus();
  await page.keyboard.type('root');
  await page.keyboard.press('Tab');
  await page.keyboard.type('root');
  await page.keyboard.press('Enter');
  const generate = keyRow(page).getByRole('button', { name: 'Generate' });
  await expect(generate).toBeVisible();

  // Tab through the row's buttons to Generate: the focused icon button wears a ring, not a tint.
  for (let i = 0; i < 20 && !(await generate.evaluate((b) => b === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(generate).toBeFocused();
  const ring = await focusRing(generate);
  expect(ring.drawn, 'a focus ring around Generate').toBe(true);
  expect(ring.width).toBeGreaterThanOrEqual(2);
  expect(ring.color).not.toBe('rgba(0, 0, 0, 0)');
  await shot(page, 'keyboard-01-generate-focused');

  await page.keyboard.press('Enter');
  await expect(dialog(page)).toBeVisible();
  const cancel = dialog(page).getByRole('button', { name: 'Cancel' });
  for (let i = 0; i < 10 && !(await cancel.evaluate((b) => b === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(cancel).toBeFocused();
  expect((await focusRing(cancel)).drawn, 'a focus ring around Cancel').toBe(true);
  await shot(page, 'keyboard-02-dialog-cancel-focused');

  // Escape closes the dialog and gives the focus back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(generate).toBeFocused();
  expect((await focusRing(generate)).drawn, 'the ring is back on Generate').toBe(true);
});

test('after logging in the focus is in the page; the skip link moves it there without a reload', async ({
  page,
}) => {
  await page.goto(`${server.url}/profile/signature-keys`);
  await page.getByLabel('Account').fill('root');
  await page.getByLabel('Password').fill('root');
  await page.getByLabel('Password').press('Enter');
  await expect(keyRow(page)).toBeVisible();
  // The login form is gone: the focus goes to the page's content, not to the body.
  await expect(page.locator('main#main')).toBeFocused();

  await page.evaluate(() => ((window as unknown as { kept: boolean }).kept = true));
  // The skip link is the page's first stop (a fresh load starts there).
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await skip.focus();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  await expect(page).toHaveURL(/\/profile\/signature-keys$/);
  expect(
    await page.evaluate(() => (window as unknown as { kept?: boolean }).kept),
    'the page was not loaded again',
  ).toBe(true);
});
