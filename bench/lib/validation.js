'use strict';
/** Live validation in Chromium: see pki-page.ts for what each variant times. */
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { launch } = require('./browser');
const { stats } = require('./common');

/**
 * @param {{url: string, pairs: {RSA: {key: string, cert: string}, ECDSA: {key: string, cert: string}}, iterations: number, warmup: number, traceDir?: string}} o
 */
async function benchValidation(o) {
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${o.url}/__bench/pki/index.html`, { timeout: 30000 });
    await page.waitForFunction(() => globalThis.benchPki !== undefined, undefined, {
      timeout: 30000,
    });
    const result = {};
    for (const algorithm of ['ECDSA', 'RSA']) {
      const { key, cert } = o.pairs[algorithm];
      const times = await page.evaluate((input) => globalThis.benchPki.run(input), {
        keyPem: key,
        certPem: cert,
        algorithm,
        iterations: o.iterations,
        warmup: o.warmup,
      });
      result[algorithm] = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
    }
    if (o.traceDir) {
      // A V8 CPU profile (DevTools protocol) of the unminified bundle running the same rounds.
      await page.goto(`${o.url}/__bench/pki/debug.html`, { timeout: 30000 });
      await page.waitForFunction(() => globalThis.benchPki !== undefined, undefined, {
        timeout: 30000,
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      for (const algorithm of ['ECDSA', 'RSA']) {
        const { key, cert } = o.pairs[algorithm];
        await cdp.send('Profiler.start');
        await page.evaluate((input) => globalThis.benchPki.run(input), {
          keyPem: key,
          certPem: cert,
          algorithm,
          iterations: o.iterations,
          warmup: o.warmup,
        });
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(
          join(o.traceDir, `validation-${algorithm}.cpuprofile`),
          JSON.stringify(profile),
        );
      }
    }
    await context.close();
    return result;
  } finally {
    await browser.close();
  }
}

module.exports = { benchValidation };
