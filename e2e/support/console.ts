/** Steps a person takes in the console, and the checks every spec repeats (axe, screenshots). */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '..', '..', 'src', 'pki', 'testdata');
export const fixture = (name: string) => join(FIXTURES, name);

/** Logs in through the login page (from wherever the console sent the person). */
export async function logIn(page: Page, account: string, password: string): Promise<void> {
  await page.getByLabel('Account').fill(account);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: `Account menu for ${account}` })).toBeVisible();
}

export async function logOut(page: Page, account: string): Promise<void> {
  await page.getByRole('button', { name: `Account menu for ${account}` }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
}

/** No axe-core violation of serious or critical impact inside `selector`. */
export async function expectAccessible(page: Page, selector: string): Promise<void> {
  // A dialog fading in has low contrast for a moment: check it once it is fully open.
  if (selector.includes('mat-dialog-container')) {
    await expect(
      page.locator('mat-dialog-container.mdc-dialog--open:not(.mdc-dialog--opening)'),
    ).toBeVisible();
    await page.waitForTimeout(200);
  }
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(bad, `axe violations in ${selector}`).toEqual([]);
}

/** Saves a screenshot into e2e/artifacts (git-ignored) to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250); // let ripples and dialog animations finish
  await expectIconsDrawn(page);
  await page.screenshot({
    path: join(__dirname, '..', 'artifacts', `${name}.png`),
    fullPage: true,
  });
}

/**
 * Every icon on screen is one glyph of the console's icon font (src/icons): a name the font lacks
 * (an icon added without `npm run icons`) is drawn as its letters, many times wider than high.
 */
export async function expectIconsDrawn(page: Page): Promise<void> {
  const wide = await page.evaluate(async () => {
    // fonts.ready alone resolves at once when the font's load has not started yet (a busy machine).
    await document.fonts.load('24px "Material Symbols Outlined"');
    await document.fonts.ready;
    return [...document.querySelectorAll('mat-icon, .material-symbols-outlined')]
      .filter((icon) => icon.textContent?.trim() && icon.getBoundingClientRect().height > 0)
      .filter((icon) => icon.scrollWidth > icon.getBoundingClientRect().height * 1.5)
      .map((icon) => icon.textContent!.trim());
  });
  expect(wide, 'icons drawn as letters').toEqual([]);
}

/** The open dialog (Material's container carries the role and the accessible name). */
export function dialog(page: Page) {
  return page.locator('mat-dialog-container');
}

/** The Signature Key Management row. */
export function keyRow(page: Page) {
  return page.locator('tr', { hasText: 'Keys and Certificates' });
}
