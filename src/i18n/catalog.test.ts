/**
 * The catalogs' own checks: every language has exactly English's keys, every message is valid ICU
 * MessageFormat with English's arguments, plurals use only the language's own categories and write
 * their number as `#`, and every key the console's code names exists.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = __dirname;
const app = join(__dirname, '..', 'app');
const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'];
const areas = readdirSync(join(root, 'en'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix: string, out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}
const catalog = (lang: string) => {
  const all = new Map<string, string>();
  for (const area of areas)
    flatten(JSON.parse(readFileSync(join(root, lang, `${area}.json`), 'utf8')) as Tree, area, all);
  return all;
};
const catalogs = new Map(LANGUAGES.map((l) => [l, catalog(l)]));
const english = catalogs.get('en')!;

/** Each argument's name with its kind, and for select the options it distinguishes. */
function shape(
  elements: MessageFormatElement[],
  out = new Map<string, string>(),
): Map<string, string> {
  for (const e of elements) {
    if (
      e.type === TYPE.argument ||
      e.type === TYPE.number ||
      e.type === TYPE.date ||
      e.type === TYPE.time
    )
      out.set(e.value, TYPE[e.type]);
    if (e.type === TYPE.select) {
      out.set(e.value, `select(${Object.keys(e.options).sort().join(',')})`);
      for (const o of Object.values(e.options)) shape(o.value, out);
    }
    if (e.type === TYPE.plural) {
      out.set(e.value, e.pluralType === 'ordinal' ? 'selectordinal' : 'plural');
      for (const o of Object.values(e.options)) shape(o.value, out);
    }
    if (e.type === TYPE.tag) shape(e.children, out);
  }
  return out;
}
function plurals(elements: MessageFormatElement[], out: string[][] = []): string[][] {
  for (const e of elements) {
    if (e.type === TYPE.plural) out.push(Object.keys(e.options));
    if (e.type === TYPE.plural || e.type === TYPE.select)
      for (const o of Object.values(e.options)) plurals(o.value, out);
  }
  return out;
}

/**
 * Arguments written as `{n}` inside a plural on `n`: those print the bare number ("10437") where `#`
 * prints it in the language's format ("10,437", "10.437"), as the console's other counts are.
 */
function pluralNumbersNotHash(
  elements: MessageFormatElement[],
  counted: ReadonlySet<string> = new Set(),
  out: string[] = [],
): string[] {
  for (const e of elements) {
    if ((e.type === TYPE.argument || e.type === TYPE.number) && counted.has(e.value))
      out.push(e.value);
    if (e.type === TYPE.plural)
      for (const o of Object.values(e.options))
        pluralNumbersNotHash(o.value, new Set([...counted, e.value]), out);
    if (e.type === TYPE.select)
      for (const o of Object.values(e.options)) pluralNumbersNotHash(o.value, counted, out);
    if (e.type === TYPE.tag) pluralNumbersNotHash(e.children, counted, out);
  }
  return out;
}

describe('translation catalogs', () => {
  it('English is not empty and every area has a file in every language', () => {
    assert.ok(english.size > 0);
    for (const lang of LANGUAGES)
      for (const area of areas) assert.ok(statSync(join(root, lang, `${area}.json`)).isFile());
  });

  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang} has exactly the English keys`, () => {
      const keys = catalogs.get(lang)!;
      const missing = [...english.keys()].filter((k) => !keys.has(k));
      const extra = [...keys.keys()].filter((k) => !english.has(k));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    });
  }

  for (const lang of LANGUAGES) {
    it(`${lang}: every message is ICU with English's arguments and ${lang}'s plural forms`, () => {
      const categories = new Set(new Intl.PluralRules(lang).resolvedOptions().pluralCategories);
      const problems: string[] = [];
      for (const [key, text] of catalogs.get(lang)!) {
        if (!text.trim()) {
          problems.push(`${key}: empty`);
          continue;
        }
        let ast: MessageFormatElement[];
        try {
          ast = parse(text);
        } catch (e) {
          problems.push(`${key}: not ICU (${(e as Error).message})`);
          continue;
        }
        const source = english.get(key);
        if (source !== undefined) {
          const theirs = Object.fromEntries(shape(ast));
          const ours = Object.fromEntries(shape(parse(source)));
          try {
            assert.deepEqual(theirs, ours);
          } catch {
            problems.push(
              `${key}: arguments ${JSON.stringify(theirs)} ≠ English ${JSON.stringify(ours)}`,
            );
          }
        }
        for (const options of plurals(ast)) {
          if (!options.includes('other')) problems.push(`${key}: plural without "other"`);
          for (const o of options)
            if (!o.startsWith('=') && !categories.has(o as Intl.LDMLPluralRule))
              problems.push(`${key}: "${o}" is not a plural form of ${lang}`);
          if (categories.has('one') && !options.includes('one') && !options.includes('=1'))
            problems.push(`${key}: plural without "one", which ${lang} has`);
        }
        for (const name of pluralNumbersNotHash(ast))
          problems.push(`${key}: {${name}} inside its own plural (write # for the number)`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it('every key the console names exists in English', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f.endsWith('.ts') && !f.endsWith('.spec.ts')) files.push(p);
      }
    };
    walk(app);
    const pattern = new RegExp(`'((?:${areas.join('|')})\\.[A-Za-z0-9_.]+[A-Za-z0-9_])'`, 'g');
    const unknown: string[] = [];
    for (const file of files)
      for (const [, key] of readFileSync(file, 'utf8').matchAll(pattern))
        if (!english.has(key) && ![...english.keys()].some((k) => k.startsWith(`${key}.`)))
          unknown.push(`${file.slice(app.length + 1)}: ${key}`);
    assert.deepEqual(unknown, []);
  });
});
