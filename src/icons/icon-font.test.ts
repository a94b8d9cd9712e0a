/**
 * The icon font holds every icon the console's sources use, and is the file `npm run icons` made
 * for its record (e2e/icons.spec.ts draws each of them in Chromium from the served font).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allSymbolNames, usedIcons } from './used-icons';

const root = join(__dirname, '..', '..');
const record = JSON.parse(readFileSync(join(__dirname, 'icon-font.json'), 'utf8')) as {
  sha256: string;
  names: string[];
};
const font = readFileSync(join(__dirname, 'material-symbols-console.woff2'));

describe('icon font', () => {
  it('holds every icon the sources use (else: npm run icons)', () => {
    const missing = usedIcons(root).filter((name) => !record.names.includes(name));
    assert.deepEqual(missing, []);
  });

  it('is the file made for its record', () => {
    assert.equal(createHash('sha256').update(font).digest('hex'), record.sha256);
  });

  it('stays small: only the console’s own icons', () => {
    assert.ok(font.length < 20_000, `${font.length} bytes`);
  });

  it('finds icons in templates and in code, and only names of the font', () => {
    const used = usedIcons(root);
    for (const name of ['visibility', 'delete', 'check_circle', 'gpp_maybe', 'account_circle'])
      assert.ok(used.includes(name), name);
    const symbols = allSymbolNames(root);
    assert.ok(symbols.size > 3000);
    assert.ok(used.every((name) => symbols.has(name)));
  });
});
