'use strict';
/** Debian's Chromium through playwright-core (never a downloaded browser). */
const { chromium } = require('playwright-core');

const ARGS = [
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

function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ARGS, headless: true, timeout: 60000 });
}

module.exports = { launch };
