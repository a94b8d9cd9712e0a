/**
 * The console's page: deep links get `<link rel="modulepreload">` for the Profile page's lazy
 * chunks (from the build's stats.json), the login page for its own, and a rebuild is picked up.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConsolePage, lazyChunks, withPreloads } from '../src/http/console-page';
import { tempDir, testApp, type TestApp } from './helpers';

const INDEX =
  '<!doctype html><html><head><title>console</title></head><body><app-root></app-root><script src="main-1.js" type="module"></script></body></html>';

/** An esbuild metafile as `ng build --stats-json` writes it (paths relative to browser/). */
const STATS = {
  outputs: {
    'main-1.js': {
      entryPoint: 'src/main.ts',
      imports: [
        { path: 'chunk-SHELL.js', kind: 'import-statement' },
        { path: 'chunk-PROFILE.js', kind: 'dynamic-import' },
      ],
    },
    'chunk-SHELL.js': { imports: [] },
    'chunk-PROFILE.js': {
      entryPoint: 'src/app/profile/profile-routes.ts',
      imports: [
        { path: 'chunk-SHELL.js', kind: 'import-statement' },
        { path: 'chunk-TAB.js', kind: 'import-statement' },
        { path: 'chunk-FORGE.js', kind: 'dynamic-import' },
        { path: 'styles.css', kind: 'import-statement' },
      ],
    },
    'chunk-TAB.js': { imports: [{ path: 'chunk-ASN1.js', kind: 'import-statement' }] },
    'chunk-ASN1.js': { imports: [{ path: 'chunk-TAB.js', kind: 'import-statement' }] },
    'chunk-FORGE.js': { imports: [] },
    'chunk-PREFS.js': {
      entryPoint: 'src/app/profile/preferences/preferences-tab.ts',
      imports: [
        { path: 'chunk-FORMS.js', kind: 'import-statement' },
        { path: 'chunk-SHELL.js', kind: 'import-statement' },
      ],
    },
    'chunk-FORMS.js': { imports: [] },
    'chunk-SSL.js': {
      entryPoint: 'src/app/profile/ssl-keys/ssl-keys-tab.ts',
      imports: [{ path: 'chunk-TAB.js', kind: 'import-statement' }],
    },
    'chunk-LOGIN.js': {
      entryPoint: 'src/app/console/login-page.ts',
      imports: [{ path: 'chunk-FORMS.js', kind: 'import-statement' }],
    },
  },
};

describe('the console page', () => {
  let dir: string;
  let browser: string;
  let t: TestApp;
  before(async () => {
    dir = tempDir('joc-page-');
    browser = join(dir, 'browser');
    mkdirSync(browser);
    writeFileSync(join(browser, 'index.html'), INDEX);
    for (const file of Object.keys(STATS.outputs)) writeFileSync(join(browser, file), 'export {};');
    writeFileSync(join(dir, 'stats.json'), JSON.stringify(STATS));
    t = await testApp({ staticDir: browser });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const preloads = (html: string) =>
    [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]).sort();

  it('names the Profile chunks the shell does not load, not dynamic imports, styles or the shell itself', () => {
    assert.deepEqual(lazyChunks(browser).sort(), [
      'chunk-ASN1.js',
      'chunk-PROFILE.js',
      'chunk-TAB.js',
    ]);
  });

  it('preloads the page a route leads to: Preferences and SSL Key Management their own chunks too', async () => {
    const prefs = await t.app.inject({ method: 'GET', url: '/profile/preferences' });
    assert.deepEqual(preloads(prefs.body), [
      'chunk-ASN1.js',
      'chunk-FORMS.js',
      'chunk-PREFS.js',
      'chunk-PROFILE.js',
      'chunk-TAB.js',
    ]);
    const ssl = await t.app.inject({ method: 'GET', url: '/profile/ssl-keys' });
    assert.deepEqual(preloads(ssl.body), [
      'chunk-ASN1.js',
      'chunk-PROFILE.js',
      'chunk-SSL.js',
      'chunk-TAB.js',
    ]);
    // At HIGH, "/" and "/profile" lead to Preferences (there is no Signature tab).
    const high = new ConsolePage(browser, { landsOnPreferences: true });
    for (const path of ['/', '/profile'])
      assert.deepEqual(preloads(high.html(path)), preloads(prefs.body), path);
    assert.deepEqual(preloads(high.html('/login')), ['chunk-FORMS.js', 'chunk-LOGIN.js']);
  });

  it('answers deep links, "/" and the login page with the preloads after the shell script', async () => {
    for (const url of ['/', '/profile', '/profile/signature-keys?x=1']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.deepEqual(
        preloads(res.body),
        ['chunk-ASN1.js', 'chunk-PROFILE.js', 'chunk-TAB.js'],
        url,
      );
      assert.ok(
        res.body.indexOf('main-1.js') < res.body.indexOf('modulepreload'),
        'the shell script comes first',
      );
    }
    const login = await t.app.inject({ method: 'GET', url: '/login?returnUrl=%2Fprofile' });
    assert.deepEqual(preloads(login.body), ['chunk-FORMS.js', 'chunk-LOGIN.js']);
  });

  it('follows a rebuild, leaves out chunks the build does not have, and bridges the build itself', async () => {
    rmSync(join(browser, 'chunk-ASN1.js'));
    writeFileSync(join(browser, 'index.html'), INDEX.replace('console', 'rebuilt'));
    utimesSync(join(browser, 'index.html'), new Date(), new Date(Date.now() + 5000));
    const res = await t.app.inject({ method: 'GET', url: '/profile' });
    assert.match(res.body, /rebuilt/);
    assert.deepEqual(preloads(res.body), ['chunk-PROFILE.js', 'chunk-TAB.js']);
    // While ng build has emptied its output, the page read last is answered.
    rmSync(join(browser, 'index.html'));
    const during = await t.app.inject({ method: 'GET', url: '/profile' });
    assert.equal(during.statusCode, 200);
    assert.match(during.body, /rebuilt/);
  });

  it('answers the page as built when there is no stats.json or it is broken', () => {
    assert.deepEqual(lazyChunks(join(dir, 'nowhere')), []);
    assert.deepEqual(lazyChunks(browser, ['src/app/missing.ts']), []);
    writeFileSync(join(dir, 'stats.json'), '{broken');
    assert.deepEqual(lazyChunks(browser), []);
    assert.equal(withPreloads(INDEX, []), INDEX);
    assert.equal(withPreloads('<p>no body end', ['a.js']), '<p>no body end');
  });
});
