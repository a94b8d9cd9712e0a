'use strict';
/**
 * Bundle sizes of the production build from its esbuild metafile (stats.json), gzip measured
 * here with zlib at level 6 (gzip's and most servers' default), not Angular's estimate (brotli).
 *   initial  main.js and every chunk it imports statically (what every first screen loads)
 *   tab      the profile-routes chunk and the chunks it imports statically, minus the initial ones:
 *            what opening the Profile page / Signature Key Management tab downloads, asn1js
 *            included
 *   language the English catalog and the ICU formatter: dynamic imports of the initial code that
 *            every first screen waits for, reported beside the initial bundle
 *   onDemand chunks the tab loads only on demand (dynamic import: the dialogs, pkijs for signature
 *            checks and generation, node-forge for encrypted keys and PKCS#12), reported beside the tab
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

function analyse(distDir) {
  const meta = JSON.parse(readFileSync(join(distDir, 'stats.json'), 'utf8'));
  const outputs = meta.outputs;
  const browser = join(distDir, 'browser');
  const size = (file) => {
    const bytes = readFileSync(join(browser, file));
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
  };
  const staticClosure = (start) => {
    const seen = new Set();
    const visit = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imp of outputs[file]?.imports ?? [])
        if (imp.kind === 'import-statement' && imp.path.endsWith('.js')) visit(imp.path);
    };
    visit(start);
    return seen;
  };
  const entry = (test) =>
    Object.keys(outputs).find(
      (file) => file.endsWith('.js') && test(outputs[file].entryPoint ?? ''),
    );
  const main = entry((ep) => ep === 'src/main.ts');
  const profile = entry((ep) => ep.endsWith('profile/profile-routes.ts'));
  if (!main || !profile)
    throw new Error('stats.json: the main or the profile-routes chunk was not found');
  const initial = staticClosure(main);
  const tab = [...staticClosure(profile)].filter((f) => !initial.has(f));
  const onDemand = new Set();
  for (const file of [profile, ...tab]) {
    for (const imp of outputs[file]?.imports ?? []) {
      if (imp.kind === 'dynamic-import')
        for (const f of staticClosure(imp.path))
          if (!initial.has(f) && !tab.includes(f)) onDemand.add(f);
    }
  }
  const language = new Set();
  for (const file of initial)
    for (const imp of outputs[file]?.imports ?? []) {
      const inputs = Object.keys(outputs[imp.path]?.inputs ?? {});
      const needed = inputs.some(
        (i) => i.startsWith('src/i18n/en/') || i.includes('node_modules/intl-messageformat/'),
      );
      if (imp.kind === 'dynamic-import' && needed)
        for (const f of staticClosure(imp.path)) if (!initial.has(f)) language.add(f);
    }
  const css = Object.keys(outputs).filter((f) => /styles-[^/]*\.css$/.test(f));
  const total = (files) => {
    const parts = [...files].map((file) => ({
      file,
      entryPoint: outputs[file].entryPoint,
      ...size(file),
    }));
    return {
      files: parts,
      raw: parts.reduce((s, p) => s + p.raw, 0),
      gzip: parts.reduce((s, p) => s + p.gzip, 0),
    };
  };
  return {
    initial: total(initial),
    tab: total(tab),
    language: total(language),
    onDemand: total(onDemand),
    css: total(css),
    profileChunk: total([profile]),
  };
}

module.exports = { analyse };

if (require.main === module) {
  const r = analyse(process.argv[2] ?? join(__dirname, '..', '.out', 'dist'));
  for (const [k, v] of Object.entries(r)) {
    console.log(
      `${k.padEnd(12)} raw ${(v.raw / 1000).toFixed(1).padStart(7)} kB  gzip ${(v.gzip / 1000).toFixed(1).padStart(6)} kB  ${v.files.map((f) => f.file).join(' ')}`,
    );
  }
}
