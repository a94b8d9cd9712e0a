'use strict';
/**
 * Page loads in headless Chromium against the embedded server (one process serves every page):
 *   tab       /profile/signature-keys with a logged-in session (the token in sessionStorage
 *             `joc-keys.session`, as the console keeps it) and a stored RSA-4096 pair; two marks:
 *               drawn   navigation start → the key row's status text in the DOM (information)
 *               usable  navigation start → the key row's Show button present and enabled: a click
 *                       on it would open the dialog (the target)
 *   login     /login → its Log in button present and enabled (the target)
 *   baseline  a blank Angular Material page (bench/baseline) → its toolbar's text: the floor
 *   floorRow, floorLogin   the framework floor (bench/framework-floor: Angular's router, Material
 *             and HttpClient alone) with the tab's and the login page's marks (information)
 * Each sample is a fresh browser context (empty HTTP cache and storage: the console's first load
 * in a browser, or after an update), the pages alternate, and the times are read inside the page
 * (performance.now() in the MutationObserver callback that first sees the mark, relative to the
 * navigation's time origin). The page says when its marks hold with a console message, and only
 * then is anything evaluated in it: a driver that polls the page (Playwright's waitForFunction)
 * runs its own script on the page's main thread in the middle of the load. Chromium is driven over
 * its DevTools pipe with the Network domain off (cdp-pipe.js).
 * For information, the tab, the login page and the blank page are also reloaded as a person
 * reloads them: the same browser context, its HTTP cache and Chromium's code cache warm.
 */
const { join } = require('node:path');
const { launchPipe, loadPage, openPage, traceTo } = require('./cdp-pipe');
const { stats } = require('./common');

/*
 * The marks, as DOM selectors (not the components' files, which move): `enabled` also asks that the
 * element can be used (not disabled, not aria-disabled, not inside an inert subtree), `text` that
 * it has text. The key row is the table row holding a Show button. A sample waits for its
 * `required` marks only, so that a renamed class in an information mark cannot stall the targets.
 */
const MARKS = {
  tab: {
    usable: {
      selector: 'tr button[aria-label^="Show"], [role="row"] button[aria-label^="Show"]',
      enabled: true,
      required: true,
    },
    drawn: { selector: 'tr td.status .state, [role="row"] .status .state', text: true },
  },
  login: {
    ready: { selector: 'form button[type="submit"]', text: true, enabled: true, required: true },
  },
  baseline: { ready: { selector: 'mat-toolbar .bench-ready', text: true, required: true } },
};
MARKS.floorRow = { usable: MARKS.tab.usable };
MARKS.floorLogin = MARKS.login;

/** The console message a page writes when its required marks hold. */
const DONE = '__bench_marks_done';

/** Installed before any page script: records in window.__benchMarks when each mark first holds. */
function watchFor({ marks, done }) {
  const times = (window.__benchMarks = {});
  const required = Object.keys(marks).filter((name) => marks[name].required);
  let said = false;
  const holds = ({ selector, text, enabled }) =>
    [...document.querySelectorAll(selector)].some(
      (el) =>
        (!text || el.textContent.trim() !== '') &&
        (!enabled ||
          (!el.disabled && el.getAttribute('aria-disabled') !== 'true' && !el.closest('[inert]'))),
    );
  const check = () => {
    for (const [name, mark] of Object.entries(marks))
      if (times[name] === undefined && holds(mark)) times[name] = performance.now();
    if (!said && required.every((name) => times[name] !== undefined)) {
      said = true;
      console.debug(done);
    }
    return Object.keys(times).length === Object.keys(marks).length;
  };
  // Attributes too: a button drawn disabled becomes usable by losing an attribute.
  const observer = new MutationObserver(() => check() && observer.disconnect());
  observer.observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['disabled', 'aria-disabled', 'inert'],
  });
}

/** What a sample reads from the page once its marks hold (evaluated in the page). */
function readPage(textSelector) {
  const n = performance.getEntriesByType('navigation')[0];
  const el = textSelector && document.querySelector(textSelector);
  return {
    times: window.__benchMarks,
    nav: n ? { responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd } : {},
    text: el ? (el.textContent ?? '').trim().replace(/\s+/g, ' ') : '',
    // The waterfall: every resource (file or API call) with its start and end, to see which
    // waits on which.
    waterfall: performance.getEntriesByType('resource').map((e) => ({
      name: e.name.replace(location.origin, ''),
      start: Math.round(e.startTime),
      end: Math.round(e.responseEnd),
      bytes: e.encodedBodySize,
    })),
  };
}

const call = (fn, arg) => `(${fn})(${JSON.stringify(arg)});`;

/** What a page runs before its own scripts, and what a sample reads from it. */
function pageSetup(marks, initScript) {
  const first = Object.values(marks).find((m) => m.text);
  return {
    scripts: [
      ...(initScript ? [call(initScript.fn, initScript.arg)] : []),
      call(watchFor, { marks, done: DONE }),
    ],
    done: DONE,
    expression: call(readPage, first?.selector ?? ''),
  };
}

function marksNotSeen(url, marks, error) {
  const required = Object.keys(marks).filter((name) => marks[name].required);
  return new Error(
    `${url}: marks not seen (wanted ${required.map((name) => `${name} = ${marks[name].selector}`).join('; ')})`,
    { cause: error },
  );
}

