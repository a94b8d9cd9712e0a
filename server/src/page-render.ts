/**
 * The Signature tab drawn on the server, for a browser that logged in here (BENCHMARKS.md: the
 * tab's ready time). The console's own components render the route (the build's server bundle,
 * src/main.server.ts, `renderPage`, in a worker thread) from this server's own routes' answers, for
 * the session named by the page cookie set at login. The browser shows that HTML at once and starts
 * the console as usual, which replaces it once it has drawn the same (TAKE_VIEW_SCRIPT).
 *
 * What it may and may not do:
 * - The cookie (HttpOnly, SameSite=Strict) only selects whose page to draw; API calls are still
 *   authorised by `X-Access-Token` alone, so the cookie adds no way to change anything.
 * - Only the calls that read what the tab shows are answered while drawing (READ_CALLS), by the
 *   server's own routes with the session's token; the private key is read to draw the row but never
 *   written into the page (no transfer state).
 * - A view drawn for another account than the tab's own session is never shown: a script in the
 *   page's head hides it before the first paint (STALE_VIEW_SCRIPT, allowed by its hash in the CSP).
 * - The page's head (with the preloads of the console's scripts) is sent at once, the drawn body
 *   when it is ready (pageStart, pageRest): the browser fetches the console while the server draws.
 * - Anything unexpected (no server bundle, an error, a slow render, another page than the tab) and
 *   the console is answered as before, drawn in the browser.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The cookie naming the session a page is drawn for (the access token; set at login). */
export const PAGE_COOKIE = 'joc-keys-page';

/** Routes drawn on the server: the Signature tab, where a reload, a bookmark or a link lands. */
export const SERVER_DRAWN_PATHS: ReadonlySet<string> = new Set(['/profile/signature-keys']);

/** The API calls a page drawn on the server may make: reading the account, its settings and its key. */
export const READ_CALLS: ReadonlySet<string> = new Set([
  '/joc/api/authentication/joc_cockpit_permissions',
  '/joc/api/joc/properties',
  '/joc/api/profile/key',
]);

/** Names the account a view was drawn for (read by STALE_VIEW_SCRIPT). */
export const DRAWN_FOR_META = 'joc-keys-drawn-for';

/**
 * Runs in the page's head, before the body is painted: unless this tab's own session (sessionStorage,
 * as src/app/core/session/session.ts keeps it) is the account the view was drawn for, the view is
 * hidden (SERVER_VIEW_STYLE) and TAKE_VIEW_SCRIPT drops it.
 */
export const STALE_VIEW_SCRIPT =
  `(function(){var d=document.documentElement;try{var m=document.querySelector('meta[name="${DRAWN_FOR_META}"]');` +
  `var s=JSON.parse(sessionStorage.getItem('joc-keys.session')||'null');if(!m||!s||s.account!==m.content)d.classList.add('server-view-stale')}` +
  `catch(e){d.classList.add('server-view-stale')}})()`;

/**
 * Served as /server-view.js and run after the page is parsed, before the console's scripts (a
 * deferred script, so that it never holds up the parser): what the server drew moves out of
 * `<app-root>` (which the console empties and fills) into a sibling shown in its place, inert,
 * until the console says it has drawn the same (the event `joc-keys:drawn`: the Signature tab once
 * its row is drawn, src/main.ts once the app is stable or failed to start), so the page never goes
 * blank in between. A view drawn for another account is dropped.
 */
export const TAKE_VIEW_SCRIPT =
  `(function(){var d=document,h=d.documentElement,r=d.querySelector('app-root');if(!r||!r.hasAttribute('ng-server-context'))return;` +
  `var stale=h.classList.contains('server-view-stale'),n=[].slice.call(r.childNodes);h.classList.remove('server-view-stale');r.textContent='';` +
  `if(stale||!n.length)return;var v=d.createElement('div');v.className='server-view';v.inert=true;v.setAttribute('aria-busy','true');` +
  `n.forEach(function(x){v.appendChild(x)});r.parentNode.insertBefore(v,r);h.classList.add('server-view-shown');` +
  `d.addEventListener('joc-keys:drawn',function(){v.remove();h.classList.remove('server-view-shown')},{once:true})})()`;

/** Where the page finds TAKE_VIEW_SCRIPT (relative to `<base href="/">`). */
export const TAKE_VIEW_PATH = '/server-view.js';

/**
 * The styles of the view, in the page's head (not the console's stylesheet, which may arrive after
 * the body): hidden at once when drawn for another account; in the console's place while it starts.
 */
export const SERVER_VIEW_STYLE =
  'html.server-view-stale app-root[ng-server-context]{visibility:hidden}html.server-view-shown app-root{display:none}.server-view{cursor:progress}';

/** The CSP source allowing exactly the inline script of a drawn page. */
export const STALE_VIEW_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(STALE_VIEW_SCRIPT).digest('base64')}'`;

