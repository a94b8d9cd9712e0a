'use strict';
/** Debian's Chromium through playwright-core (never a downloaded browser). */
const { chromium } = require('playwright-core');

const { CHROMIUM, CHROMIUM_ARGS: ARGS } = require('../../scripts/chromium');

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || CHROMIUM,
    args: ARGS,
    headless: true,
    timeout: 60000,
  });
}

module.exports = { launch };
