/**
 * The Material Symbols the console can show: every name of the font that its sources under
 * src/app (specs aside) write as a quoted string or as the text of an element. Generous on
 * purpose: a word such as 'error' that is also a state costs a few hundred bytes in the font,
 * a missing icon would show as an empty square. scripts/icon-font.py subsets the font to these names
 * and icon-font.test.ts checks that the subset still holds every one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every icon name of the Material Symbols package, from its type declarations. */
export function allSymbolNames(root: string): Set<string> {
  const declarations = readFileSync(join(root, 'node_modules/material-symbols/index.d.ts'), 'utf8');
  return new Set([...declarations.matchAll(/^\s*"([a-z0-9_]+)",?$/gm)].map((m) => m[1]));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|html)$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The names of the font that the console's sources use, sorted. */
export function usedIcons(root: string): string[] {
  const symbols = allSymbolNames(root);
  const used = new Set<string>();
  for (const file of sourceFiles(join(root, 'src/app'))) {
    const text = readFileSync(file, 'utf8');
    // 'name' or "name" anywhere; >name< as an element's text (a template's static icon).
    for (const m of text.matchAll(/(['"])([a-z0-9_]+)\1|>\s*([a-z0-9_]+)\s*</g)) {
      const word = m[2] ?? m[3];
      if (symbols.has(word)) used.add(word);
    }
  }
  return [...used].sort();
}
