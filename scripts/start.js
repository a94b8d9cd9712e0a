#!/usr/bin/env node
/**
 * `npm start`: builds what is missing or older than its sources (the console with `ng build`,
 * the server with `tsc`), then serves both on http://localhost:4446 (PORT, HOST, JOC_DATA_DIR).
 * With JOC_URL it serves the console against that JOC Cockpit instead of the embedded server.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Newest modification time of the files below these paths (0 when none). */
function newest(paths) {
  let t = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else if (!/\.(spec|test)\.ts$/.test(p)) t = Math.max(t, s.mtimeMs);
  };
  paths.forEach((p) => walk(join(root, p)));
  return t;
}

function buildIfStale(name, output, sources, cmd, args) {
  const out = join(root, output);
  if (existsSync(out) && statSync(out).mtimeMs >= newest(sources)) return;
  console.log(`building the ${name} ...`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
  });
  if (r.status !== 0) {
    console.error(`npm start: building the ${name} failed`);
    process.exit(1);
  }
}

buildIfStale(
  'console',
  'dist/joc-keys/browser/index.html',
  ['src', 'public', 'angular.json', 'package-lock.json'],
  bin('ng'),
  ['build'],
);
buildIfStale(
  'server',
  'dist-server/server/src/server.js',
  ['server/src', 'src/pki', 'src/contract', 'server/tsconfig.json'],
  bin('tsc'),
  ['-p', 'server/tsconfig.json'],
);
require(join(root, 'dist-server/server/src/server.js'));
