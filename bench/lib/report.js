'use strict';
/**
 * The results as one table (median, min, max, the floor measured in the same run, the ratio,
 * the target and pass/fail), printed and written into BENCHMARKS.md between two markers; the
 * hand-written analysis around the markers is kept.
 */
const BEGIN = '<!-- bench:begin (written by npm run bench) -->';
const END = '<!-- bench:end -->';

const kB = (b) => (b / 1000).toFixed(1);
const f1 = (x) =>
  x === undefined || Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1);
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));
const verdict = (ok) => (ok ? 'pass' : '**FAIL**');

function rows(r) {
  const out = [];
  const add = (row) => out.push(row);
  const b = r.bundle;
  if (b) {
    const base = b.baselineJs;
    add({
      name: 'Bundle: initial JS (what every first screen needs: router, session restore, language), gzip',
      unit: 'kB',
      median: kB(b.initial.gzip),
      min: '',
      max: '',
      floor: base ? `${kB(base.gzip)} (blank Material page)` : '–',
      ratio: base ? f2(b.initial.gzip / base.gzip) : '–',
      target: '≤ 100 kB',
      result: verdict(b.initial.gzip <= 100000),
    });
    if (b.language)
      add({
        name: 'Bundle: language catalog (English) and ICU formatter, loaded with the first screen, gzip',
        unit: 'kB',
        median: kB(b.language.gzip),
        min: '',
        max: '',
        floor: '–',
        ratio: '–',
        target: '(info)',
        result: 'info',
      });
    add({
      name: 'Bundle: Signature tab lazy chunks (asn1js and the certificate reader included), gzip',
      unit: 'kB',
      median: kB(b.tab.gzip),
      min: '',
      max: '',
      floor: '–',
      ratio: '–',
      target: '≤ 80 kB',
      result: verdict(b.tab.gzip <= 80000),
    });
    add({
      name: 'Bundle: on demand from the tab (dialogs; pkijs for signature checks and generation; node-forge for encrypted keys and PKCS#12), gzip',
      unit: 'kB',
      median: kB(b.onDemand.gzip),
      min: '',
      max: '',
      floor: '–',
      ratio: '–',
      target: '(info)',
      result: 'info',
    });
  }
  /** A page-load row against a blank-page floor; with `limit`, a target on the ratio. */
  const timed = (t, name, base, floorName, limit) => {
    if (!t?.n && limit === undefined) return;
    const ratio = t.median / base.median;
    add({
      name,
      unit: 'ms',
      median: f1(t.median),
      min: f1(t.min),
      max: f1(t.max),
      floor: `${f1(base.median)} (${floorName}; ${f1(base.min)}–${f1(base.max)})`,
      ratio: f2(ratio),
      target: limit === undefined ? '(info)' : `ratio ≤ ${limit.toFixed(1)}`,
      result: limit === undefined ? 'info' : verdict(ratio <= limit),
    });
  };
  if (r.tab) {
    const cold = (t, name, limit) => timed(t, name, r.tab.baseline, 'blank Material page', limit);
    cold(
      r.tab.usable,
      'Tab usable: reload of /profile/signature-keys in a fresh browser context (cold caches) → the key row drawn with its actions enabled (Show present, not disabled) (Chromium)',
      2.0,
    );
    cold(
      r.tab.login,
      "Login page ready: /login → its Log in button present and enabled (the console's shell and one lazy chunk, no API call) (Chromium)",
      1.5,
    );
    // For information: when the row's status is in the DOM, before its actions are usable.
    cold(r.tab.drawn, "Tab drawn: /profile/signature-keys → the key row's status text (Chromium)");
    // For information: the same marks on pages of Angular's router, Material and HttpClient alone.
    cold(
      r.tab.floorRow,
      'Framework floor, row: Angular router + Material + HttpClient alone, a row with three icon buttons from one POST /profile/key → Show enabled (bench/framework-floor) (Chromium)',
    );
    cold(
      r.tab.floorLogin,
      'Framework floor, login form: two Material form fields under reactive forms and a Material button → the button enabled (bench/framework-floor) (Chromium)',
    );
  }
  if (r.tab?.reload) {
    // For information: a person's reload (the files in the browser's cache, their compiled code in
    // Chromium's code cache), against the blank page reloaded the same way.
    const { tab, login, baseline } = r.tab.reload;
    const floorName = 'blank Material page reloaded';
    timed(
      tab,
      'Tab usable, reloaded with warm caches: the same mark (Chromium)',
      baseline,
      floorName,
    );
    timed(
      login,
      'Login page ready, reloaded with warm caches: the same mark (Chromium)',
      baseline,
      floorName,
    );
  }
  if (r.validation) {
    for (const [alg, limit] of [
      ['RSA', 20],
      ['ECDSA', 5],
    ]) {
      const v = r.validation[alg];
      const label = alg === 'RSA' ? 'RSA-4096' : 'ECDSA P-256';
      const floor = v.floor.median;
      for (const [key, what] of [
        ['pair', 'readPrivateKey + readCertificate + keyMatchesCertificate'],
        ['check', 'checkSigningPair'],
        ['dialog', 'Update dialog keystroke in the key field (validator + analyse())'],
      ]) {
        add({
          name: `Validation ${label}: ${what} (Chromium)`,
          unit: 'ms',
          median: f2(v[key].median),
          min: f2(v[key].min),
          max: f2(v[key].max),
          floor: `${f2(floor)} (WebCrypto importKey)`,
          ratio: f1(v[key].median / floor),
          target: `median ≤ ${limit} ms`,
          result: verdict(v[key].median <= limit),
        });
      }
    }
  }
  if (r.generate) {
    for (const alg of ['RSA', 'ECDSA']) {
      const g = r.generate[alg];
      if (!g) continue;
      const ratio = g.server.median / g.openssl.median;
      add({
        name: `Generation ${alg === 'RSA' ? 'RSA-4096' : 'ECDSA P-256'}: /profile/key/generate (n=${g.server.n})`,
        unit: 'ms',
        median: f1(g.server.median),
        min: f1(g.server.min),
        max: f1(g.server.max),
        floor: `${f1(g.openssl.median)} (openssl genpkey + req -x509; ${f1(g.openssl.min)}–${f1(g.openssl.max)})`,
        ratio: f2(ratio),
        target: 'ratio ≤ 1.2',
        result: verdict(ratio <= 1.2),
      });
    }
  }
  if (r.api) {
    const a = r.api;
    const ratio = a.ratio ?? a.app.rps / a.bare.rps;
    const rounds = a.rounds ?? 1;
    add({
      name: `API /profile/key: requests/s, 50 connections × ${r.plan.apiSeconds} s${rounds > 1 ? `, ${rounds} rounds alternating with the floor (ratio: median of the rounds' ratios)` : ''}`,
      unit: 'req/s',
      median: f1(a.app.rps),
      min: a.app.rpsMin === undefined ? '' : f1(a.app.rpsMin),
      max: a.app.rpsMax === undefined ? '' : f1(a.app.rpsMax),
      floor: `${f1(a.bare.rps)} (bare Fastify, same JSON${a.bare.rpsMin === undefined ? '' : `; ${f1(a.bare.rpsMin)}–${f1(a.bare.rpsMax)}`})`,
      ratio: f2(ratio),
      target: 'ratio ≥ 0.50',
      result: verdict(ratio >= 0.5 && a.app.non2xx === 0 && a.app.errors === 0),
    });
    if (a.app.cpuUsPerRequest !== undefined) {
      add({
        name: 'API /profile/key: server CPU time per request (user + system)',
        unit: 'µs',
        median: f1(a.app.cpuUsPerRequest),
        min: '',
        max: '',
        floor: `${f1(a.bare.cpuUsPerRequest)} (bare Fastify)`,
        ratio: f2(a.app.cpuUsPerRequest / a.bare.cpuUsPerRequest),
        target: '(info)',
        result: 'info',
      });
    }
    add({
      name: 'API /profile/key: latency p99, 50 connections',
      unit: 'ms',
      median: f1(a.app.p99),
      min: '',
      max: f1(a.app.p99Max ?? a.app.max),
      floor: `${f1(a.bare.p99)} (bare Fastify p99)`,
      ratio: f2(a.app.p99 / a.bare.p99),
      target: 'p99 ≤ 20 ms',
      result: verdict(a.app.p99 <= 20 && (a.app.p99Max ?? 0) <= 20),
    });
    add({
      name: 'API: server resident memory (VmRSS max during the run)',
      unit: 'MB',
      median: f1(a.rssMaxMb),
      min: '',
      max: '',
      floor: a.bareRssMaxMb
        ? `${f1(a.bareRssMaxMb)} (bare Fastify, its run); server idle ${f1(r.serverRssIdleMb)}`
        : '–',
      ratio: a.bareRssMaxMb ? f2(a.rssMaxMb / a.bareRssMaxMb) : '–',
      target: '≤ 150 MB',
      result: verdict(a.rssMaxMb <= 150),
    });
  }
  return out;
}

const HEAD = [
  'benchmark',
  'unit',
  'median',
  'min',
  'max',
  'floor (same run)',
  'ratio',
  'target',
  'result',
];
const cells = (row) => [
  row.name,
  row.unit,
  row.median,
  row.min,
  row.max,
  row.floor,
  row.ratio,
  row.target,
  row.result,
];

function renderTable(list) {
  const all = [HEAD, ...list.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  return all.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}

function markdownTable(list) {
  const line = (c) => `| ${c.join(' | ')} |`;
  return [line(HEAD), line(HEAD.map(() => '---')), ...list.map((row) => line(cells(row)))].join(
    '\n',
  );
}

function detail(r) {
  const lines = [];
  const b = r.bundle;
  if (b) {
    const list = (t) => t.files.map((f) => `\`${f.file}\` ${kB(f.raw)}/${kB(f.gzip)}`).join(', ');
    lines.push(
      `- Bundle files (raw/gzip kB, gzip = zlib level 6): initial ${kB(b.initial.raw)}/${kB(b.initial.gzip)} = ${list(b.initial)}; ` +
        `tab ${kB(b.tab.raw)}/${kB(b.tab.gzip)} = ${list(b.tab)}; on demand ${list(b.onDemand)}; global CSS ${kB(b.css.raw)}/${kB(b.css.gzip)}. ` +
        `gzip/raw ratio: initial ${f2(b.initial.gzip / b.initial.raw)}, tab ${f2(b.tab.gzip / b.tab.raw)}.`,
    );
  }
  if (r.build) {
    lines.push(
      `- \`ng build\`: ${r.build.skipped ? 'skipped (--skip-build)' : `${r.build.ok ? 'ok' : 'FAILED'} in ${f1(r.build.seconds)} s`}` +
        `${r.build.budgetMessages?.length ? `; budget messages: ${r.build.budgetMessages.map((m) => `“${m}”`).join('; ')}` : '; no budget warnings'}.`,
    );
  }
  if (r.tab) {
    lines.push(
      `- Tab: status text seen: “${r.tab.statusText}”; ${r.tab.usable.n} samples each, fresh browser context per sample, pages alternating (tab, login page, blank page, framework floor row and login form); each page says when its marks hold with a console message (no Playwright script in the page before).${r.tab.reload ? ` Reloads: ${r.tab.reload.tab.n} per page (tab, login page, blank page), each page in its own context after a first load and ${r.plan?.tab?.reloads?.warmup ?? 0} unrecorded reloads, alternating.` : ''}`,
    );
    const fall = (list) =>
      list
        .map((e) => `${e.name.replace(/-[A-Z0-9]{8}\.js$/, '.js')} ${e.start}→${e.end}`)
        .join(', ');
    if (r.tab.waterfall) {
      lines.push(
        `- Tab waterfall of the last tab sample (ms from navigation start, resource start→end; the marks (drawn) and (usable) in place): ${fall(r.tab.waterfall.tab)}.`,
      );
      lines.push(`- Baseline waterfall: ${fall(r.tab.waterfall.baseline)}.`);
    }
  }
  if (r.validation)
    lines.push(
      `- Validation: ${r.plan.validation.iterations} timed rounds after ${r.plan.validation.warmup} warm-up rounds per variant, in one page.`,
    );
  if (r.api) {
    const a = r.api;
    lines.push(
      `- API: server ${a.app.requests} requests (p50 ${f1(a.app.p50)} ms, non-2xx ${a.app.non2xx}, errors ${a.app.errors}, timeouts ${a.app.timeouts}); ` +
        `bare ${a.bare.requests} requests (p50 ${f1(a.bare.p50)} ms); answer ${a.bodyBytes} bytes; ${a.rssSamples} VmRSS samples; server RSS when the API phase began ${f1(r.rssBeforeApiMb)} MB.`,
    );
    if (a.runs) {
      lines.push(
        `- API rounds (bare → server, req/s, ratio, server CPU µs per request bare/server, p99 ms): ` +
          a.runs
            .map(
              (run, i) =>
                `${i + 1}: ${f1(run.bare.rps)} → ${f1(run.app.rps)} = ${f2(run.ratio)}, ${f1(run.bare.cpuUsPerRequest)}/${f1(run.app.cpuUsPerRequest)} µs, p99 ${f1(run.app.p99)}`,
            )
            .join('; ') +
          '.',
      );
    }
  }
  return lines.join('\n');
}

function renderMarkdown(r, previous) {
  const m = r.machine;
  const block = [
    BEGIN,
    `## Latest run${r.quick ? ' (--quick: few iterations, not for the record)' : ''}${r.patches ? ` (DIAGNOSTIC: server patched with BENCH_PATCH=${r.patches})` : ''}`,
    '',
    `${r.date} · ${m.cpu} · ${m.memory} · ${m.os} · Node ${m.node} · ${m.openssl} · ` +
      `load average (1/5/15 min) before ${r.loadBefore}, after ${r.loadAfter} · ${f1(r.seconds)} s · server data in ${r.dataParent}`,
    '',
    markdownTable(rows(r)),
    '',
    detail(r),
    END,
  ].join('\n');
  if (previous.includes(BEGIN) && previous.includes(END)) {
    return (
      previous.slice(0, previous.indexOf(BEGIN)) +
      block +
      previous.slice(previous.indexOf(END) + END.length)
    );
  }
  return `# Benchmarks\n\nRun with \`npm run bench\` (see bench/run.js).\n\n${block}\n`;
}

module.exports = { rows, renderTable, renderMarkdown };
