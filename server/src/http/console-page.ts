/**
 * The console's page (index.html) as answered for its routes. It names the lazy chunks of the
 * page the route leads to with `<link rel="modulepreload">`, so the
 * browser fetches and compiles them while it runs the shell, instead of discovering them one import
 * after another once the route is known. The chunks come from
 * the build's esbuild metafile (`stats.json` beside `browser/`, written by `ng build` with
 * `statsJson`); without it the page is answered as built.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Metafile {
  readonly outputs?: Record<
    string,
    {
      readonly entryPoint?: string;
      readonly imports?: readonly { readonly path: string; readonly kind: string }[];
    }
  >;
}

/** The built console's page, `index.html`; undefined when the console is not built. */
export function consoleIndex(staticDir: string): string | undefined {
  const file = join(staticDir, 'index.html');
  return existsSync(file) ? file : undefined;
}

/** Entry points of the console's lazy pages, as the build's metafile names them. */
export const LOGIN_ENTRY = 'src/app/console/login-page.ts';
export const PROFILE_ENTRY = 'src/app/profile/profile-routes.ts';
export const PREFERENCES_ENTRY = 'src/app/profile/preferences/preferences-tab.ts';
export const SSL_KEYS_ENTRY = 'src/app/profile/ssl-keys/ssl-keys-tab.ts';

/**
 * The chunks of the lazy pages `entries` that the shell does not already load, in the build's file
 * names; none when the build has no metafile (or not these entries).
 */
export function lazyChunks(
  staticDir: string,
  entries: readonly string[] = [PROFILE_ENTRY],
): string[] {
  let meta: Metafile;
  try {
    meta = JSON.parse(readFileSync(join(staticDir, '..', 'stats.json'), 'utf8')) as Metafile;
  } catch {
    return [];
  }
  const outputs = meta.outputs ?? {};
  const closure = (start: string, seen = new Set<string>()): Set<string> => {
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imported of outputs[file]?.imports ?? [])
        if (imported.kind === 'import-statement' && imported.path.endsWith('.js'))
          visit(imported.path);
    };
    visit(start);
    return seen;
  };
  const entry = (suffix: string) =>
    Object.keys(outputs).find(
      (file) => file.endsWith('.js') && (outputs[file].entryPoint ?? '').endsWith(suffix),
    );
  const main = entry('src/main.ts');
  const starts = entries.map(entry);
  if (!main || starts.some((start) => !start)) return [];
  const initial = closure(main);
  const wanted = new Set<string>();
  for (const start of starts) closure(start!, wanted);
  // Only names this build really has (a stale stats.json must not send the browser after 404s).
  return [...wanted].filter(
    (file) => !initial.has(file) && /^[\w.-]+\.js$/.test(file) && existsSync(join(staticDir, file)),
  );
}

/** Which lazy pages a console route leads to (`landing`: where "/" and "/profile" lead). */
export function entriesFor(path: string, landing: readonly string[]): readonly string[] {
  if (path === '/login' || path.startsWith('/login/')) return [LOGIN_ENTRY];
  if (/^\/profile\/preferences(\/|$)/.test(path)) return [PROFILE_ENTRY, PREFERENCES_ENTRY];
  if (/^\/profile\/ssl-keys(\/|$)/.test(path)) return [PROFILE_ENTRY, SSL_KEYS_ENTRY];
  return landing;
}

/** The page with preload links for `files` after the shell's own script (so the shell comes first). */
export function withPreloads(html: string, files: readonly string[]): string {
  if (files.length === 0 || !html.includes('</body>')) return html;
  return html.replace(
    '</body>',
    `${files.map((file) => `<link rel="modulepreload" href="${file}">`).join('')}</body>`,
  );
}

/**
 * index.html as built, with the preloads of the page each route leads to; read again whenever the
 * build changes. At security level HIGH "/" and "/profile" lead to Preferences (there is no
 * Signature tab), otherwise to the Signature Key Management tab.
 */
export class ConsolePage {
  private mtimeMs = -1;
  private plain = '';
  /** The page by the entries it preloads, made when first asked for. */
  private readonly pages = new Map<string, string>();
  private readonly landing: readonly string[];

  constructor(
    private readonly staticDir: string,
    options: { readonly landsOnPreferences?: boolean } = {},
  ) {
    this.landing = options.landsOnPreferences
      ? [PROFILE_ENTRY, PREFERENCES_ENTRY]
      : [PROFILE_ENTRY];
  }

  /** The page for a route of the console (`path` without the query). */
  html(path: string): string {
    const index = consoleIndex(this.staticDir) ?? join(this.staticDir, 'index.html');
    try {
      const mtimeMs = statSync(index).mtimeMs;
      if (mtimeMs !== this.mtimeMs) {
        this.plain = readFileSync(index, 'utf8');
        this.pages.clear();
        this.mtimeMs = mtimeMs;
      }
    } catch (error) {
      // Being rebuilt (ng build empties its output first): the page read last, if there is one.
      if (!this.plain) throw error;
    }
    const entries = entriesFor(path, this.landing);
    const key = entries.join(' ');
    let page = this.pages.get(key);
    if (page === undefined) {
      page = withPreloads(this.plain, entries.length ? lazyChunks(this.staticDir, entries) : []);
      this.pages.set(key, page);
    }
    return page;
  }
}
