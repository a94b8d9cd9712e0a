'use strict';
/**
 * Tab ready, in headless Chromium against the embedded server (one process serves both pages):
 *   profile   navigation start → the key row's status text in the DOM, loading
 *             /profile/signature-keys with a logged-in session (the token in sessionStorage, as
 *             the console keeps it) and a stored key pair
 *   baseline  navigation start → the toolbar of a blank Angular Material page in the DOM
 *   login     (for reference) navigation start → the Log in button of the console's login page
 * and, for reference, the tab drawn in the browser alone (no page cookie), and the time the console
 * itself had drawn the row (the event joc-keys:drawn) where the server drew it first.
 * Each sample is a fresh browser context (empty HTTP cache), the pages alternate, and the
 * time is read inside the page (performance.now() at the mutation that inserted the element,
 * relative to the navigation's time origin), so Playwright's polling adds nothing.
 */
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { launch } = require('./browser');
const { stats } = require('./common');

/** Installed before any page script: records when `selector` first matches with text. */
function watchFor(selector) {
  const seen = () => {
    const el = document.querySelector(selector);
    if (el && el.textContent.trim()) {
      window.__benchReady = performance.now();
      return true;
    }
    return false;
  };
  const observer = new MutationObserver(() => seen() && observer.disconnect());
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  // The console (not a view drawn on the server) has drawn the row: the tab says so with this event.
  document.addEventListener('joc-keys:drawn', () => {
    window.__benchConsole ??= performance.now();
  });
}

async function sample(browser, url, selector, initScript, profileFile) {
  const context = await browser.newContext();
  try {
    if (initScript) await context.addInitScript(initScript.fn, initScript.arg);
    if (initScript?.cookies) await context.addCookies(initScript.cookies);
    await context.addInitScript(watchFor, selector);
    const page = await context.newPage();
    let cdp;
    if (profileFile) {
      cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(url, { waitUntil: 'commit', timeout: 30000 });
    await page.waitForFunction(() => window.__benchReady !== undefined, undefined, { timeout: 30000, polling: 50 });
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
    }
    const ready = await page.evaluate(() => window.__benchReady);
    // For the tab: when the console itself had drawn the row (after a view drawn on the server).
    const consoleDrawn = selector.includes('td.status')
      ? await page.waitForFunction(() => window.__benchConsole, undefined, { timeout: 30000, polling: 20 }).then((h) => h.jsonValue())
      : undefined;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return n ? { responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd } : {};
    });
    const text = await page.textContent(selector);
    // The waterfall up to ready: every resource (file or API call) with its start and end.
    const waterfall = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => ({
        name: e.name.replace(location.origin, ''),
        start: Math.round(e.startTime),
        end: Math.round(e.responseEnd),
        bytes: e.encodedBodySize,
      })),
    );
    return { ready, consoleDrawn, nav, text: text.trim().replace(/\s+/g, ' '), waterfall };
  } finally {
    await context.close();
  }
}

/**
 * @param {{url: string, token: string, account: string, iterations: number, warmup: number, traceDir?: string}} o
 */
async function benchTab(o) {
  const browser = await launch();
  try {
    // Logged in as through the console's login page: the session in sessionStorage (kept by the
    // console) and the page cookie (set by the server's login answer; it draws the tab on the server).
    const session = {
      fn: (value) => sessionStorage.setItem('joc-keys.session', value),
      arg: JSON.stringify({ token: o.token, account: o.account }),
      cookies: [{ name: 'joc-keys-page', value: o.token, url: o.url, httpOnly: true, sameSite: 'Strict' }],
    };
    const profileUrl = `${o.url}/profile/signature-keys`;
    const baselineUrl = `${o.url}/__bench/baseline/`;
    const profileSel = 'td.status .state';
    const baselineSel = 'mat-toolbar .bench-ready';
    // For reference: the console's own login page (the shell and one lazy chunk, no API call), which
    // shows what the console's architecture costs before the tab does anything.
    const loginUrl = `${o.url}/login`;
    const loginSel = 'form button[type="submit"]';
    const profile = [];
    const usable = [];
    const browserDrawn = [];
    const baseline = [];
    const loginPage = [];
    // For reference: the tab without the page cookie (a link from another site, a real JOC Cockpit):
    // drawn in the browser alone.
    const sessionOnly = { fn: session.fn, arg: session.arg };
    let statusText = '';
    let waterfall = { profile: [], baseline: [] };
    for (let i = 0; i < o.warmup + o.iterations; i++) {
      // Alternate which page goes first so neither always follows the other.
      const order = i % 2 ? ['b', 'c', 'l', 'p'] : ['p', 'l', 'c', 'b'];
      for (const which of order) {
        if (which === 'p') {
          const r = await sample(browser, profileUrl, profileSel, session);
          statusText = r.text;
          waterfall.profile = [{ name: '(navigation) response end', start: 0, end: Math.round(r.nav.responseEnd ?? 0) }, ...r.waterfall, { name: '(ready)', start: Math.round(r.ready), end: Math.round(r.ready) }];
          if (i >= o.warmup) {
            profile.push(r.ready);
            usable.push(r.consoleDrawn);
          }
        } else if (which === 'c') {
          const r = await sample(browser, profileUrl, profileSel, sessionOnly);
          if (i >= o.warmup) browserDrawn.push(r.ready);
        } else if (which === 'l') {
          const r = await sample(browser, loginUrl, loginSel);
          if (i >= o.warmup) loginPage.push(r.ready);
        } else {
          const r = await sample(browser, baselineUrl, baselineSel);
          waterfall.baseline = [{ name: '(navigation) response end', start: 0, end: Math.round(r.nav.responseEnd ?? 0) }, ...r.waterfall, { name: '(ready)', start: Math.round(r.ready), end: Math.round(r.ready) }];
          if (i >= o.warmup) baseline.push(r.ready);
        }
      }
    }
    if (o.traceDir) {
      // One traced load of each page (after the measured ones) for profiling in DevTools.
      for (const [name, url, sel, init] of [['profile', profileUrl, profileSel, session], ['baseline', baselineUrl, baselineSel]]) {
        await browser.startTracing(undefined, { path: join(o.traceDir, `tab-${name}.trace.json`), screenshots: false });
        await sample(browser, url, sel, init);
        await browser.stopTracing();
        // And a V8 CPU profile of another load (DevTools protocol), for bench/lib/cpuprofile.js.
        await sample(browser, url, sel, init, join(o.traceDir, `tab-${name}.cpuprofile`));
      }
    }
    return { profile: stats(profile), usable: stats(usable), browserDrawn: stats(browserDrawn), baseline: stats(baseline), login: stats(loginPage), statusText, waterfall };
  } finally {
    await browser.close();
  }
}

module.exports = { benchTab };