async function sample(browser, url, marks, initScript, profileFile) {
  try {
    return await loadPage(browser, { url, ...pageSetup(marks, initScript), profileFile });
  } catch (error) {
    throw marksNotSeen(url, marks, error);
  }
}

/**
 * A person's reload: each page in its own browser context, loaded once and reloaded `warmup`
 * times unrecorded (the HTTP cache holds the files, sent `immutable`, and Chromium's code cache
 * the compiled scripts), then reloaded `iterations` times, the pages alternating.
 */
async function reloads(browser, pages, { iterations, warmup }) {
  const names = Object.keys(pages);
  const open = {};
  const times = Object.fromEntries(names.map((name) => [name, []]));
  try {
    for (const name of names) {
      const p = pages[name];
      const setup = pageSetup(p.marks, p.init);
      open[name] = { page: await openPage(browser, setup), setup, p };
      try {
        await open[name].page.load({ url: p.url, expression: setup.expression });
      } catch (error) {
        throw marksNotSeen(p.url, p.marks, error);
      }
    }
    for (let i = 0; i < warmup + iterations; i++) {
      for (const name of i % 2 ? [...names].reverse() : names) {
        const { page, setup, p } = open[name];
        const r = await page
          .load({ reload: true, expression: setup.expression })
          .catch((error) => Promise.reject(marksNotSeen(p.url, p.marks, error)));
        const required = Object.keys(p.marks).find((mark) => p.marks[mark].required);
        if (i >= warmup) times[name].push(r.times[required]);
      }
    }
  } finally {
    for (const { page } of Object.values(open)) await page.close();
  }
  return Object.fromEntries(names.map((name) => [name, stats(times[name])]));
}

/** The waterfall of a sample with its navigation and its marks, in time order of their start. */
function waterfallOf(r) {
  const marks = Object.entries(r.times).map(([name, t]) => ({
    name: `(${name})`,
    start: Math.round(t),
    end: Math.round(t),
  }));
  return [
    { name: '(navigation) response end', start: 0, end: Math.round(r.nav.responseEnd ?? 0) },
    ...r.waterfall,
    ...marks,
  ].sort((a, b) => a.start - b.start);
}

/**
 * @param {{url: string, token: string, account: string, iterations: number, warmup: number, traceDir?: string}} o
 */
async function benchTab(o) {
  const browser = await launchPipe();
  try {
    // Logged in as through the console's login page: the session in sessionStorage, where the
    // console keeps it (the token travels only as X-Access-Token).
    const session = {
      fn: (value) => sessionStorage.setItem('joc-keys.session', value),
      arg: JSON.stringify({ token: o.token, account: o.account }),
    };
    const pages = {
      tab: { url: `${o.url}/profile/signature-keys`, marks: MARKS.tab, init: session },
      login: { url: `${o.url}/login`, marks: MARKS.login },
      baseline: { url: `${o.url}/__bench/baseline/`, marks: MARKS.baseline },
      floorRow: {
        url: `${o.url}/__bench/framework-floor/#/row`,
        marks: MARKS.floorRow,
        init: session,
      },
      floorLogin: { url: `${o.url}/__bench/framework-floor/#/login`, marks: MARKS.floorLogin },
    };
    const names = Object.keys(pages);
    /** times[page][mark]: the measured samples. */
    const times = Object.fromEntries(
      names.map((name) => [
        name,
        Object.fromEntries(Object.keys(pages[name].marks).map((m) => [m, []])),
      ]),
    );
    let statusText = '';
    const waterfall = { tab: [], baseline: [] };
    for (let i = 0; i < o.warmup + o.iterations; i++) {
      // Alternate the order so that no page always follows another.
      const order = i % 2 ? [...names].reverse() : names;
      for (const which of order) {
        const p = pages[which];
        const r = await sample(browser, p.url, p.marks, p.init);
        if (which === 'tab') statusText = r.text;
        if (which in waterfall) waterfall[which] = waterfallOf(r);
        if (i < o.warmup) continue;
        for (const [mark, t] of Object.entries(r.times)) times[which][mark].push(t);
      }
    }
    // For information: the same pages reloaded as a person reloads them (warm caches).
    const reload = o.reloads
      ? await reloads(
          browser,
          { tab: pages.tab, login: pages.login, baseline: pages.baseline },
          o.reloads,
        )
      : undefined;
    if (o.traceDir) {
      // One traced load of the tab and of the floor (after the measured ones) for DevTools, and a
      // V8 CPU profile of another load of each (DevTools protocol), for bench/lib/cpuprofile.js.
      for (const name of ['tab', 'baseline']) {
        const p = pages[name];
        await traceTo(browser, join(o.traceDir, `tab-${name}.trace.json`), () =>
          sample(browser, p.url, p.marks, p.init),
        );
        await sample(browser, p.url, p.marks, p.init, join(o.traceDir, `tab-${name}.cpuprofile`));
      }
    }
    return {
      usable: stats(times.tab.usable),
      drawn: stats(times.tab.drawn),
      login: stats(times.login.ready),
      baseline: stats(times.baseline.ready),
      floorRow: stats(times.floorRow.usable),
      floorLogin: stats(times.floorLogin.ready),
      reload,
      statusText,
      waterfall,
    };
  } finally {
    await browser.close();
  }
}

module.exports = { benchTab };
