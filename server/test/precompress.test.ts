/**
 * Compressed copies of the console's files: made beside them, answered to browsers that accept
 * them (brotli first, then gzip), the file itself to others; remade when the build changes a
 * file; never a copy that does not save anything; a read-only build is served as it is.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompress } from '../src/http/precompress';
import { tempDir, testApp, type TestApp } from './helpers';

/** Text that compresses well, like a bundle. */
const script = (n: number) =>
  Array.from({ length: n }, (_, i) => `export function f${i}(a,b){return a+b+${i % 7};}`).join(
    '\n',
  );

describe('precompressed static files', () => {
  let dir: string;
  let t: TestApp;
  /** Copies the first run wrote (main.js and styles.css twice each, index.html's when it saves enough). */
  let copies = 0;
  before(async () => {
    dir = tempDir('joc-precompress-');
    mkdirSync(join(dir, 'media'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>console</title><script src="main.js" type="module"></script>',
    );
    writeFileSync(join(dir, 'main.js'), script(2000));
    writeFileSync(join(dir, 'styles.css'), 'body{margin:0}'.repeat(500));
    writeFileSync(join(dir, 'tiny.js'), 'x');
    writeFileSync(join(dir, 'media', 'font.woff2'), Buffer.alloc(4000, 7));
    writeFileSync(join(dir, 'chunk-AB12CD34.js'), script(500));
    writeFileSync(join(dir, 'media', 'roboto-EF56GH78.woff2'), Buffer.alloc(4000, 7));
    const first = await precompress(dir);
    assert.equal(first.current, 0);
    copies = first.written;
    // The app's own background run is off: the tests run precompress() themselves.
    t = await testApp({ staticDir: dir, extra: { precompress: false } });
  });
  /** The copies were made before the build changed their file. */
  const makeOlder = (...files: string[]) => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const file of files) utimesSync(join(dir, file), hourAgo, hourAgo);
  };
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes brotli and gzip copies of scripts and styles only, and only when they save something', () => {
    for (const file of ['main.js', 'styles.css']) {
      assert.equal(
        brotliDecompressSync(readFileSync(join(dir, `${file}.br`))).toString(),
        readFileSync(join(dir, file), 'utf8'),
      );
      assert.equal(
        gunzipSync(readFileSync(join(dir, `${file}.gz`))).toString(),
        readFileSync(join(dir, file), 'utf8'),
      );
    }
    assert.ok(!existsSync(join(dir, 'tiny.js.br')), 'one byte does not get smaller');
    assert.ok(!existsSync(join(dir, 'media', 'font.woff2.br')), 'fonts are compressed already');
  });

  it('lets the browser keep files named after their content for good, and asks again for the others', async () => {
    for (const encoding of ['br', 'gzip', undefined])
      for (const url of ['/chunk-AB12CD34.js', '/media/roboto-EF56GH78.woff2']) {
        const res = await t.app.inject({
          method: 'GET',
          url,
          headers: encoding ? { 'accept-encoding': encoding } : {},
        });
        assert.equal(res.statusCode, 200, url);
        assert.equal(
          res.headers['cache-control'],
          'public, max-age=31536000, immutable',
          `${url} ${encoding}`,
        );
      }
    // A name that does not change with the content: the browser asks whether it changed.
    for (const url of ['/main.js', '/media/font.woff2']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.doesNotMatch(String(res.headers['cache-control']), /immutable|max-age=[1-9]/, url);
    }
  });

  it('answers brotli, gzip or the file itself by Accept-Encoding, with Vary', async () => {
    const get = (encoding?: string) =>
      t.app.inject({
        method: 'GET',
        url: '/main.js',
        headers: encoding ? { 'accept-encoding': encoding } : {},
      });
    const br = await get('gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['vary']), /accept-encoding/i);
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), script(2000));
    const gz = await get('gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.rawPayload).toString(), script(2000));
    const plain = await get();
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, script(2000));
    assert.ok(
      br.rawPayload.length < plain.rawPayload.length / 4,
      `${br.rawPayload.length} of ${plain.rawPayload.length} bytes`,
    );
  });

  it('keeps current copies and remakes the copy of a file the build changed', async () => {
    assert.ok(copies >= 4, String(copies));
    assert.deepEqual(await precompress(dir), { written: 0, current: copies });
    writeFileSync(join(dir, 'main.js'), script(3000));
    makeOlder('main.js.br', 'main.js.gz');
    assert.deepEqual(await precompress(dir), { written: 2, current: copies - 2 });
    const res = await t.app.inject({
      method: 'GET',
      url: '/main.js',
      headers: { 'accept-encoding': 'br' },
    });
    assert.equal(brotliDecompressSync(res.rawPayload).toString(), script(3000));
  });

  it('when a copy cannot be written, sends the file as it is (the outdated copy is removed, not sent)', async () => {
    writeFileSync(join(dir, 'styles.css'), 'p{color:red}'.repeat(600));
    makeOlder('styles.css.br', 'styles.css.gz');
    // The temporary names are taken by directories: writing fails (as in a read-only build; chmod
    // does not stop root, who runs these tests in CI).
    for (const suffix of ['.br', '.gz'])
      mkdirSync(join(dir, `styles.css${suffix}.${process.pid}.tmp`));
    const result = await precompress(dir);
    assert.equal(result.written, 0);
    assert.ok(!existsSync(join(dir, 'styles.css.br')) && !existsSync(join(dir, 'styles.css.gz')));
    const res = await t.app.inject({
      method: 'GET',
      url: '/styles.css',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body, 'p{color:red}'.repeat(600));
  });
});

describe('the server makes the copies itself', () => {
  it('in the background after it starts', async () => {
    const dir = tempDir('joc-precompress-bg-');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'main.js'), script(3000));
    const t = await testApp({ staticDir: dir });
    try {
      const deadline = Date.now() + 10_000;
      while (!existsSync(join(dir, 'main.js.gz')) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(existsSync(join(dir, 'main.js.br')) && existsSync(join(dir, 'main.js.gz')));
      const res = await t.app.inject({
        method: 'GET',
        url: '/main.js',
        headers: { 'accept-encoding': 'br' },
      });
      assert.equal(res.headers['content-encoding'], 'br');
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
