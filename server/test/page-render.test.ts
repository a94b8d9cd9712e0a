/**
 * The Signature tab drawn on the server (page-render.ts): the page cookie set at login and cleared
 * at logout, which pages are drawn and for whom, the in-process API (read calls only, the session's
 * own token), the fallbacks to the page the browser draws, and the CSP allowing exactly the page's
 * two scripts. The Angular server bundle is stood in for by a small module with the same export
 * (`renderPage`); the real one is exercised in Chromium by e2e/server-view.spec.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PAGE_COOKIE, PageRenderer, READ_CALLS, STALE_VIEW_SCRIPT, TAKE_VIEW_SCRIPT, cookieValue, pageRest, pageStart, withDrawnFor } from '../src/page-render';
import { opensslPair, tempDir, testApp, type TestApp } from './helpers';

const INDEX =
  '<!doctype html><html><head><meta charset="utf-8"><title>console</title></head><body><app-root></app-root>' +
  '<link rel="modulepreload" href="chunk-A.js"><script src="main-1.js" type="module"></script></body></html>';

/**
 * Stands in for dist/joc-keys/server/server.mjs in the renderer's thread: steered by steer.json
 * beside it, it reports what it was asked and answered in a comment of the page.
 */
const FAKE_BUNDLE = `
import { readFileSync } from 'node:fs';
export async function renderPage(document, path, page) {
  const test = JSON.parse(readFileSync(new URL('./steer.json', import.meta.url), 'utf8'));
  if (test.mode === 'throw') throw new Error('NG0203: the bundle failed, quoting CN=secret');
  if (test.mode === 'hang') return new Promise(() => {});
  const token = page.session.token;
  const answers = {};
  for (const call of test.calls) answers[call] = (await page.api(call, {}, test.token ?? token)).status;
  const key = (await page.api('/joc/api/profile/key', {}, token)).body;
  const body = test.mode === 'tab' ? '<app-signature-keys-tab><td class="status">' + (key.keyID ?? 'no key') + '</td></app-signature-keys-tab>' : '<app-preferences-tab></app-preferences-tab>';
  const report = '<!--fake:' + JSON.stringify({ path, account: page.session.account, answers }) + '-->';
  return document.replace('</head>', '<style ng-app-id="ng">.drawn{}</style></head>').replace('<app-root></app-root>', '<app-root ng-server-context="other">' + body + '</app-root>').replace('</body>', report + '</body>');
}
`;

interface Steer {
  mode: 'tab' | 'other' | 'throw' | 'hang';
  calls: string[];
  token?: string;
}

