'use strict';
/**
 * Debian's Chromium, the one browser of every suite (Karma, Playwright, the benchmarks): where it
 * is and how it starts here (as root: no sandbox; no background traffic on this closed network).
 */
const CHROMIUM = process.env.CHROME_BIN || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

module.exports = { CHROMIUM, CHROMIUM_ARGS };
