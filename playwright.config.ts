import { defineConfig } from '@playwright/test';

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
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    timezoneId: 'UTC',
    locale: 'en-US',
    trace: 'off',
  },
});
