/** The catalogs as the e2e specs read them: texts to look for, and English that must not be left. */
import { expect, type Page } from '@playwright/test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CATALOGS = resolve(__dirname, '..', '..', 'src', 'i18n');

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix: string, out: Map<string, string>): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(`${prefix}.${k}`, v);
    else flatten(v, `${prefix}.${k}`, out);
  }
  return out;
}

function catalog(language: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(join(CATALOGS, language)).filter((f) => f.endsWith('.json')))
    flatten(
      JSON.parse(readFileSync(join(CATALOGS, language, file), 'utf8')) as Tree,
      file.slice(0, -5),
      out,
    );
  return out;
}

/** The text a person reads for `key` in `language`. */
export function text(language: string, key: string, params: Record<string, unknown> = {}): string {
  const source = catalog(language).get(key);
  if (source === undefined) throw new Error(`no catalog key ${key}`);
  return String(new IntlMessageFormat(source, language).format(params));
}

/** The fixed text of a message: its literals, inside plurals and selects too. */
function literals(elements: MessageFormatElement[], out: string[] = []): string[] {
  for (const e of elements) {
    if (e.type === TYPE.literal) out.push(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select)
      for (const option of Object.values(e.options)) literals(option.value, out);
    if (e.type === TYPE.tag) literals(e.children, out);
  }
  return out;
}

/**
 * English pieces that must not be on screen in another language: whole messages without
 * arguments, and the fixed parts (three words or more) of messages with arguments, wherever
 * the translation differs from English.
 */
function englishLeftovers(language: string): { phrases: string[]; words: Set<string> } {
  const en = catalog('en');
  const theirs = catalog(language);
  const phrases = new Set<string>();
  const words = new Set<string>();
  for (const [key, english] of en) {
    if (theirs.get(key) === english) continue;
    if (!english.includes('{')) {
      if (/\s/.test(english.trim())) phrases.add(english.trim());
      else if (/\p{L}/u.test(english)) words.add(english.trim());
      continue;
    }
    for (const part of literals(parse(english)))
      if (part.trim().split(/\s+/).length >= 3) phrases.add(part.trim());
  }
  return { phrases: [...phrases], words };
}

/** Everything a person reads or hears on the page now: text, accessible names, tooltips. */
async function onScreen(page: Page): Promise<{ text: string; pieces: string[] }> {
  return page.evaluate(() => {
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
    };
    const pieces: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent?.trim();
      if (t && n.parentElement && visible(n.parentElement)) pieces.push(t);
    }
    for (const e of document.querySelectorAll('[aria-label],[title],[placeholder],[mattooltip]'))
      if (visible(e))
        for (const a of ['aria-label', 'title', 'placeholder'])
          if (e.getAttribute(a)) pieces.push(e.getAttribute(a)!.trim());
    pieces.push(document.title);
    return { text: pieces.join('\n'), pieces };
  });
}

/** No English text of the console is left on screen (a name's own spelling aside). */
export async function expectNoEnglish(page: Page, language: string, where: string): Promise<void> {
  const { phrases, words } = englishLeftovers(language);
  const seen = await onScreen(page);
  const left = [
    ...phrases.filter((p) => seen.text.includes(p)),
    ...seen.pieces.filter((p) => words.has(p)),
  ];
  expect(left, `English left on screen (${where})`).toEqual([]);
}

/** Nothing is cut off or sticks out: no horizontal scrolling, no label wider than its box. */
export async function expectNothingClipped(page: Page, where: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1)
      out.push(`page scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`);
    const selector =
      'button, a, label, mat-label, h1, h2, h3, th, td, p, li, mat-chip, .mat-mdc-chip, mat-error, mat-hint, .mat-mdc-select-value-text, [role=status], [role=alert]';
    for (const e of document.querySelectorAll<HTMLElement>(selector)) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const s = getComputedStyle(e);
      const clips = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
      const name = `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 60)}"`;
      if (clips && e.scrollWidth > e.clientWidth + 1 && !e.closest('pre, textarea, code'))
        out.push(`${name} is cut off (${e.scrollWidth} > ${e.clientWidth})`);
      if (r.right > root.clientWidth + 1 && s.position !== 'fixed')
        out.push(`${name} sticks out of the window (${Math.round(r.right)} px)`);
    }
    return out;
  });
  expect(problems, `clipped or overflowing (${where})`).toEqual([]);
}
