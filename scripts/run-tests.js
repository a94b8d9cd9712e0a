#!/usr/bin/env node
/**
 * `npm test`: every suite, one after the other, then one closing line `N passed, N failed`.
 * Installs Debian's Chromium first when it is missing (the browser suites need it).
 * Exits non-zero when any test failed or any suite could not run.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const { CHROMIUM } = require('./chromium');
const env = {
  ...process.env,
  CHROME_BIN: process.env.CHROME_BIN || CHROMIUM,
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  NG_CLI_ANALYTICS: 'false',
  FORCE_COLOR: '0',
};
const bin = (name) => join(root, 'node_modules', '.bin', name);
const files = (dir, re) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((f) => re.test(f))
        .map((f) => `${dir}/${f}`)
    : [];

function ensureChromium() {
  if (existsSync(env.CHROME_BIN)) return;
  console.log(`${env.CHROME_BIN} is missing: installing Debian's chromium`);
  const sudo = process.getuid && process.getuid() === 0 ? [] : ['sudo'];
  const run = (args) =>
    spawnSync(sudo[0] || args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', 'update', '-qq']);
  const r = run(['apt-get', 'install', '-y', '-qq', 'chromium']);
  if (r.status !== 0 || !existsSync(env.CHROME_BIN))
    throw new Error('could not install chromium with apt-get');
}

/** Runs a command, streaming its output, and resolves to {code, output}. */
function run(cmd, args, timeoutSeconds) {
  return new Promise((resolve) => {
    const child = spawn('timeout', ['--kill-after=30', String(timeoutSeconds), cmd, ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const take = (stream, out) =>
      stream.on('data', (d) => {
        output += d;
        out.write(d);
      });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// eslint-disable-next-line no-control-regex -- ESC (\x1b) starts every ANSI colour sequence
const strip = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
const num = (s, re) => {
  const m = re.exec(s);
  return m ? Number(m[1]) : 0;
};

const parsers = {
  node: (o) => ({
    passed: num(o, /^ℹ pass (\d+)/m),
    failed: num(o, /^ℹ fail (\d+)/m) + num(o, /^ℹ cancelled (\d+)/m),
    skipped: num(o, /^ℹ skipped (\d+)/m),
  }),
  karma: (o) => {
    const total = o.lastIndexOf('TOTAL:') >= 0 ? o.slice(o.lastIndexOf('TOTAL:')) : '';
    return {
      passed: num(total, /(\d+) SUCCESS/),
      failed: num(total, /(\d+) FAILED/),
      skipped: num(o, /Executed \d+ of \d+[^\n]*\((\d+) skipped\)/),
    };
  },
  playwright: (o) => ({
    passed: num(o, /^\s*(\d+) passed/m) + num(o, /^\s*(\d+) flaky/m),
    failed: num(o, /^\s*(\d+) failed/m),
    skipped: num(o, /^\s*(\d+) skipped/m),
  }),
};

/**
 * What the page showed when an e2e step failed (Playwright's accessibility snapshot): a failure
 * seen only on a CI machine can then be read from its log.
 */
function printPageSnapshots() {
  const dir = join(root, 'test-results');
  if (!existsSync(dir)) return;
  for (const test of readdirSync(dir)) {
    const file = join(dir, test, 'error-context.md');
    if (!existsSync(file)) continue;
    console.log(`\n----- ${test}/error-context.md -----`);
    console.log(readFileSync(file, 'utf8'));
  }
}

async function main() {
  ensureChromium();
  const suites = [
    {
      name: 'typecheck (tsc, Node code and tests)',
      build: true,
      cmd: bin('tsc'),
      args: ['-p', 'tsconfig.node.json'],
      timeout: 600,
    },
  ];
  // Formatting and lint hold or not, like the type-check: each counts as one test.
  suites.push({
    name: 'format (prettier --check)',
    build: true,
    cmd: bin('prettier'),
    args: ['--check', '.'],
    timeout: 300,
  });
  suites.push({
    name: 'lint (eslint)',
    build: true,
    cmd: bin('eslint'),
    args: ['.', '--max-warnings=0'],
    timeout: 600,
  });
  const pki = [
    ...files('src/pki', /\.test\.ts$/),
    ...files('src/i18n', /\.test\.ts$/),
    ...files('src/icons', /\.test\.ts$/),
  ];
  const server = files('server/test', /\.test\.ts$/);
  if (pki.length)
    suites.push({
      name: 'pki, catalogs and icon font (node:test)',
      parse: 'node',
      cmd: process.execPath,
      args: ['--import', 'tsx', '--test', '--test-reporter=spec', ...pki],
      timeout: 900,
    });
  if (server.length)
    suites.push({
      name: 'server (node:test)',
      parse: 'node',
      cmd: process.execPath,
      args: ['--import', 'tsx', '--test', '--test-reporter=spec', ...server],
      timeout: 1200,
    });
  suites.push({
    name: 'console (karma)',
    parse: 'karma',
    cmd: bin('ng'),
    args: ['test'],
    timeout: 1200,
  });
  if (files('e2e', /\.spec\.ts$/).length) {
    suites.push({
      name: 'build for e2e',
      build: true,
      cmd: bin('ng'),
      args: ['build'],
      timeout: 900,
    });
    suites.push({
      name: 'e2e (playwright)',
      parse: 'playwright',
      cmd: bin('playwright'),
      args: ['test', '--reporter=list'],
      timeout: 1800,
      after: printPageSnapshots,
    });
  }
  const results = [];
  for (const suite of suites) {
    console.log(`\n===== ${suite.name} =====`);
    const started = Date.now();
    const { code, output } = await run(suite.cmd, suite.args, suite.timeout);
    if (suite.build) {
      // A build or type-check step counts as one test: it either holds or it does not.
      results.push({
        name: suite.name,
        passed: code === 0 ? 1 : 0,
        failed: code === 0 ? 0 : 1,
        skipped: 0,
        code,
        seconds: (Date.now() - started) / 1000,
      });
      continue;
    }
    const counts = parsers[suite.parse](strip(output));
    if (code !== 0) suite.after?.();
    // A suite that died without reporting a failure (crash, compile error, timeout) still failed.
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    results.push({ name: suite.name, ...counts, code, seconds: (Date.now() - started) / 1000 });
  }
  console.log('\n===== summary =====');
  for (const r of results)
    console.log(
      `${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (exit ${r.code}, ${r.seconds.toFixed(0)} s)`,
    );
  const total = results.reduce(
    (t, r) => ({
      passed: t.passed + r.passed,
      failed: t.failed + r.failed,
      skipped: t.skipped + r.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(`run-tests: ${e instanceof Error ? e.message : e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
