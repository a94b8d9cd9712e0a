/**
 * Issue 13, item 1: an encrypted upload must not freeze the server. A file asking for millions of
 * key-derivation iterations is refused at once (JOC-411 naming the count); a real file at the cap
 * still imports, decrypted in a worker thread, while another account's requests keep answering.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { MAX_KDF_ITERATIONS } from '../../src/pki/kdf-limits';
import { p12With, pkcs8With } from '../../src/pki/testdata/crafted';
import {
  MAX_DECRYPT_WORKERS,
  MAX_WAITING_DECRYPTS,
  readKeyMaterialOffThread,
} from '../src/keys/decrypt-off-thread';
import { ROOT, tempDir, testApp, type TestApp } from './helpers';

const TESTDATA = join(ROOT, 'src', 'pki', 'testdata');
/** What "does not delay another request" means on a busy 2-core machine; the stalls were 5-40 s. */
const RESPONSIVE_MS = 1000;

let fx: string;
/** openssl pkcs12 -export -iter 1000000: the MAC alone is ~2 s of JavaScript hashing. */
let atCapP12: Uint8Array;
let atCapCaP12: Uint8Array;
before(() => {
  fx = tempDir('joc-stall-fx-');
  const export12 = (key: string, cert: string, out: string) => {
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      join(TESTDATA, key),
      '-in',
      join(TESTDATA, cert),
      '-iter',
      String(MAX_KDF_ITERATIONS),
      '-passout',
      'pass:secret',
      '-out',
      join(fx, out),
    ]);
    return new Uint8Array(readFileSync(join(fx, out)));
  };
  atCapP12 = export12('ec256.pkcs8.pem', 'ec256.crt.pem', 'key.p12');
  atCapCaP12 = export12('ca.pkcs8.pem', 'ca.crt.pem', 'ca.p12');
});
after(() => rmSync(fx, { recursive: true, force: true }));

/**
 * Runs `upload` while another account asks for /joc/properties every 20 ms; returns the upload's
 * answer, the slowest of those answers, and the event loop's longest delay meanwhile.
 */
async function whileTimed(
  t: TestApp,
  otherToken: string,
  upload: () => Promise<LightMyRequestResponse>,
): Promise<{ res: LightMyRequestResponse; slowestOther: number; loopDelay: number; took: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const start = performance.now();
  let done = false;
  const pending = upload().finally(() => (done = true));
  let slowestOther = 0;
  let asked = 0;
  while (!done || asked < 3) {
    const sent = performance.now();
    const other = await t.post('joc/properties', otherToken);
    assert.equal(other.statusCode, 200, other.body);
    slowestOther = Math.max(slowestOther, performance.now() - sent);
    asked++;
    await new Promise((r) => setTimeout(r, 20));
  }
  const res = await pending;
  const took = performance.now() - start;
  loop.disable();
  return { res, slowestOther, loopDelay: loop.max / 1e6, took };
}

function assertResponsive(
  ctx: { diagnostic(message: string): void },
  r: { slowestOther: number; loopDelay: number; took: number },
): void {
  ctx.diagnostic(
    `upload answered in ${Math.round(r.took)} ms; another request waited at most ${Math.round(r.slowestOther)} ms; event loop delay at most ${Math.round(r.loopDelay)} ms`,
  );
  assert.ok(r.slowestOther < RESPONSIVE_MS, `another request waited ${r.slowestOther} ms`);
  assert.ok(r.loopDelay < RESPONSIVE_MS, `the event loop stalled ${r.loopDelay} ms`);
}

function assertRefused(res: LightMyRequestResponse, count: string): void {
  assert.equal(res.statusCode, 420, res.body);
  assert.equal(res.json().error.code, 'JOC-411');
  assert.match(
    res.json().error.message,
    new RegExp(`asks for ${count} iterations; at most 1,000,000 are accepted`),
  );
}

