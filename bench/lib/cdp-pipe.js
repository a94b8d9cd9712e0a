'use strict';
/**
 * Debian's Chromium driven over its DevTools pipe (`--remote-debugging-pipe`) with only the calls
 * a page-load sample needs, for the page-load benchmarks. Playwright turns on the Network domain
 * of every page it opens (for its request events), so the browser process reports each request and
 * response to the driver while the page loads, on the same 2 cores: that work grows with the
 * number of files a page loads, which is not what a person's browser does. Here no domain is
 * enabled but Page (for the scripts that run before the page's own) and Runtime (for the page's
 * console message that its marks hold).
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { CHROMIUM, CHROMIUM_ARGS } = require('../../scripts/chromium');

/** Starts Chromium with a fresh profile; resolves to {send, on, close}. */
async function launchPipe() {
  const profile = mkdtempSync(join(tmpdir(), 'joc-bench-chromium-'));
  const child = spawn(
    process.env.CHROMIUM_PATH || CHROMIUM,
    [...CHROMIUM_ARGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
    // fd 3: what Chromium reads (commands); fd 4: what it writes (answers and events).
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true },
  );
  const commands = child.stdio[3];
  const messages = child.stdio[4];
  let lastId = 0;
  let pending = '';
  const waiting = new Map();
  const listeners = new Set();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  messages.on('data', (data) => {
    pending += data.toString('utf8');
    for (let end = pending.indexOf('\0'); end >= 0; end = pending.indexOf('\0')) {
      const message = JSON.parse(pending.slice(0, end));
      pending = pending.slice(end + 1);
      const call = message.id !== undefined && waiting.get(message.id);
      if (call) {
        waiting.delete(message.id);
        if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
        else call.resolve(message.result);
      } else for (const listener of listeners) listener(message);
    }
  });
  child.once('exit', () => {
    for (const call of waiting.values()) call.reject(new Error(`Chromium exited (${call.method})`));
    waiting.clear();
  });
  /** A protocol call; `sessionId` addresses a page attached with Target.attachToTarget. */
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, { method, resolve, reject });
      commands.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  const on = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const close = async () => {
    await Promise.race([send('Browser.close').catch(() => {}), exited]);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      send('Browser.getVersion'),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('Chromium did not answer in 60 s')), 60000),
      ),
    ]);
  } catch (error) {
    await close();
    throw error;
  }
  return { send, on, close };
}

/**
 * A page in a new browser context (its own HTTP cache and storage), with `scripts` run before the
 * page's own in every document it loads. `load(action)` starts a navigation (`{url}`) or a reload
 * (`{reload: true}`: the context's cache kept, as a person's reload) and ends when the page writes
 * the console message `done` (or fails after `timeoutMs`); then `expression` is evaluated in the
 * page and its value returned. With `profileFile`, a V8 CPU profile of the load is written there.
 */
async function openPage(browser, { scripts, done, timeoutMs = 30000 }) {
  const { browserContextId } = await browser.send('Target.createBrowserContext', {
    disposeOnDetach: true,
  });
  const close = () =>
    browser.send('Target.disposeBrowserContext', { browserContextId }).catch(() => {});
  try {
    const { targetId } = await browser.send('Target.createTarget', {
      url: 'about:blank',
      browserContextId,
    });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    const send = (method, params) => browser.send(method, params, sessionId);
    await send('Page.enable');
    for (const source of scripts) await send('Page.addScriptToEvaluateOnNewDocument', { source });
    await send('Runtime.enable');
    const load = async ({ url, reload, expression, profileFile }) => {
      const what = url ?? 'reload';
      if (profileFile) {
        await send('Profiler.enable');
        await send('Profiler.setSamplingInterval', { interval: 200 });
        await send('Profiler.start');
      }
      let stop;
      let timer;
      const said = new Promise((resolve, reject) => {
        stop = browser.on((m) => {
          if (
            m.sessionId === sessionId &&
            m.method === 'Runtime.consoleAPICalled' &&
            m.params.args?.[0]?.value === done
          )
            resolve();
        });
        timer = setTimeout(
          () => reject(new Error(`${what}: not done in ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        if (reload) await send('Page.reload');
        else await send('Page.navigate', { url });
        await said;
      } finally {
        stop();
        clearTimeout(timer);
      }
      if (profileFile) {
        const { profile } = await send('Profiler.stop');
        writeFileSync(profileFile, JSON.stringify(profile));
      }
      const { result, exceptionDetails } = await send('Runtime.evaluate', {
        expression,
        returnByValue: true,
      });
      if (exceptionDetails) throw new Error(`${what}: ${exceptionDetails.text}`);
      return result.value;
    };
    return { load, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One load of `url` in a new browser context (empty cache and storage); see openPage. */
async function loadPage(browser, { url, scripts, done, expression, timeoutMs, profileFile }) {
  const page = await openPage(browser, { scripts, done, timeoutMs });
  try {
    return await page.load({ url, expression, profileFile });
  } finally {
    await page.close();
  }
}

/** Records a Chromium trace (DevTools' Performance panel reads it) of `work()` into `file`. */
async function traceTo(browser, file, work) {
  const complete = new Promise((resolve) => {
    const stop = browser.on((m) => {
      if (m.method === 'Tracing.tracingComplete') {
        stop();
        resolve(m.params.stream);
      }
    });
  });
  await browser.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame',
        'v8.execute',
        'disabled-by-default-v8.compile',
        'blink.user_timing',
        'loading',
        'toplevel',
      ],
    },
  });
  try {
    await work();
  } finally {
    await browser.send('Tracing.end');
  }
  const stream = await complete;
  const parts = [];
  for (;;) {
    const chunk = await browser.send('IO.read', { handle: stream });
    parts.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64') : Buffer.from(chunk.data));
    if (chunk.eof) break;
  }
  await browser.send('IO.close', { handle: stream });
  writeFileSync(file, Buffer.concat(parts));
}

module.exports = { launchPipe, loadPage, openPage, traceTo };
