/**
 * The log `npm start` writes: no credentials, no key material, no query strings of API calls.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loggedUrl, serverLogger } from '../src/http/logging';
import { rmSync } from 'node:fs';
import { opensslPair, tempDir, testApp } from './helpers';

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
});
