#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: builds what it needs (in bench/.out), runs every benchmark against its floor in
 * the same run, prints the table and writes it to BENCHMARKS.md with the machine it ran on.
 *
 *   node bench/run.js [--quick] [--skip-build] [--trace] [--no-write] [--only=bundle,tab,validation,api,generate]
 *
 * --quick       few iterations and 3 s API runs (for developing; not for the record)
 * --skip-build  reuse bench/.out from the last run
 * --trace       also write profiles to bench/results: a Chromium trace of each page load and a
 *               V8 CPU profile (--cpu-prof) of the embedded server over the whole run
 * --no-write    print the table only
 *
 * Environment (diagnostics only; the run says when they were used):
 *   BENCH_PATCH=touch,cert-cache   try the proposed server fixes without editing server/src
 *                                  (see bench/lib/serve-app.js)
 *   BENCH_DATA_PARENT=/dev/shm     put the server's data directory (SQLite) there instead of os.tmpdir()
 */
const {
  mkdtempSync,
  mkdirSync,
  rmSync,
  writeFileSync,
  readFileSync,
  existsSync,
} = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, OUT, startNode, login, post, sleep } = require('./lib/common');
const build = require('./lib/build');
const { analyse } = require('./lib/bundle');
const { benchTab } = require('./lib/tab');
const { benchValidation } = require('./lib/validation');
const { benchGenerate, opensslPair } = require('./lib/generate');
const { benchApi } = require('./lib/api');
const { renderMarkdown, renderTable, rows } = require('./lib/report');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const only = (argv.find((a) => a.startsWith('--only=')) ?? '').slice(7).split(',').filter(Boolean);
const wants = (name) => only.length === 0 || only.includes(name);
const quick = flag('quick');
const trace = flag('trace');

const PLAN = quick
  ? {
      tab: { iterations: 3, warmup: 1, reloads: { iterations: 3, warmup: 2 } },
      validation: { iterations: 10, warmup: 3 },
      generate: { RSA: 3, ECDSA: 5 },
      apiSeconds: 3,
      apiRounds: 1,
    }
  : {
      tab: { iterations: 9, warmup: 2, reloads: { iterations: 9, warmup: 2 } },
      validation: { iterations: 40, warmup: 10 },
      generate: { RSA: 25, ECDSA: 25 },
      apiSeconds: 10,
      apiRounds: 3,
    };

const log = (...a) => console.error('[bench]', ...a);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function machine() {
  const cpus = os.cpus();
  let openssl;
  try {
    openssl = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    openssl = 'unknown';
  }
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    openssl,
  };
}

