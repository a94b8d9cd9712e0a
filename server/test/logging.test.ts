/**
 * The log `npm start` writes: no credentials, no key material, no query strings of API calls.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loggedUrl, serverLogger } from '../src/http/logging';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { basic, openssl, opensslPair, tempDir, testApp } from './helpers';

describe('the server log', () => {
  it('replaces the query string of API calls; pages keep theirs', () => {
    assert.equal(
      loggedUrl('/joc/api/joc/properties?token=abc'),
      '/joc/api/joc/properties?[redacted]',
    );
    assert.equal(loggedUrl('/joc/api/profile/key'), '/joc/api/profile/key');
    assert.equal(loggedUrl('/login?returnUrl=%2Fprofile'), '/login?returnUrl=%2Fprofile');
  });

  it('holds no token, password, private key or API query string', async () => {
    let log = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        done();
      },
    });
    const fx = tempDir('joc-fx-');
    const pair = opensslPair(fx);
    const t = await testApp({ extra: { logger: { ...serverLogger('info'), stream } } });
    try {
      const token = await t.login('root');
      const stored = await t.post('profile/key/store?secret=in-the-query', token, {
        keys: { keyAlgorithm: 'ECDSA', privateKey: pair.key, certificate: pair.cert },
      });
      assert.equal(stored.statusCode, 200, stored.body);
      assert.match(log, /profile\/key\/store\?\[redacted\]/);
      for (const secret of [token, 'in-the-query', 'PRIVATE KEY', 'Basic ', btoa('root:root')])
        assert.ok(!log.includes(secret), secret);
    } finally {
      await t.close();
      rmSync(fx, { recursive: true, force: true });
    }
  });

  it('has one info line per audit record: who, what, whose key, certificate, comment', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    let log = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const fx = tempDir('joc-fx-');
    const pair = opensslPair(fx, { cn: 'audited signer' });
    const p12 = openssl([
      'pkcs12',
      '-export',
      '-inkey',
      pair.keyFile,
      '-in',
      pair.certFile,
      '-passout',
      'pass:p12-Secret',
    ]);
    const t = await testApp({ extra: { logger: { ...serverLogger('info'), stream } } });
    try {
      const token = await t.login('root');
      const calls = [
        await t.post('profile/key/store', token, {
          keys: { keyAlgorithm: 'ECDSA', privateKey: pair.key, certificate: pair.cert },
          auditLog: { comment: 'Key rotation', ticketLink: 'T-17' },
        }),
        await t.upload(
          'profile/key/import',
          token,
          { importKeyFilter: '{"keyAlgorithm":"ECDSA"}', password: 'p12-Secret' },
          [{ filename: 'k.p12', content: p12 }],
        ),
        await t.post('profile/key/delete', token, {
          auditLog: { comment: '-----BEGIN PRIVATE KEY----- pasted by mistake' },
        }),
        await t.post('profile/ca/generate', token, { dn: 'CN=Audited CA' }),
        await t.post('profile/key/store', await t.login('viewer'), {
          keys: { keyAlgorithm: 'ECDSA', privateKey: pair.key, certificate: pair.cert },
        }),
        await t.app.inject({
          method: 'POST',
          url: '/joc/api/authentication/login',
          headers: { authorization: basic('root', 'wrong-Password') },
        }),
        await t.app.inject({
          method: 'POST',
          url: '/joc/api/authentication/login',
          headers: { authorization: basic('Typed-Pass-Word', 'x') },
        }),
      ];
      assert.deepEqual(
        calls.map((c) => c.statusCode),
        [200, 200, 200, 200, 403, 401, 401],
        calls.map((c) => c.body).join('\n'),
      );
      const audit = lines.filter((l) => l.msg.startsWith('audit: '));
      assert.ok(audit.every((l) => l.level === 30));
      assert.deepEqual(
        audit.map((l) => l.msg),
        [
          'audit: "root" stored the signing key of "root", certificate "CN=audited signer,O=JS7"; comment "Key rotation", ticket "T-17"',
          'audit: "root" imported the signing key of "root", certificate "CN=audited signer,O=JS7"',
          'audit: "root" deleted the signing key of "root"; comment (not shown: it holds a PEM block)',
          'audit: "root" generated the SSL CA, certificate "CN=Audited CA"',
          'audit: "viewer" was refused profile/key/store from 127.0.0.1: comment "Refused: the account lacks the permission sos:products:joc:administration:certificates:manage."',
          'audit: login refused for account "root" from 127.0.0.1: comment "Login refused: wrong password."',
          'audit: login refused for an unknown account from 127.0.0.1: comment "Login refused: no such account (the name typed is not recorded)."',
        ],
      );
      const db = new Database(join(t.dir, 'joc.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
      db.close();
      assert.equal(audit.length, rows.n, 'one line per audit record');
      for (const secret of [
        token,
        'PRIVATE',
        'BEGIN',
        'p12-Secret',
        'wrong-Password',
        'Typed-Pass-Word',
        'Basic ',
      ])
        assert.ok(!log.includes(secret), secret);
      assert.ok(!log.includes(pair.key.split('\n')[1]!), 'no key material');
    } finally {
      await t.close();
      rmSync(fx, { recursive: true, force: true });
    }
  });
});
