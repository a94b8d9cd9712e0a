/**
 * Every write is one transaction: 50 parallel stores end with exactly one consistent pair, and a
 * process killed with SIGKILL while writing leaves the last committed pair intact and consistent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SigningKeys } from '../src/keys/signing-keys';
import { SslCa } from '../src/keys/ssl-ca';
import { openStore } from '../src/store';
import { opensslPair, pairMatches, tempDir, testApp, type TestApp, type PemPair } from './helpers';

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
        pairs.map((p, i) =>
          t.post('profile/key/store', token, {
            keys: { privateKey: p.key, certificate: p.cert, keyAlgorithm: 'ECDSA' },
            auditLog: { comment: `parallel ${i}` },
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.statusCode),
        pairs.map(() => 200),
      );
      const shown = (await t.post('profile/key', token)).json();
      assert.ok(
        pairMatches(shown.privateKey, shown.certificate),
        'key and certificate belong together',
      );
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
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(__dirname, 'writer-child.ts'), dataDir, pairsFile],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
          child.on('exit', (code, signal) => resolve(signal ?? code)),
        );
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
          assert.ok(
            pairMatches(stored.privateKey, stored.certificate),
            'key and certificate belong together',
          );
          // The last printed write is committed; the next one may have committed before the kill.
          const candidates = [few[last % few.length], few[(last + 1) % few.length]];
          assert.ok(
            candidates.some((p) => p.cert.trim() === stored.certificate!.trim()),
            `stored pair is write ${last} or ${last + 1}`,
          );
          const audit = store.auditLog.list({ limit: 1 })[0];
          assert.ok(
            audit.comment === `write ${last}` || audit.comment === `write ${last + 1}`,
            String(audit.comment),
          );
        } finally {
          store.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the /profile/key answer', () => {
  it('follows every write, in this process and from another connection', async () => {
    const t = await testApp({ level: 'LOW' });
    try {
      const token = await t.login('root');
      const show = async () => (await t.post('profile/key', token)).json();
      assert.deepEqual(await show(), {});
      assert.equal(
        (await t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA', dn: 'CN=first' }))
          .statusCode,
        200,
      );
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

describe('row versions', () => {
  it('a database from before them gets them, and its stored pair is answered and followed', async () => {
    const dir = tempDir();
    // The schema as it was before: no version column, no triggers.
    const store = openStore(dir);
    store.db.exec(`
      DROP TRIGGER signing_keys_inserted;
      DROP TRIGGER signing_keys_updated;
      ALTER TABLE signing_keys DROP COLUMN version;
    `);
    const schema = store.db.pragma('user_version', { simple: true }) as number;
    store.db.pragma(`user_version = ${schema - 1}`);
    store.db
      .prepare(
        `INSERT INTO signing_keys (owner, security_level, key_algorithm, private_key, certificate, updated_at)
         VALUES ('root', 'LOW', 'ECDSA', ?, ?, '2026-01-01T00:00:00.000Z')`,
      )
      .run(pairs[1].key, pairs[1].cert);
    store.close();
    const t = await testApp({ level: 'LOW', dir });
    try {
      const token = await t.login('root');
      const show = async () => (await t.post('profile/key', token)).json();
      assert.equal((await show()).keyID, 'CN=parallel-1,O=JS7');
      const other = new Database(join(dir, 'joc.sqlite'));
      other
        .prepare("UPDATE signing_keys SET certificate = ? WHERE owner = 'root'")
        .run(pairs[2].cert);
      other.close();
      assert.equal((await show()).keyID, 'CN=parallel-2,O=JS7');
    } finally {
      await t.close();
    }
  });
});

describe('a database written by a newer server', () => {
  it('is refused with its schema number, and left as it is', () => {
    const dir = tempDir();
    try {
      const store = openStore(dir);
      store.db.pragma('user_version = 99');
      store.close();
      assert.throws(() => openStore(dir), /newer server \(schema 99, this server knows \d+\)/);
      const raw = new Database(join(dir, 'joc.sqlite'));
      assert.equal(raw.pragma('user_version', { simple: true }), 99);
      raw.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('two servers starting on one fresh data directory', () => {
  it('both open it: the one that waited finds the schema the other made', async () => {
    const dir = tempDir();
    try {
      // Holds the write lock, so that both processes read the schema version before either migrates.
      const holder = new Database(join(dir, 'joc.sqlite'));
      holder.pragma('journal_mode = WAL');
      holder.exec('BEGIN IMMEDIATE');
      const store = join(__dirname, '..', 'src', 'store', 'index.ts');
      const open = () => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            '-e',
            `import(${JSON.stringify(store)}).then((m) => {
               process.stdout.write('loaded\\n');
               setTimeout(() => (m.default ?? m).openStore(${JSON.stringify(dir)}).close(), 50);
             })`,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        const loaded = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
        const exited = new Promise<{ code: number | null; err: string }>((resolve) =>
          child.on('exit', (code) => resolve({ code, err })),
        );
        return { loaded, exited };
      };
      const servers = [open(), open()];
      await Promise.all(servers.map((s) => s.loaded));
      await new Promise((resolve) => setTimeout(resolve, 500));
      holder.exec('COMMIT');
      holder.close();
      const results = await Promise.all(servers.map((s) => s.exited));
      assert.deepEqual(
        results.map((r) => r.code),
        [0, 0],
        results.map((r) => r.err).join('\n'),
      );
      const store2 = openStore(dir);
      assert.equal(store2.keys.get('root', 'LOW'), undefined);
      store2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Another process on the same data directory, driven one committed write at a time (writer-child.ts). */