for (const [route, fields] of [
  ['profile/key/import', { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' }],
  ['profile/ca/import', {}],
] as const) {
  describe(`${route}: encrypted files do not freeze the server`, () => {
    let t: TestApp;
    let manager: string;
    let viewer: string;
    before(async () => {
      t = await testApp({ level: 'LOW' });
      manager = await t.login('root');
      viewer = await t.login('viewer');
    });
    after(() => t.close());

    it('a .p12 whose MAC asks for 2,000,000 iterations: JOC-411 at once, others unaffected', async (ctx) => {
      const before = t.snapshot();
      const r = await whileTimed(t, viewer, () =>
        t.upload(route, manager, { ...fields, password: 'secret' }, [
          { filename: 'mac.p12', content: p12With('ec256.p12', 'mac', 2_000_000n) },
        ]),
      );
      assertRefused(r.res, '2,000,000');
      assertResponsive(ctx, r);
      assert.equal(t.snapshot(), before);
    });

    it('a PKCS#8 key at 5,000,000 iterations with a wrong password: JOC-411 at once', async (ctx) => {
      const before = t.snapshot();
      const r = await whileTimed(t, viewer, () =>
        t.upload(route, manager, { ...fields, password: 'wrong' }, [
          { filename: 'key.der', content: pkcs8With(5_000_000n) },
        ]),
      );
      assertRefused(r.res, '5,000,000');
      assertResponsive(ctx, r);
      assert.equal(t.snapshot(), before);
    });

    it('a real .p12 at the cap imports, decrypted off the event loop', async (ctx) => {
      const content = route === 'profile/ca/import' ? atCapCaP12 : atCapP12;
      const r = await whileTimed(t, viewer, () =>
        t.upload(route, manager, { ...fields, password: 'secret' }, [
          { filename: 'cap.p12', content },
        ]),
      );
      assert.equal(r.res.statusCode, 200, r.res.body);
      assertResponsive(ctx, r);
      const shown = await t.post(
        route === 'profile/ca/import' ? 'profile/ca' : 'profile/key',
        manager,
      );
      assert.match(shown.json().privateKey ?? '', /-----BEGIN PRIVATE KEY-----/, shown.body);
    });
  });
}

describe('the decryption time limit', () => {
  it('stops a file that takes longer and answers why; the next file opens', async () => {
    const stopped = await readKeyMaterialOffThread(atCapP12, 'secret', { timeLimitMs: 200 });
    assert.equal(stopped.ok, false);
    if (!stopped.ok) {
      assert.equal(stopped.reason, 'too-costly');
      assert.match(stopped.message, /took longer than 0\.2 seconds and was stopped/);
    }
    const next = await readKeyMaterialOffThread(
      pkcs8With(2048n),
      'wrong',
      // The worker that was stopped is replaced.
      { timeLimitMs: 60_000 },
    );
    assert.equal(!next.ok && next.reason, 'wrong-passphrase');
  });

  it('at most 4 wait for a worker, more are refused at once; a client that left frees its place', async () => {
    const started: Array<{ stop: AbortController; answer: Promise<unknown> }> = [];
    const start = () => {
      const stop = new AbortController();
      const answer = readKeyMaterialOffThread(atCapP12, 'secret', { signal: stop.signal });
      started.push({ stop, answer });
      return answer;
    };
    const settledNow = async (answer: Promise<unknown>) =>
      Promise.race([answer.then(() => true), new Promise((r) => setTimeout(() => r(false), 300))]);
    try {
      // Two decrypt (each takes seconds at the cap), four wait.
      for (let i = 0; i < MAX_DECRYPT_WORKERS + MAX_WAITING_DECRYPTS; i++) void start();
      const refused = await readKeyMaterialOffThread(atCapP12, 'secret');
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.reason, 'too-costly');
      assert.match(!refused.ok ? refused.message : '', /opening other uploaded files/);
      // A waiting client goes away: it is answered at once and its place is free again.
      const waiter = started[MAX_DECRYPT_WORKERS];
      waiter.stop.abort();
      assert.equal(await settledNow(waiter.answer), true, 'the waiting request ends at once');
      const next = start();
      assert.equal(await settledNow(next), false, 'the next file waits instead of being refused');
      // A client whose file is being decrypted goes away: its worker is stopped.
      started[0].stop.abort();
      const gone = (await started[0].answer) as { ok: boolean; message: string };
      assert.equal(gone.ok, false);
      assert.match(gone.message, /ended before its file was opened/);
    } finally {
      for (const { stop } of started) stop.abort();
      await Promise.all(started.map((s) => s.answer));
    }
  });

  it('files without a password are read in place (nothing to decrypt)', async () => {
    const read = await readKeyMaterialOffThread(
      readFileSync(join(TESTDATA, 'ec256.pkcs8.pem')),
      undefined,
    );
    assert.ok(read.ok && read.value.privateKey);
  });
});