/** An API call answered by the server's own routes. */
export type InProcessApi = (path: string, body: unknown, token: string | undefined) => Promise<{ status: number; body: unknown }>;

/** The value of cookie `name` in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** Set-Cookie for a new session's pages; `secure` when the console is served over TLS. */
export function pageCookie(token: string, secure: boolean): string {
  return `${PAGE_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Set-Cookie that forgets it (logout). */
export function clearedPageCookie(secure: boolean): string {
  return `${PAGE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The console's page as the document to draw into: the account it is drawn for and the script that
 * checks it early in its head (with the view's styles), the script that takes the view after `<app-root>`.
 */
export function withDrawnFor(document: string, account: string): string {
  const head = `<meta name="${DRAWN_FOR_META}" content="${escapeAttribute(account)}"><style>${SERVER_VIEW_STYLE}</style><script>${STALE_VIEW_SCRIPT}</script>`;
  // After the charset (which must come first), before anything of the body is parsed.
  const charset = /<meta charset="[^"]*">/i.exec(document);
  const withHead = charset ? document.replace(charset[0], `${charset[0]}${head}`) : document.replace(/<head>/i, `<head>${head}`);
  return withHead.replace('</app-root>', `</app-root><script src="${TAKE_VIEW_PATH.slice(1)}" defer></script>`);
}

const PRELOAD = /<link rel="modulepreload" href="[^"]*">/g;
const DRAWN_STYLE = /<style ng-app-id="[^"]*">[\s\S]*?<\/style>/g;

/**
 * What is sent while the server is still drawing: the page up to the end of its head, with
 * preloads of the console's scripts (the shell's first), so that the browser fetches them meanwhile.
 */
export function pageStart(document: string): string {
  // The shell's own script too: its tag is in the body, which comes only once drawn.
  const main = [...document.matchAll(/<script src="([^"]+)" type="module"><\/script>/g)].map((m) => `<link rel="modulepreload" href="${m[1]}">`);
  return document.slice(0, document.indexOf('</head>')) + main.join('') + (document.match(PRELOAD) ?? []).join('');
}

/**
 * The rest of a page after {@link pageStart}: the styles the drawing added to the head, then the
 * body (without the preloads, already sent). Of the page as built (`document` before drawing): the
 * page the browser draws.
 */
export function pageRest(page: string): string {
  const headEnd = page.indexOf('</head>');
  return (page.slice(0, headEnd).match(DRAWN_STYLE) ?? []).join('') + page.slice(headEnd).replace(PRELOAD, '');
}

/**
 * The renderer's thread (a worker, its source given as text, so that it runs the same from tsc's
 * output and under tsx): loads the server bundle, draws the pages it is asked for, and asks the main
 * thread for every API answer (the routes live there). Failures are reported by an Angular code or
 * an error's name only: a message could quote what was drawn.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const calls = new Map();
let nextCall = 0;
const api = (path, body, token) => new Promise((resolve) => {
  const call = nextCall++;
  calls.set(call, resolve);
  parentPort.postMessage({ type: 'api', call, path, body, token });
});
const reason = (error) => error instanceof Error ? ((/^NG0\\d+/.exec(error.message) || [])[0] || error.name) : 'unknown error';
const loaded = import(workerData.entry).then((module) => module.renderPage);
loaded.then(
  () => parentPort.postMessage({ type: 'ready' }),
  (error) => parentPort.postMessage({ type: 'unloadable', reason: reason(error) }),
);
parentPort.on('message', async (message) => {
  if (message.type === 'answer') {
    const resolve = calls.get(message.call);
    calls.delete(message.call);
    if (resolve) resolve({ status: message.status, body: message.body });
    return;
  }
  try {
    const renderPage = await loaded;
    const html = await renderPage(message.document, message.path, { session: message.session, api });
    parentPort.postMessage({ type: 'drawn', id: message.id, html });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: message.id, reason: reason(error) });
  }
});
`;

/** What the renderer's thread may hold: pages make much short-lived garbage, the live set is small. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 };

/**
 * The renderer's thread stops after this long without a login or a page to draw: it holds about
 * 40 MB (BENCHMARKS.md), worth it while people use the console, not while nobody does.
 */
export const RENDERER_IDLE_MS = 10 * 60_000;

type Drawn = { html: string } | { reason: string };

/** The reason given to pages asked for when the bundle turned out not to load (said once, by itself). */
const UNLOADABLE = 'unloadable';

export class PageRenderer {
  private worker: Worker | undefined;
  /** The bundle is loaded in the thread: pages can be drawn. */
  private ready = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private unloadable = false;
  private nextId = 0;
  private readonly pending = new Map<number, (drawn: Drawn) => void>();