describe('pages drawn on the server', () => {
  let dir: string;
  let browser: string;
  let t: TestApp;
  before(async () => {
    dir = tempDir('joc-render-');
    browser = join(dir, 'browser');
    mkdirSync(browser);
    mkdirSync(join(dir, 'server'));
    writeFileSync(join(browser, 'index.csr.html'), INDEX);
    writeFileSync(join(dir, 'server', 'server.mjs'), FAKE_BUNDLE);
    t = await testApp({ staticDir: browser });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let steer: Steer;
  /** The page, asked for until the renderer (started by a login) is drawing it. */
  const drawnPage = async (token: string) => {
    for (let i = 0; i < 200; i++) {
      const res = await page('/profile/signature-keys', token);
      if (drawn(res.body)) return res;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the renderer never drew the page');
  };
  beforeEach(async () => {
    steer = { mode: 'tab', calls: [] };
    writeFileSync(join(dir, 'server', 'steer.json'), JSON.stringify(steer));
    // Every test starts with the renderer drawing (so a page that is not drawn says something).
    await drawnPage(await t.login('root'));
  });
  const steering = (change: Partial<Steer>) => writeFileSync(join(dir, 'server', 'steer.json'), JSON.stringify(Object.assign(steer, change)));
  /** What the stand-in bundle was asked and answered, from its comment in the page. */
  const report = (html: string) => JSON.parse(/<!--fake:(.*?)-->/.exec(html)?.[1] ?? 'null') as { path: string; account: string; answers: Record<string, number> } | null;

  const page = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? { cookie: `other=1; ${PAGE_COOKIE}=${token}` } : {} });
  const drawn = (html: string) => html.includes('<app-signature-keys-tab>');
  /** The page as the browser draws it, after a head that was sent before drawing failed. */
  const browserDrawn = (html: string) => {
    assert.ok(!drawn(html));
    assert.ok(html.includes('<app-root></app-root>'));
    assert.ok(!html.includes('server-view.js'));
    assert.equal(html.match(/modulepreload/g)?.length, 2);
  };

  it('login sets the page cookie (HttpOnly, SameSite=Strict, the whole site) and logout clears it', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/joc/api/authentication/login', headers: { authorization: 'Basic ' + Buffer.from('root:root').toString('base64') } });
    const token = login.json().accessToken as string;
    assert.equal(login.headers['set-cookie'], `${PAGE_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    const logout = (cookie: string) => t.app.inject({ method: 'POST', url: '/joc/api/authentication/logout', headers: { 'x-access-token': token, cookie } });
    // Another session's cookie (another tab logged in since) stays; the session's own goes.
    const second = await t.login('root');
    const other = await logout(`${PAGE_COOKIE}=${second}`);
    assert.equal(other.statusCode, 200);
    assert.equal(other.headers['set-cookie'], undefined);
    const token2 = await t.login('root');
    const own = await t.app.inject({ method: 'POST', url: '/joc/api/authentication/logout', headers: { 'x-access-token': token2, cookie: `${PAGE_COOKIE}=${token2}` } });
    assert.equal(own.headers['set-cookie'], `${PAGE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
  });

  it('draws the Signature tab for the session of the cookie, from the API answered in-process, and keeps it nowhere', async () => {
    const token = await t.login('root');
    const pair = opensslPair(t.dir, { cn: 'drawn on the server' });
    assert.equal((await t.post('profile/key/store', token, { keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' } })).statusCode, 200);
    const res = await page('/profile/signature-keys', token);
    assert.equal(res.statusCode, 200);
    assert.ok(drawn(res.body));
    assert.match(res.body, /<meta name="joc-keys-drawn-for" content="root">/);
    assert.match(res.body, /<app-signature-keys-tab><td class="status">CN=drawn on the server,O=JS7<\/td>/);
    // The head first (with the preload, once), the drawn styles and body after it.
    assert.match(res.body, /<title>console<\/title><link rel="modulepreload" href="main-1.js"><link rel="modulepreload" href="chunk-A.js"><style ng-app-id="ng">\.drawn\{\}<\/style><\/head><body><app-root ng-server-context="other">/);
    assert.equal(res.body.match(/modulepreload/g)?.length, 2);
    assert.match(res.body, /<\/app-root><script src="server-view.js" defer><\/script><script src="main-1.js"/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['vary'], 'cookie');
    assert.deepEqual(report(res.body), { path: '/profile/signature-keys', account: 'root', answers: {} });
    assert.ok(!res.body.includes('PRIVATE KEY'), 'no key material in the page');
  });

  it('answers only the calls that read what the tab shows, with the same checks as from a browser; writes change nothing', async () => {
    const token = await t.login('root');
    const before = t.snapshot();
    steering({ calls: [...READ_CALLS, '/joc/api/profile/key/delete', '/joc/api/profile/key/generate', '/joc/api/audit-log'] });
    assert.deepEqual(report((await page('/profile/signature-keys', token)).body)?.answers, {
      '/joc/api/authentication/joc_cockpit_permissions': 200,
      '/joc/api/joc/properties': 200,
      '/joc/api/profile/key': 200,
      '/joc/api/profile/key/delete': 403,
      '/joc/api/profile/key/generate': 403,
      '/joc/api/audit-log': 403,
    });
    assert.equal(t.snapshot(), before);
    // Another token than the page's session is checked like any other: unknown is 401.
    steering({ token: 'not-a-session', calls: ['/joc/api/profile/key'] });
    assert.equal(report((await page('/profile/signature-keys', token)).body)?.answers['/joc/api/profile/key'], 401);
  });

  it('answers the page the browser draws without a cookie, for other routes, and for a HEAD request', async () => {
    const token = await t.login('root');
    for (const [url, cookie] of [['/profile/signature-keys', undefined], ['/profile/preferences', token], ['/profile/ssl-keys', token], ['/login', token], ['/', token]] as const) {
      const res = await page(url, cookie);
      assert.equal(res.statusCode, 200, url);
      assert.ok(!drawn(res.body), url);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
      assert.equal(report(res.body), null, url);
    }
    const head = await t.app.inject({ method: 'HEAD', url: '/profile/signature-keys', headers: { cookie: `${PAGE_COOKIE}=${token}` } });
    assert.equal(head.statusCode, 200);
    assert.equal(report(head.body), null);
  });

  it('forgets the cookie of a session that is unknown, expired or of an account that no longer exists', async () => {
    for (const token of ['unknown-token', '']) {
      const res = await page('/profile/signature-keys', token || undefined);
      assert.ok(!drawn(res.body));
      if (token) assert.match(String(res.headers['set-cookie']), new RegExp(`^${PAGE_COOKIE}=; Path=/; Max-Age=0`));
    }
    const token = await t.login('root');
    t.clock.advance(901_000);
    const expired = await page('/profile/signature-keys', token);
    assert.ok(!drawn(expired.body));
    assert.match(String(expired.headers['set-cookie']), /Max-Age=0/);
    assert.equal(report(expired.body), null);
  });

  it('answers the page the browser draws when the route drawn is not the tab (a redirect) or the bundle fails', async () => {
    const token = await t.login('root');
    for (const mode of ['other', 'throw'] as const) {
      steering({ mode });
      const res = await page('/profile/signature-keys', token);
      assert.equal(res.statusCode, 200, mode);
      browserDrawn(res.body);
      // The head was on its way before the drawing failed: still nobody else's page.
      assert.equal(res.headers['cache-control'], 'no-store', mode);
    }
  });

  it('calls the API over its own socket once it listens, with the same answers', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const token = await t.login('root');
    const before = t.snapshot();
    steering({ calls: ['/joc/api/joc/properties', '/joc/api/profile/key', '/joc/api/profile/key/delete'] });
    const res = await drawnPage(token);
    assert.deepEqual(report(res.body)?.answers, { '/joc/api/joc/properties': 200, '/joc/api/profile/key': 200, '/joc/api/profile/key/delete': 403 });
    assert.equal(t.snapshot(), before);
  });

  it('allows exactly the inline script of a drawn page in its CSP; the other comes from the server', async () => {
    const token = await t.login('root');
    const res = await page('/profile/signature-keys', token);
    const scripts = [...res.body.matchAll(/<script>([^<]*)<\/script>/g)].map((m) => m[1]);
    assert.deepEqual(scripts, [STALE_VIEW_SCRIPT]);
    const csp = String(res.headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)![1].split(' ');
    assert.deepEqual(scriptSrc, ["'self'", `'sha256-${createHash('sha256').update(STALE_VIEW_SCRIPT).digest('base64')}'`]);
    const take = await t.app.inject({ method: 'GET', url: '/server-view.js' });
    assert.equal(take.statusCode, 200);
    assert.match(String(take.headers['content-type']), /^text\/javascript/);
    assert.equal(take.body, TAKE_VIEW_SCRIPT);
  });
});

describe('a renderer still starting', () => {
  it('lets the browser draw the first pages (a login starts it), then draws them', async () => {
    const dir = tempDir('joc-render-cold-');
    const browser = join(dir, 'browser');
    mkdirSync(browser);
    mkdirSync(join(dir, 'server'));
    writeFileSync(join(browser, 'index.csr.html'), INDEX);
    // A bundle that takes a while to load, as the real one does on a busy machine.
    writeFileSync(
      join(dir, 'server', 'server.mjs'),
      `await new Promise((resolve) => setTimeout(resolve, 400));
      export async function renderPage(document) { return document.replace('<app-root></app-root>', '<app-root><app-signature-keys-tab></app-signature-keys-tab></app-root>'); }`,
    );
    const t = await testApp({ staticDir: browser });
    try {
      const token = await t.login('root');
      const first = await t.app.inject({ method: 'GET', url: '/profile/signature-keys', headers: { cookie: `${PAGE_COOKIE}=${token}` } });
      assert.equal(first.statusCode, 200);
      assert.ok(!first.body.includes('<app-signature-keys-tab>'));
      assert.ok(!first.body.includes('joc-keys-drawn-for'));
      assert.equal(first.headers['cache-control'], 'no-cache');
      let drawnNow = false;
      for (let i = 0; i < 100 && !drawnNow; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const res = await t.app.inject({ method: 'GET', url: '/profile/signature-keys', headers: { cookie: `${PAGE_COOKIE}=${token}` } });
        drawnNow = res.body.includes('<app-signature-keys-tab>');
      }
      assert.ok(drawnNow, 'drawn once the renderer has loaded its bundle');
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('page-render helpers', () => {
  it('reads one cookie among others', () => {
    assert.equal(cookieValue(`a=1; ${PAGE_COOKIE}=abc_-9; b=2`, PAGE_COOKIE), 'abc_-9');
    assert.equal(cookieValue(`x${PAGE_COOKIE}=1`, PAGE_COOKIE), undefined);
    assert.equal(cookieValue(undefined, PAGE_COOKIE), undefined);
    assert.equal(cookieValue(`${PAGE_COOKIE}=`, PAGE_COOKIE), undefined);
  });

  it('names the account after the charset, escaped, and takes the view after <app-root>', () => {
    const page = withDrawnFor(INDEX, 'a"<b>&c');
    assert.ok(page.startsWith('<!doctype html><html><head><meta charset="utf-8"><meta name="joc-keys-drawn-for" content="a&quot;&lt;b&gt;&amp;c"><style>'));
    assert.ok(page.includes('</app-root><script src="server-view.js" defer></script><link rel="modulepreload"'));
  });

  it('splits a page into the head sent at once (with the preloads) and the rest (drawn styles, body)', () => {
    const document = withDrawnFor(INDEX, 'root');
    const start = pageStart(document);
    assert.ok(start.endsWith('<title>console</title><link rel="modulepreload" href="main-1.js"><link rel="modulepreload" href="chunk-A.js">'));
    const drawnPage = document.replace('</head>', '<style>.kept{}</style><style ng-app-id="ng">.a{}</style></head>');
    assert.equal(pageRest(drawnPage), '<style ng-app-id="ng">.a{}</style></head><body><app-root></app-root><script src="server-view.js" defer></script><script src="main-1.js" type="module"></script></body></html>');
    assert.equal(pageRest(INDEX), '</head><body><app-root></app-root><script src="main-1.js" type="module"></script></body></html>');
  });

  it('gives up on a page that takes too long, a bundle that cannot be loaded or fails, and says why without quoting it', async () => {
    const dir = tempDir('joc-render-slow-');
    const renderers: PageRenderer[] = [];
    const reasons: string[] = [];
    /** A renderer whose thread has started (and loaded its bundle, if it can). */
    const renderer = async (file: string, timeoutMs: number) => {
      const made = new PageRenderer(join(dir, file), async () => ({ status: 200, body: {} }), timeoutMs, (r) => reasons.push(r));
      renderers.push(made);
      made.warm();
      await made.whenDrawing();
      return made;
    };
    const session = { token: 't', account: 'root' };
    try {
      writeFileSync(join(dir, 'slow.mjs'), 'export function renderPage() { return new Promise(() => {}); }');
      writeFileSync(join(dir, 'failing.mjs'), 'export async function renderPage() { throw new Error("NG0203: secret subject CN=x"); }');
      assert.equal(await (await renderer('slow.mjs', 300)).render(INDEX, '/profile/signature-keys', session), undefined);
      const missing = await renderer('missing.mjs', 5000);
      assert.equal(await missing.render(INDEX, '/profile/signature-keys', session), undefined);
      // Said once; later pages are not even tried.
      assert.equal(await missing.render(INDEX, '/profile/signature-keys', session), undefined);
      assert.equal(await (await renderer('failing.mjs', 5000)).render(INDEX, '/profile/signature-keys', session), undefined);
      assert.deepEqual(reasons, [
        '/profile/signature-keys took longer than 300 ms',
        `the server bundle ${join(dir, 'missing.mjs')} does not load (Error)`,
        // The code, never the message (it could quote what was drawn).
        '/profile/signature-keys failed (NG0203)',
      ]);
      assert.equal(PageRenderer.forBuild(join(dir, 'browser'), async () => ({ status: 200, body: {} })), undefined);
    } finally {
      for (const made of renderers) await made.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops its thread when no page was asked for a while, and starts it again for the next', async () => {
    const dir = tempDir('joc-render-idle-');
    try {
      writeFileSync(join(dir, 'server.mjs'), `export async function renderPage(document) { return document.replace('<app-root></app-root>', '<app-root><app-signature-keys-tab></app-signature-keys-tab></app-root>'); }`);
      const renderer = new PageRenderer(join(dir, 'server.mjs'), async () => ({ status: 200, body: {} }), 10_000, () => undefined, 300);
      const session = { token: 't', account: 'root' };
      try {
        assert.equal(renderer.running, false);
        // Cold: not drawn (the browser is sooner), but the thread starts.
        assert.equal(await renderer.render(INDEX, '/profile/signature-keys', session), undefined);
        assert.equal(renderer.running, true);
        assert.equal(await renderer.whenDrawing(), true);
        assert.match(String(await renderer.render(INDEX, '/profile/signature-keys', session)), /<app-signature-keys-tab>/);
        await new Promise((resolve) => setTimeout(resolve, 200));
        // A page (or a login: warm) keeps it running.
        renderer.warm();
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(renderer.running, true);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(renderer.running, false);
        renderer.warm();
        assert.equal(await renderer.whenDrawing(), true);
        assert.match(String(await renderer.render(INDEX, '/profile/signature-keys', session)), /<app-signature-keys-tab>/);
      } finally {
        await renderer.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws in a thread of its own: a page that runs out of memory is the browser to draw, the next is drawn again', async () => {
    const dir = tempDir('joc-render-oom-');
    const reasons: string[] = [];
    try {
      writeFileSync(
        join(dir, 'server.mjs'),
        `export async function renderPage(document, path) {
          if (path === '/big') { const all = []; for (;;) all.push(new Array(1e6).fill(path)); }
          return document.replace('<app-root></app-root>', '<app-root><app-signature-keys-tab></app-signature-keys-tab></app-root>');
        }`,
      );
      const renderer = new PageRenderer(join(dir, 'server.mjs'), async () => ({ status: 200, body: {} }), 20_000, (r) => reasons.push(r));
      try {
        renderer.warm();
        await renderer.whenDrawing();
        assert.equal(await renderer.render(INDEX, '/big', { token: 't', account: 'root' }), undefined);
        assert.match(reasons[0], /^the renderer's thread ended \(Error\)$/);
        assert.equal(renderer.running, false);
        renderer.warm();
        assert.equal(await renderer.whenDrawing(), true);
        assert.match(String(await renderer.render(INDEX, '/profile/signature-keys', { token: 't', account: 'root' })), /<app-signature-keys-tab>/);
      } finally {
        await renderer.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

});
