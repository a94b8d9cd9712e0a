'use strict';
/** Summarises a V8 .cpuprofile: self time by function and by file (top N). node bench/lib/cpuprofile.js FILE [N] */
const { readFileSync } = require('node:fs');

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++)
  self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const agg = (key) => {
  const m = new Map();
  for (const [id, t] of self) {
    const k = key(byId.get(id).callFrame);
    m.set(k, (m.get(k) ?? 0) + t);
  }
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
};
const short = (url) => url.replace(/^.*node_modules\//, 'nm/').replace(/^.*\/work\/main\//, '');
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
console.log('-- self time by function');
for (const [k, t] of agg(
  (f) => `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`,
))
  console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('-- self time by file');
for (const [k, t] of agg((f) => short(f.url) || '(native/vm)'))
  console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
