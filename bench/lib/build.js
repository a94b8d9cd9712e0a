'use strict';
/**
 * Builds everything the benchmarks need, inside bench/.out (never touching dist/ or dist-server/,
 * which other people's servers and tests use):
 *   - the console, production `ng build` (budgets of angular.json apply) with a stats file;
 *   - the blank Angular Material baseline page and the framework floor pages (bench/baseline,
 *     bench/framework-floor: their own tiny workspaces);
 *   - the server, `tsc -p server/tsconfig.json` into bench/.out/server;
 *   - the PKI page for the validation benchmark (src/pki bundled by esbuild).
 * The baseline, the framework floor and the PKI page are copied under <console>/__bench/ so that
 * one server process serves them all the same way.
 */
const { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { ROOT, OUT, run } = require('./common');

const NG = join(ROOT, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');
const DIST = join(OUT, 'dist');
const BROWSER = join(DIST, 'browser');

/** Whether the console is built. */
function built() {
  return existsSync(join(BROWSER, 'index.html'));
}

/** Production build of the console; returns {ok, seconds, budgetMessages, output}. */
function buildConsole() {
  rmSync(DIST, { recursive: true, force: true });
  const t0 = Date.now();
  const r = run(
    process.execPath,
    [NG, 'build', '--output-path', DIST, '--stats-json', '--progress=false'],
    { quiet: true },
  );
  const seconds = (Date.now() - t0) / 1000;
  // eslint-disable-next-line no-control-regex
  const plain = r.output.replace(/\x1b\[[0-9;]*m/g, '');
  const budgetMessages = plain
    .split('\n')
    .filter((line) => /budget/i.test(line))
    .map((line) => line.trim());
  return {
    ok: r.status === 0 && built(),
    emitted: built(),
    seconds,
    budgetMessages,
    output: plain,
  };
}

/**
 * One of the benchmark's own Angular pages, each its own tiny workspace: bench/<name> →
 * bench/.out/<name> → <console>/__bench/<name>, served by the same server as the console.
 *   baseline          the blank Angular Material page (the floor of the page loads)
 *   framework-floor   Angular's router, Material and HttpClient alone (information)
 */
function buildBenchPage(name) {
  const out = join(OUT, name);
  rmSync(out, { recursive: true, force: true });
  const r = run(process.execPath, [NG, 'build', '--progress=false'], {
    cwd: join(ROOT, 'bench', name),
  });
  if (r.status !== 0) throw new Error(`the ${name} page did not build`);
  cpSync(join(out, 'browser'), join(BROWSER, '__bench', name), { recursive: true });
}

/** The embedded server's tsc output, as `npm run build:server` makes it, in bench/.out/server. */
function buildServer() {
  const r = run(process.execPath, [
    join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'server/tsconfig.json',
    '--outDir',
    join(OUT, 'server'),
  ]);
  if (r.status !== 0) throw new Error('the server did not compile');
}

/** The brotli/gzip copies the server would make at startup, made now (its compiled http/precompress.ts). */
async function precompress() {
  const { precompress: run } = require(
    join(OUT, 'server', 'server', 'src', 'http', 'precompress.js'),
  );
  return run(BROWSER);
}

/** src/pki bundled for the browser (esbuild, minified, as the console ships it) behind a tiny page. */
async function buildPkiPage() {
  const esbuild = require(join(ROOT, 'node_modules', 'esbuild'));
  const dir = join(BROWSER, '__bench', 'pki');
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(ROOT, 'bench', 'lib', 'pki-page.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'pki.js'),
    logLevel: 'error',
  });
  // The same, unminified, for readable CPU profiles (--trace).
  await esbuild.build({
    entryPoints: [join(ROOT, 'bench', 'lib', 'pki-page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'pki-debug.js'),
    logLevel: 'error',
  });
  // No inline script: the server's CSP allows scripts from 'self' only.
  const page = (script) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pki</title><script src="${script}"></script></head><body></body></html>\n`;
  writeFileSync(join(dir, 'index.html'), page('pki.js'));
  writeFileSync(join(dir, 'debug.html'), page('pki-debug.js'));
}

module.exports = {
  precompress,
  built,
  DIST,
  BROWSER,
  buildConsole,
  buildBenchPage,
  buildServer,
  buildPkiPage,
};
