import { defineConfig } from '@playwright/test';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CHROMIUM, CHROMIUM_ARGS } = require('./scripts/chromium') as {
  CHROMIUM: string;
  CHROMIUM_ARGS: string[];
};

/**
 * End-to-end tests in Debian's Chromium against the real embedded server (each spec file starts
 * its own on a free port with a temp data dir). Build the console first: `npx ng build`.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1366, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
    timezoneId: 'UTC',
    locale: 'en-US',
    trace: 'off',
  },
});
