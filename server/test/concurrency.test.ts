/**
 * Every write is one transaction: 50 parallel stores end with exactly one consistent pair, and a
 * process killed with SIGKILL while writing leaves the last committed pair intact and consistent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../src/store';
import { opensslPair, pairMatches, tempDir, testApp, type PemPair } from './helpers';

let fx: string;
let pairs: PemPair[];
before(() => {
  fx = tempDir('joc-conc-fx-');
  pairs = Array.from({ length: 50 }, (_, i) => opensslPair(fx, { cn: `parallel-${i}` }));
});
after(() => rmSync(fx, { recursive: true, force: true }));

describe('concurrency and crashes', () => {
  it('50 parallel /profile/key/store calls of 50 different pairs end with exactly one consistent pair', async () => {
    const t = await testApp({ level: 'LOW' });
    try {
      const token = await t.login('root');
      const results = await Promise.all(
        pairs.map((p, i) => t.post('profile/key/store', token, { keys: { privateKey: p.key, certificate: p.cert, keyAlgorithm: 'ECDSA' }, auditLog: { comment: `parallel ${i}` } })),
      );
      assert.deepEqual(results.map((r) => r.statusCode), pairs.map(() => 200));
      const shown = (await t.post('profile/key', token)).json();
      assert.ok(pairMatches(shown.privateKey, shown.certificate), 'key and certificate belong together');
      const index = pairs.findIndex((p) => p.cert.trim() === shown.certificate.trim());
      assert.ok(index >= 0, 'the certificate is one of the stored ones');
      assert.equal(shown.keyID, `CN=parallel-${index},O=JS7`);
      const snapshot = JSON.parse(t.snapshot());
      assert.equal(snapshot.keys.length, 1);
      assert.equal(snapshot.audit.length, 50, 'one audit row per call');
      // The newest audit row is the write that won.
      assert.equal(snapshot.audit[49].comment, `parallel ${index}`);
    } finally {
      await t.close();
    }
  });

  it('a writer killed with SIGKILL leaves the last committed pair intact and consistent', async () => {
    const dataDir = tempDir('joc-crash-');
    const pairsFile = join(fx, 'pairs.json');
    const few = pairs.slice(0, 5);
    writeFileSync(pairsFile, JSON.stringify(few.map((p) => ({ key: p.key, cert: p.cert }))));
    try {
      for (let round = 0; round < 3; round++) {
        const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'writer-child.ts'), dataDir, pairsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (d) => {
            out += d;
            // Kill once it has committed a few writes, at a moment it is likely inside one.
            if (out.split('\n').length > 20 + round * 7) resolve();
          });
          child.on('exit', () => reject(new Error(`writer exited early: ${err}`)));
        });
        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');
        const printed = out.trim().split('\n').map(Number);
        const last = printed[printed.length - 1];

        const store = openStore(dataDir);
        try {
          assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
          const stored = store.keys.get('root', 'LOW');
          assert.ok(stored?.privateKey && stored.certificate, 'a pair is stored');
          assert.ok(pairMatches(stored.privateKey, stored.certificate), 'key and certificate belong together');
          // The last printed write is committed; the next one may have committed before the kill.
          const candidates = [few[last % few.length], few[(last + 1) % few.length]];
          assert.ok(
            candidates.some((p) => p.cert.trim() === stored.certificate!.trim()),
            `stored pair is write ${last} or ${last + 1}`,
          );
          const audit = store.auditLog.list(1)[0];
          assert.ok(audit.comment === `write ${last}` || audit.comment === `write ${last + 1}`, String(audit.comment));
        } finally {
          store.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the cached /profile/key answer', () => {
  it('follows every write, in this process and from another connection', async () => {
    const t = await testApp({ level: 'LOW' });
    try {
      const token = await t.login('root');
      const show = async () => (await t.post('profile/key', token)).json();
      assert.deepEqual(await show(), {});
      assert.equal((await t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA', dn: 'CN=first' })).statusCode, 200);
      assert.equal((await show()).keyID, 'CN=first');
      assert.equal((await show()).keyID, 'CN=first');
      // Another connection (another process, a restore) changes the row behind the server's back.
      const other = new Database(join(t.dir, 'joc.sqlite'));
      other.prepare("UPDATE signing_keys SET certificate = NULL WHERE owner = 'root'").run();
      other.close();
      const shown = await show();
      assert.equal(shown.certificate, undefined);
      assert.equal(shown.keyID, undefined);
      assert.equal((await t.post('profile/key/delete', token, {})).statusCode, 200);
      assert.deepEqual(await show(), {});
    } finally {
      await t.close();
    }
  });
});
