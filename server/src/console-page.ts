/**
 * The console's page (index.html) as answered for its routes. For every route but the login page
 * it names the Profile page's lazy chunks with `<link rel="modulepreload">`, so the browser fetches
 * and compiles them while it runs the shell, instead of discovering them one import after another
 * once the route is known (BENCHMARKS.md: the tab's ready time). The chunks come from the build's
 * esbuild metafile (`stats.json` beside `browser/`, written by `ng build` with `statsJson`); without
 * it the page is answered as built.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Metafile {
  readonly outputs?: Record<string, { readonly entryPoint?: string; readonly imports?: readonly { readonly path: string; readonly kind: string }[] }>;
}

/** The Profile page's chunks that the shell does not already load, in the build's file names. */
export function profileChunks(staticDir: string): string[] {
  let meta: Metafile;
  try {
    meta = JSON.parse(readFileSync(join(staticDir, '..', 'stats.json'), 'utf8')) as Metafile;
  } catch {
    return [];
  }
  const outputs = meta.outputs ?? {};
  const closure = (start: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement' && imported.path.endsWith('.js')) visit(imported.path);
    };
    visit(start);
    return seen;
  };
  const entry = (suffix: string) => Object.keys(outputs).find((file) => file.endsWith('.js') && (outputs[file].entryPoint ?? '').endsWith(suffix));
  const main = entry('src/main.ts');
  const profile = entry('src/app/profile/profile-routes.ts');
  if (!main || !profile) return [];
  const initial = closure(main);
  // Only names this build really has (a stale stats.json must not send the browser after 404s).
  return [...closure(profile)].filter((file) => !initial.has(file) && /^[\w.-]+\.js$/.test(file) && existsSync(join(staticDir, file)));
}

/** The page with preload links for `files` after the shell's own script (so the shell comes first). */
export function withPreloads(html: string, files: readonly string[]): string {
  if (files.length === 0 || !html.includes('</body>')) return html;
  return html.replace('</body>', `${files.map((file) => `<link rel="modulepreload" href="${file}">`).join('')}</body>`);
}

/** index.html as built and with the Profile page's preloads; read again whenever the build changes. */
export class ConsolePage {
  private mtimeMs = -1;
  private plain = '';
  private preloaded = '';

  constructor(private readonly staticDir: string) {}

  /** The page for a route of the console (`path` without the query). */
  html(path: string): string {
    const index = join(this.staticDir, 'index.html');
    try {
      const mtimeMs = statSync(index).mtimeMs;
      if (mtimeMs !== this.mtimeMs) {
        this.plain = readFileSync(index, 'utf8');
        this.preloaded = withPreloads(this.plain, profileChunks(this.staticDir));
        this.mtimeMs = mtimeMs;
      }
    } catch (error) {
      // Being rebuilt (ng build empties its output first): the page read last, if there is one.
      if (!this.plain) throw error;
    }
    return path === '/login' || path.startsWith('/login/') ? this.plain : this.preloaded;
  }
}