async function otherProcess(
  t: TestApp,
): Promise<{ send(command: object): Promise<void>; stop(): Promise<void> }> {
  const rootHash = t.config.accounts.find((a) => a.account === 'root')!.passwordHash;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'writer-child.ts'), t.dir, '--commands'],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ROOT_PASSWORD_HASH: rootHash } },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let buffered = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const nextLine = () =>
    Promise.race([
      new Promise<string>((resolve) =>
        lines.length ? resolve(lines.shift()!) : waiting.push(resolve),
      ),
      exited.then(() => Promise.reject(new Error(`the other process exited: ${err}`))),
    ]);
  assert.equal(await nextLine(), 'ready');
  return {
    async send(command) {
      child.stdin.write(JSON.stringify(command) + '\n');
      assert.equal(await nextLine(), 'done');
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

describe('reads are never stale', () => {
  it('a write by another process on the same database is seen by the very next read', async () => {
    const t = await testApp({ level: 'LOW' });
    const other = await otherProcess(t);
    try {
      const token = await t.login('root');
      const show = async () => (await t.post('profile/key', token)).json();
      assert.deepEqual(await show(), {});
      for (let i = 0; i < 6; i++) {
        await other.send({ store: { key: pairs[i].key, cert: pairs[i].cert } });
        const shown = await show();
        assert.equal(shown.keyID, `CN=parallel-${i},O=JS7`, `write ${i} is seen`);
        assert.equal(shown.certificate.trim(), pairs[i].cert.trim());
        assert.ok(pairMatches(shown.privateKey, shown.certificate));
        // The readiness check reads the same row.
        const check = (await t.post('profile/key/check', token)).json();
        assert.match(
          check.checks.find((c: { id: string }) => c.id === 'certificate-present').message,
          new RegExp(`parallel-${i}\\b`),
        );
      }
      await other.send({ delete: true });
      assert.deepEqual(await show(), {});
      // A logout in the other process ends this server's session at once.
      await other.send({ logout: token });
      assert.equal((await t.post('profile/key', token)).statusCode, 401);
    } finally {
      await other.stop();
      await t.close();
    }
  });

  it('a commit by another connection between two reads of one event-loop turn is seen by the second', async () => {
    const t = await testApp({ level: 'LOW' });
    const other = new Database(join(t.dir, 'joc.sqlite'));
    try {
      const token = await t.login('root');
      await t.post('profile/key/store', token, {
        keys: { privateKey: pairs[0].key, certificate: pairs[0].cert, keyAlgorithm: 'ECDSA' },
      });
      const keyIDs: string[] = [];
      const statuses: number[] = [];
      // Both requests are handled before the event loop turns; the other connection commits between them.
      await new Promise<void>((resolve, reject) => {
        const first = t.app.inject({
          method: 'POST',
          url: '/joc/api/profile/key',
          headers: { 'x-access-token': token },
          payload: {},
        });
        first
          .then((res) => {
            keyIDs.push(res.json().keyID);
            other
              .prepare('UPDATE signing_keys SET certificate = ? WHERE owner = ?')
              .run(pairs[1].cert, 'root');
            other.prepare('DELETE FROM sessions').run();
            return t.app.inject({
              method: 'POST',
              url: '/joc/api/profile/key',
              headers: { 'x-access-token': token },
              payload: {},
            });
          })
          .then((res) => {
            statuses.push(res.statusCode);
            resolve();
          }, reject);
      });
      assert.deepEqual(keyIDs, ['CN=parallel-0,O=JS7']);
      assert.deepEqual(statuses, [401], 'the session deleted by the other connection is gone');
      const again = await t.login('root');
      assert.equal((await t.post('profile/key', again)).json().keyID, 'CN=parallel-1,O=JS7');
    } finally {
      other.close();
      await t.close();
    }
  });

  it('a change to one field of the stored row (the certificate unchanged) is answered at once', async () => {
    const t = await testApp({ level: 'LOW' });
    const other = new Database(join(t.dir, 'joc.sqlite'));
    try {
      const token = await t.login('root');
      await t.post('profile/key/store', token, {
        keys: { privateKey: pairs[2].key, certificate: pairs[2].cert, keyAlgorithm: 'ECDSA' },
      });
      assert.equal(
        (await t.post('profile/key', token)).json().privateKey.trim(),
        pairs[2].key.trim(),
      );
      other
        .prepare('UPDATE signing_keys SET private_key = ? WHERE owner = ?')
        .run(pairs[3].key, 'root');
      const shown = (await t.post('profile/key', token)).json();
      assert.equal(shown.privateKey, pairs[3].key);
      assert.equal(shown.keyID, 'CN=parallel-2,O=JS7');
      // The viewer's answer of the same row never carries the private key (LOW: only root's).
      const viewer = await t.login('viewer');
      assert.equal((await t.post('profile/key', viewer)).json().privateKey, undefined);
      assert.equal((await t.post('profile/key', token)).json().privateKey, pairs[3].key);
    } finally {
      other.close();
      await t.close();
    }
  });

  it('requests aborted mid-body or mid-answer leave one consistent pair, and the next read shows it', async () => {
    const t = await testApp({ level: 'LOW' });
    try {
      const token = await t.login('root');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as AddressInfo;
      /** Sends `body` up to `cutAt`, then drops the connection after `abortAfterMs`, or as soon as the answer starts ('answer'). */
      const send = (path: string, body: string, cutAt: number, abortAfter: number | 'answer') =>
        new Promise<void>((resolve) => {
          const req = httpRequest({
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/joc/api/${path}`,
            headers: {
              'content-type': 'application/json',
              'x-access-token': token,
              'content-length': Buffer.byteLength(body),
            },
          });
          req.on('error', () => resolve());
          req.on('close', () => resolve());
          req.on('response', (res) => (abortAfter === 'answer' ? req.destroy() : res.resume()));
          req.write(body.slice(0, cutAt));
          if (abortAfter !== 'answer') setTimeout(() => req.destroy(), abortAfter);
        });
      const stores = pairs.slice(0, 20).map((p, i) => {
        const body = JSON.stringify({
          keys: { privateKey: p.key, certificate: p.cert, keyAlgorithm: 'ECDSA' },
          auditLog: { comment: `aborted ${i}` },
        });
        // Even: cut inside the body (never complete); odd: the whole body, then gone soon or as the answer starts.
        if (i % 2 === 0) return send('profile/key/store', body, Math.floor(body.length / 2), i % 3);
        return send('profile/key/store', body, body.length, i % 4 === 1 ? 'answer' : i);
      });
      const reads = Array.from({ length: 20 }, (_, i) => send('profile/key', '{}', 2, i % 2));
      await Promise.all([...stores, ...reads]);
      // Let the server finish what it received in full.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const snapshot = JSON.parse(t.snapshot());
      assert.ok(
        snapshot.audit.every((row: { comment: string }) =>
          /^aborted \d*[13579]$/.test(row.comment),
        ),
        'only complete bodies were stored',
      );
      assert.ok(
        snapshot.audit.length >= 5,
        'the calls dropped as their answer started were stored',
      );
      const shown = (await t.post('profile/key', token)).json();
      if (snapshot.keys.length === 0) {
        assert.deepEqual(shown, {});
      } else {
        assert.ok(
          pairMatches(shown.privateKey, shown.certificate),
          'key and certificate belong together',
        );
        const newest = Number(snapshot.audit[snapshot.audit.length - 1].comment.split(' ')[1]);
        assert.equal(
          shown.certificate.trim(),
          pairs[newest].cert.trim(),
          'the newest audit row is the pair shown',
        );
        assert.equal(snapshot.keys[0].certificate.trim(), pairs[newest].cert.trim());
      }
    } finally {
      await t.close();
    }
  });

  it('the session lookup and the key read see another connection at once, with no await between', () => {
    const dataDir = tempDir('joc-fresh-');
    const mine = openStore(dataDir);
    const theirs = openStore(dataDir);
    try {
      const now = Date.now();
      const token = mine.sessions.create('root', now);
      assert.equal(mine.sessions.use(token, now, 60_000).state, 'active');
      theirs.sessions.delete(token);
      assert.equal(mine.sessions.use(token, now, 60_000).state, 'unknown');
      const audit = { account: 'root', created: new Date(now), request: 'profile/key/store' };
      theirs.keys.put('root', 'LOW', { keyAlgorithm: 'ECDSA', privateKey: pairs[0].key }, audit);
      assert.equal(mine.keys.get('root', 'LOW')?.privateKey, pairs[0].key);
      theirs.keys.put('root', 'LOW', { keyAlgorithm: 'ECDSA', privateKey: pairs[1].key }, audit);
      assert.equal(mine.keys.get('root', 'LOW')?.privateKey, pairs[1].key);
    } finally {
      mine.close();
      theirs.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an import merged with what another call replaced meanwhile', () => {
  /**
   * The services on a store whose reads of the pair and the CA are followed at once, once, by
   * `write`: another admin's call, from another connection, between this call's read and write.
   */
  function racedServices(t: TestApp, write: (db: Database.Database) => void) {
    const store = openStore(t.dir);
    const other = new Database(join(t.dir, 'joc.sqlite'));
    let pending = true;
    const after =
      <A extends unknown[], R>(read: (...args: A) => R) =>
      (...args: A): R => {
        const value = read(...args);
        if (pending) write(other);
        pending = false;
        return value;
      };
    store.keys.get = after(store.keys.get.bind(store.keys));
    store.keys.getCa = after(store.keys.getCa.bind(store.keys));
    const ctx = { config: t.config, store, now: () => new Date() };
    return {
      keys: new SigningKeys(ctx),
      ca: new SslCa(ctx),
      close: () => {
        other.close();
        store.close();
      },
    };
  }

  const bytes = (text: string) => new TextEncoder().encode(text);

  it('a signing key: JOC-420 "import again", the other call\'s key stays, no audit row', async () => {
    const t = await testApp({ level: 'LOW' });
    const [a, b] = [opensslPair(t.dir, { cn: 'a' }), opensslPair(t.dir, { cn: 'b' })];
    const raced = racedServices(t, (db) =>
      db
        .prepare("UPDATE signing_keys SET private_key = ?, certificate = ? WHERE owner = 'root'")
        .run(b.key, b.cert),
    );
    try {
      const token = await t.login('root');
      const stored = await t.post('profile/key/store', token, {
        keys: { keyAlgorithm: 'ECDSA', privateKey: a.key },
      });
      assert.equal(stored.statusCode, 200, stored.body);
      const audits = (await t.post('audit_log', token, {})).json().auditLog.length;
      // The certificate of the stored key is imported while another admin stores key b.
      await assert.rejects(
        raced.keys.importFile('root', bytes(a.cert), { keyAlgorithm: 'ECDSA' }),
        {
          code: 'JOC-420',
          message: /changed by another call.*nothing was stored\. Import the file again/,
        },
      );
      assert.equal((await t.post('profile/key', token)).json().certificate, b.cert);
      assert.equal((await t.post('audit_log', token, {})).json().auditLog.length, audits);
    } finally {
      raced.close();
      await t.close();
    }
  });

  for (const call of ['import', 'store'] as const)
    it(`the SSL CA's ${call}: JOC-420, the other call's CA stays, no audit row`, async () => {
      const t = await testApp({ level: 'LOW' });
      const [a, b] = [
        opensslPair(t.dir, { cn: 'CA a', ca: true }),
        opensslPair(t.dir, { cn: 'CA b', ca: true }),
      ];
      const raced = racedServices(t, (db) =>
        db.prepare('UPDATE ssl_ca SET private_key = ?, certificate = ?').run(b.key, b.cert),
      );
      try {
        const token = await t.login('root');
        const stored = await t.post('profile/ca/store', token, { privateKey: a.key });
        assert.equal(stored.statusCode, 200, stored.body);
        const audits = (await t.post('audit_log', token, {})).json().auditLog.length;
        await assert.rejects(
          call === 'import'
            ? raced.ca.importFile('root', bytes(a.cert), {})
            : raced.ca.save('root', { certificate: a.cert }),
          { code: 'JOC-420', message: /SSL CA was changed by another call.*nothing was stored/ },
        );
        assert.equal((await t.post('profile/ca', token)).json().certificate, b.cert);
        assert.equal((await t.post('audit_log', token, {})).json().auditLog.length, audits);
      } finally {
        raced.close();
        await t.close();
      }
    });

  it('with nobody writing meanwhile, both imports go through', async () => {
    const t = await testApp({ level: 'LOW' });
    const raced = racedServices(t, () => undefined);
    try {
      const a = opensslPair(t.dir, { cn: 'a' });
      const ca = opensslPair(t.dir, { cn: 'CA', ca: true });
      const token = await t.login('root');
      await t.post('profile/key/store', token, {
        keys: { keyAlgorithm: 'ECDSA', privateKey: a.key },
      });
      await t.post('profile/ca/store', token, { privateKey: ca.key });
      await raced.keys.importFile('root', bytes(a.cert), { keyAlgorithm: 'ECDSA' });
      await raced.ca.importFile('root', bytes(ca.cert), {});
      assert.equal((await t.post('profile/key', token)).json().certificate, a.cert);
      assert.equal((await t.post('profile/ca', token)).json().certificate, ca.cert);
    } finally {
      raced.close();
      await t.close();
    }
  });
});