  /**
   * @param entry the server bundle (`dist/joc-keys/server/server.mjs`)
   * @param api the API, answered by the server's own routes
   * @param timeoutMs how long a page may take before the browser draws it instead
   * @param failed told why a page was not drawn (a bundle that does not load, an error's name or
   *   Angular code, a timeout): never the error's message, which could quote what was drawn
   * @param idleMs how long the renderer's thread waits for another page before it stops
   */
  constructor(
    private readonly entry: string,
    private readonly api: InProcessApi,
    private readonly timeoutMs = 3000,
    private readonly failed: (reason: string) => void = () => undefined,
    private readonly idleMs = RENDERER_IDLE_MS,
  ) {}

  /** The renderer for a built console (`browser/` beside `server/`), when the build has a server bundle. */
  static forBuild(staticDir: string, api: InProcessApi, failed?: (reason: string) => void): PageRenderer | undefined {
    const entry = join(staticDir, '..', 'server', 'server.mjs');
    return existsSync(entry) ? new PageRenderer(entry, api, 3000, failed) : undefined;
  }

  /**
   * Starts the renderer's thread if it is not running (someone logged in: pages will be asked for),
   * without waiting for it; it stops after {@link RENDERER_IDLE_MS} without a login or a page.
   */
  warm(): void {
    if (this.thread()) this.stopWhenIdle();
  }

  /** Whether a page asked for now would be drawn (the thread runs and has loaded the bundle). */
  get drawing(): boolean {
    return this.ready && this.worker !== undefined;
  }

  /**
   * The page for `path` drawn for `session` into `document` (made by {@link withDrawnFor}), or
   * undefined when it cannot be (the caller then answers the page drawn in the browser). Pages are
   * drawn in a thread of their own (with a bounded heap), so the API never waits for a drawing.
   * While that thread is starting, pages are not drawn: the browser alone is sooner than waiting.
   * Throws nothing.
   */
  async render(document: string, path: string, session: { token: string; account: string }): Promise<string | undefined> {
    this.warm();
    const worker = this.worker;
    if (!worker || !this.ready) return undefined;
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    let timer: Parameters<typeof clearTimeout>[0];
    const drawn = await new Promise<Drawn | undefined>((resolve) => {
      this.pending.set(id, resolve);
      timer = setTimeout(() => resolve(undefined), this.timeoutMs);
      worker.postMessage({ type: 'draw', id, document, path, session });
    });
    clearTimeout(timer);
    this.pending.delete(id);
    this.stopWhenIdle();
    if (drawn === undefined) {
      this.failed(`${path} took longer than ${this.timeoutMs} ms`);
      return undefined;
    }
    if ('reason' in drawn) {
      if (drawn.reason !== UNLOADABLE) this.failed(`${path} failed (${drawn.reason})`);
      return undefined;
    }
    // Only the tab itself: a redirect (no permission, an expired session) is the browser's to draw.
    return drawn.html.includes('<app-signature-keys-tab') ? drawn.html : undefined;
  }

  /** Whether the renderer's thread is running (it stops when idle). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Resolves once the thread has loaded the bundle (or ended, or `timeoutMs` passed): whether pages are drawn now. */
  async whenDrawing(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.drawing && this.running && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.drawing;
  }

  /** Stops the renderer's thread (the server closes). */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private stopWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size > 0) return this.stopWhenIdle();
      if (this.worker) this.end(this.worker, { reason: 'idle' });
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** The renderer's thread, started when first needed and again after it ended. */
  private thread(): Worker | undefined {
    if (this.unloadable) return undefined;
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry: pathToFileURL(this.entry).href }, resourceLimits: WORKER_LIMITS });
    worker.unref();
    worker.on('message', (message: { type: string; id: number; call: number; html: string; reason: string; path: string; body: unknown; token?: string }) => {
      if (message.type === 'api') {
        void this.api(message.path, message.body, message.token).then(
          (answer) => worker.postMessage({ type: 'answer', call: message.call, ...answer }),
          () => worker.postMessage({ type: 'answer', call: message.call, status: 500, body: {} }),
        );
      } else if (message.type === 'ready') {
        if (this.worker === worker) this.ready = true;
      } else if (message.type === 'unloadable') {
        this.unloadable = true;
        this.failed(`the server bundle ${this.entry} does not load (${message.reason})`);
        this.end(worker, { reason: UNLOADABLE });
      } else {
        this.pending.get(message.id)?.(message.type === 'drawn' ? { html: message.html } : { reason: message.reason });
      }
    });
    // Out of memory, or a crash: the pages being drawn are the browser's to draw; the next starts anew.
    worker.on('error', (error) => {
      this.failed(`the renderer's thread ended (${error.name})`);
      this.end(worker, { reason: error.name });
    });
    worker.on('exit', () => this.end(worker, { reason: 'exit' }));
    this.worker = worker;
    return worker;
  }

  private end(worker: Worker, drawn: Drawn): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = false;
    }
    void worker.terminate();
    for (const resolve of this.pending.values()) resolve(drawn);
    this.pending.clear();
  }
}
