/** The served icon font draws every icon the console uses as one glyph (not as its name's letters). */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from './support/embedded-server';

const { names } = JSON.parse(
  readFileSync(join(__dirname, '..', 'src', 'icons', 'icon-font.json'), 'utf8'),
) as { names: string[] };

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer(undefined);
});

test.afterAll(async () => {
  await server?.stop();
});

test('every icon of the console is one 24 px glyph of its small icon font', async ({ page }) => {
  const fonts: { url: string; bytes: number }[] = [];
  page.on('response', async (response) => {
    if (response.url().endsWith('.woff2') && /material-symbols/.test(response.url()))
      fonts.push({ url: response.url(), bytes: (await response.body()).length });
  });
  await page.goto(`${server.url}/login`);
  const widths = await page.evaluate(
    async (icons) => {
      await document.fonts.load('24px "Material Symbols Outlined"', icons.join(' '));
      const box = document.createElement('div');
      for (const icon of icons) {
        const span = document.createElement('span');
        span.className = 'material-symbols-outlined';
        span.textContent = icon;
        box.append(span);
      }
      document.body.append(box);
      return icons.map((icon, i) => ({
        icon,
        width: box.children[i].getBoundingClientRect().width,
      }));
    },
    [...names, 'not_an_icon'],
  );
  // A name the font does not hold is drawn letter by letter: far wider than one glyph.
  expect(widths.pop()!.width).toBeGreaterThan(48);
  expect(widths.filter(({ width }) => Math.abs(width - 24) > 0.5)).toEqual([]);
  await expect.poll(() => fonts.length).toBe(1);
  expect(fonts[0].bytes).toBeLessThan(20_000);
});