async function main() {
  const started = Date.now();
  const results = {
    machine: machine(),
    loadBefore: load(),
    plan: PLAN,
    quick,
    date: new Date().toISOString(),
    patches: process.env.BENCH_PATCH || '',
    dataParent: process.env.BENCH_DATA_PARENT || os.tmpdir(),
  };
  const resultsDir = join(ROOT, 'bench', 'results');
  if (trace) mkdirSync(resultsDir, { recursive: true });

  // 1. Builds (bench/.out only).
  if (!flag('skip-build') || !build.built()) {
    log('ng build (production) ...');
    const b = build.buildConsole();
    results.build = { ok: b.ok, seconds: b.seconds, budgetMessages: b.budgetMessages };
    log(
      `ng build ${b.ok ? 'ok' : 'FAILED'} in ${b.seconds.toFixed(0)} s${b.budgetMessages.length ? ': ' + b.budgetMessages.join(' | ') : ''}`,
    );
    if (!b.emitted) {
      console.error(b.output);
      // A budget error emits nothing: the bench cannot serve or size what was not written.
      throw new Error(
        b.budgetMessages.some((m) => /ERROR/.test(m))
          ? `ng build failed its budgets (angular.json): ${b.budgetMessages.filter((m) => /ERROR/.test(m)).join(' | ')}`
          : 'the console did not build',
      );
    }
    log('baseline page, framework floor, server (tsc), pki page ...');
    build.buildBenchPage('baseline');
    build.buildBenchPage('framework-floor');
    build.buildServer();
    await build.buildPkiPage();
    // The server makes brotli/gzip copies of the console's files in the background when it starts
    // (server/src/http/precompress.ts); made here first, so that no sample competes with that work.
    await build.precompress();
  } else {
    results.build = { ok: true, skipped: true, budgetMessages: [] };
  }

  // 2. Bundle sizes.
  const bundle = analyse(build.DIST);
  const baselineJs = analyseBaseline();
  results.bundle = { ...bundle, baselineJs };

  // 3. Key material, a data directory, the embedded server.
  const tmp = mkdtempSync(join(results.dataParent, 'joc-bench-'));
  const servers = [];
  try {
    log('OpenSSL pairs for the stored key and the validation ...');
    const pairs = {
      RSA: await opensslPair('RSA', tmp, 'rsa'),
      ECDSA: await opensslPair('ECDSA', tmp, 'ec'),
    };
    const app = await startNode(join(ROOT, 'bench', 'lib', 'serve-app.js'), {
      env: { JOC_DATA_DIR: join(tmp, 'data'), BENCH_STATIC_DIR: build.BROWSER },
      // No Node flags: the server runs as `npm start` runs it (node dist-server/server/src/server.js).
      nodeArgs: trace
        ? ['--cpu-prof', '--cpu-prof-dir', resultsDir, '--cpu-prof-name', 'server.cpuprofile']
        : [],
    });
    servers.push(app);
    const token = await login(app.url);
    const stored = await post(
      app.url,
      '/profile/key/store',
      { keys: { privateKey: pairs.RSA.key, certificate: pairs.RSA.cert, keyAlgorithm: 'RSA' } },
      token,
    );
    if (stored.status !== 200)
      throw new Error(`storing the pair failed: ${stored.status} ${stored.text}`);
    results.serverRssIdleMb = readRss(app.pid);

    if (wants('tab')) {
      log('tab usable, login page, blank page, framework floor (Chromium) ...');
      results.tab = await benchTab({
        url: app.url,
        token,
        account: 'root',
        ...PLAN.tab,
        traceDir: trace ? resultsDir : undefined,
      });
    }
    if (wants('validation')) {
      log('live validation (Chromium) ...');
      results.validation = await benchValidation({
        url: app.url,
        pairs,
        ...PLAN.validation,
        traceDir: trace ? resultsDir : undefined,
      });
    }
    if (wants('api')) {
      log(
        `API: autocannon 50 connections × ${PLAN.apiSeconds} s, bare Fastify then the server, ${PLAN.apiRounds} rounds ...`,
      );
      const shown = await post(app.url, '/profile/key', {}, token);
      const bodyFile = join(tmp, 'profile-key.json');
      writeFileSync(bodyFile, shown.text);
      const bare = await startNode(join(ROOT, 'bench', 'lib', 'serve-bare.js'), {
        env: { BENCH_BODY_FILE: bodyFile },
        nodeArgs: trace
          ? ['--cpu-prof', '--cpu-prof-dir', resultsDir, '--cpu-prof-name', 'bare.cpuprofile']
          : [],
      });
      servers.push(bare);
      results.rssBeforeApiMb = readRss(app.pid);
      results.api = await benchApi({
        appUrl: app.url,
        appPid: app.pid,
        bareUrl: bare.url,
        barePid: bare.pid,
        token,
        seconds: PLAN.apiSeconds,
        connections: 50,
        rounds: PLAN.apiRounds,
      });
      results.api.bodyBytes = shown.text.length;
      await bare.stop();
    }
    if (wants('generate')) {
      log('generation: server vs openssl, alternately ...');
      results.generate = await benchGenerate({
        url: app.url,
        token,
        dir: tmp,
        iterations: PLAN.generate,
        deadlineMs: quick ? 60000 : 180000,
      });
    }
  } finally {
    for (const s of servers.reverse()) await s.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  results.loadAfter = load();
  results.seconds = (Date.now() - started) / 1000;

  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  console.log(renderTable(rows(results)));
  if (!flag('no-write')) {
    const file = join(ROOT, 'BENCHMARKS.md');
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(file, renderMarkdown(results, previous));
    log('wrote BENCHMARKS.md');
  }
  log(
    `done in ${results.seconds.toFixed(0)} s (load before ${results.loadBefore}, after ${results.loadAfter})`,
  );
  // The gzip bundle targets are enforced here (Angular's budgets measure raw bytes, and cannot
  // name the tab's shared lazy chunk): the command fails when one is missed.
  const bundleFailures = rows(results).filter(
    (row) => row.name.startsWith('Bundle') && row.result !== 'pass' && row.result !== 'info',
  );
  if (bundleFailures.length) {
    log(
      `bundle targets missed (gzip): ${bundleFailures.map((row) => `${row.name} = ${row.median} kB, target ${row.target}`).join('; ')}`,
    );
    process.exitCode = 1;
  }
  await sleep(0);
}

/** The blank baseline page's JavaScript (all of it is initial). */
function analyseBaseline() {
  const { readdirSync } = require('node:fs');
  const { gzipSync } = require('node:zlib');
  const dir = join(OUT, 'baseline', 'browser');
  if (!existsSync(dir)) return undefined;
  let raw = 0;
  let gzip = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const bytes = readFileSync(join(dir, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 6 }).length;
  }
  return { raw, gzip };
}

function readRss(pid) {
  return require('./lib/common').rssMb(pid);
}

main().catch((error) => {
  console.error('[bench] failed:', error);
  process.exit(1);
});
