/**
 * Login, sessions (401 / 440 via the injectable clock), logout, permissions and their
 * implication, properties, login throttling, envelopes, security headers, static files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp, SECURITY_HEADERS } from '../src/app';
import { resolveConfig } from '../src/config';
import { implies } from '../src/auth/permissions';
import { addressKey, KNOWN_ADDRESSES_PER_ACCOUNT, LoginThrottle } from '../src/auth/throttle';
import { basic, schemaErrors, tempDir, TEST_CONFIG, testApp, type TestApp } from './helpers';

const login = (t: TestApp, authorization: string | undefined, address = '127.0.0.1') =>
  t.app.inject({
    method: 'POST',
    url: '/joc/api/authentication/login',
    headers: authorization ? { authorization } : {},
    remoteAddress: address,
  });

function assertEnvelope(body: unknown, code: string): void {
  assert.equal(schemaErrors('common/error420-schema.json', body), '');
  assert.equal((body as { error: { code: string } }).error.code, code);
}

describe('authentication', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ sessionTimeoutSeconds: 60 });
  });
  after(() => t.close());

  it('logs in with HTTP Basic: token in the X-Access-Token header and in the body', async () => {
    const res = await login(t, basic('root', 'root'));
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(res.headers['x-access-token'], body.accessToken);
    assert.match(body.accessToken, /^[A-Za-z0-9_-]{40,}$/);
    assert.equal(body.account, 'root');
    assert.equal(body.isAuthenticated, true);
    assert.equal(body.sessionTimeout, 60_000);
    // As JOC Cockpit sends it: the role names joined into one string.
    assert.equal(body.role, 'administrator');
    // The token goes to the console alone, never into a cookie the browser would send elsewhere.
    assert.equal(res.headers['set-cookie'], undefined);
    const asCookie = await t.app.inject({
      method: 'POST',
      url: '/joc/api/profile/key',
      headers: { cookie: `joc-keys-page=${body.accessToken}; token=${body.accessToken}` },
      payload: {},
    });
    assert.equal(asCookie.statusCode, 401);
  });

  it('decodes the Basic header as UTF-8', async () => {
    const { config } = await resolveConfig(
      { accounts: [{ account: 'jürgen', password: 'pässwörd€', roles: ['viewer'] }] },
      { hashCost: { N: 1024 } },
    );
    const dir = tempDir();
    const app = await buildApp({ dataDir: dir, config });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/joc/api/authentication/login',
        headers: { authorization: basic('jürgen', 'pässwörd€') },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().account, 'jürgen');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 401 in the envelope for a wrong password, an unknown account, a missing or malformed header', async () => {
    for (const header of [
      basic('root', 'wrong'),
      basic('ghost', 'root'),
      undefined,
      'Bearer abc',
      'Basic !!!',
    ]) {
      const res = await login(t, header, `10.0.0.${Math.floor(Math.random() * 200)}`);
      assert.equal(res.statusCode, 401, String(header));
      assertEnvelope(res.json(), 'JOC-401');
      assert.equal(res.headers['x-access-token'], undefined);
    }
  });

  it('answers 401 for a missing or unknown token, 440 for an idle session, and keeps active sessions alive', async () => {
    const token = await t.login('viewer');
    assert.equal((await t.post('joc/properties', undefined)).statusCode, 401);
    assertEnvelope((await t.post('joc/properties', 'not-a-token')).json(), 'JOC-401');
    t.clock.advance(50_000);
    assert.equal(
      (await t.post('joc/properties', token)).statusCode,
      200,
      'used within the timeout',
    );
    t.clock.advance(50_000);
    assert.equal(
      (await t.post('joc/properties', token)).statusCode,
      200,
      'idle time restarts on every call',
    );
    t.clock.advance(61_000);
    const expired = await t.post('joc/properties', token);
    assert.equal(expired.statusCode, 440);
    assertEnvelope(expired.json(), 'JOC-440');
    assert.match(expired.json().error.message, /session expired/);
    // A new login works.
    assert.equal((await t.post('joc/properties', await t.login('viewer'))).statusCode, 200);
  });

  it('ends a session at its absolute lifetime however busy (440), and forgets it a day later', async () => {
    const t2 = await testApp({ sessionTimeoutSeconds: 600, sessionMaxLifetimeSeconds: 3600 });
    try {
      const token = await t2.login('viewer');
      // Busy all along: a call every 5 minutes, never idle for the timeout.
      for (let minute = 5; minute < 60; minute += 5) {
        t2.clock.advance(5 * 60_000);
        assert.equal((await t2.post('joc/properties', token)).statusCode, 200, `minute ${minute}`);
      }
      t2.clock.advance(5 * 60_000 + 1);
      const over = await t2.post('joc/properties', token);
      assert.equal(over.statusCode, 440);
      assertEnvelope(over.json(), 'JOC-440');
      assert.match(over.json().error.message, /session expired: it began 1 h ago/);
      // A new login gets a new session with its own lifetime.
      const fresh = await t2.login('viewer');
      assert.equal((await t2.post('joc/properties', fresh)).statusCode, 200);
      // Expired sessions answer 440 until purged a day later, then 401.
      t2.clock.advance(24 * 3600_000 + 60_000);
      await t2.login('viewer');
      assert.equal((await t2.post('joc/properties', token)).statusCode, 401);
    } finally {
      await t2.close();
    }
  });

  it('the default absolute lifetime is 8 h', async () => {
    const token = await t.login('root');
    // Kept busy by a call every 50 s (the idle timeout here is 60 s).
    let elapsed = 0;
    while (elapsed + 50_000 < 8 * 3600_000) {
      t.clock.advance(50_000);
      elapsed += 50_000;
      assert.equal((await t.post('joc/properties', token)).statusCode, 200, `after ${elapsed} ms`);
    }
    t.clock.advance(8 * 3600_000 - elapsed + 1);
    const over = await t.post('joc/properties', token);
    assert.equal(over.statusCode, 440);
    assert.match(over.json().error.message, /it began 8 h ago/);
  });

  it('logs out: the token stops working; the answer is the account, as JOC sends it', async () => {
    const token = await t.login('viewer');
    const res = await t.post('authentication/logout', token);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      account: 'viewer',
      isPermitted: false,
      hasRole: false,
      isApprover: false,
      isApprovalRequestor: false,
      isAuthenticated: false,
      forcePasswordChange: false,
      accessToken: '',
      enableTouch: true,
    });
    assert.equal((await t.post('joc/properties', token)).statusCode, 401);
    assert.equal((await t.post('authentication/logout', undefined)).statusCode, 401);
  });

  it('a logout after the session expired answers 440 and forgets the session at once', async () => {
    const token = await t.login('viewer');
    t.clock.advance(61_000);
    const res = await t.post('authentication/logout', token);
    assert.equal(res.statusCode, 440);
    assertEnvelope(res.json(), 'JOC-440');
    // Forgotten, not kept until the daily purge: the token is now unknown.
    assert.equal((await t.post('joc/properties', token)).statusCode, 401);
  });

  it('follows sessions changed by another connection', async () => {
    const token = await t.login('viewer');
    const other = await t.login('viewer');
    assert.equal((await t.post('joc/properties', token)).statusCode, 200);
    assert.equal((await t.post('joc/properties', other)).statusCode, 200);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(t.dir, 'joc.sqlite'));
    try {
      // Another process logs every viewer session out: the cached sessions must not outlive it.
      db.prepare("DELETE FROM sessions WHERE account = 'viewer'").run();
      assert.equal((await t.post('joc/properties', token)).statusCode, 401);
      assert.equal((await t.post('joc/properties', other)).statusCode, 401);
      // Another process keeps a session alive (its last_seen): this process believes it.
      const fresh = await t.login('viewer');
      t.clock.advance(50_000);
      assert.equal((await t.post('joc/properties', fresh)).statusCode, 200);
      t.clock.advance(50_000);
      db.prepare("UPDATE sessions SET last_seen = ? WHERE account = 'viewer'").run(
        t.clock.now().getTime(),
      );
      t.clock.advance(50_000);
      assert.equal(
        (await t.post('joc/properties', fresh)).statusCode,
        200,
        'kept alive by the other process',
      );
    } finally {
      db.close();
    }
  });

  it('stores only a hash of the token', async () => {
    const token = await t.login('root');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(t.dir, 'joc.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    db.close();
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.token_hash !== token));
  });
});

describe('permissions and properties', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ level: 'MEDIUM', forceComments: true });
  });
  after(() => t.close());

  const expected: Record<string, { roles: string[]; view: boolean; manage: boolean }> = {
    root: { roles: ['administrator'], view: true, manage: true },
    admin2: { roles: ['certificates'], view: true, manage: true },
    manager: { roles: ['manager', 'viewer'], view: true, manage: true },
    viewer: { roles: ['viewer'], view: true, manage: false },
    nobody: { roles: ['other'], view: false, manage: false },
  };
  for (const [account, want] of Object.entries(expected)) {
    it(`joc_cockpit_permissions for ${account}: view ${want.view}, manage ${want.manage}`, async () => {
      const res = await t.post('authentication/joc_cockpit_permissions', await t.login(account));
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        roles: want.roles,
        joc: { administration: { certificates: { view: want.view, manage: want.manage } } },
      });
    });
  }

  it('a granted permission implies the permissions below it, not siblings with a common prefix', () => {
    assert.ok(
      implies(
        'sos:products:joc:administration',
        'sos:products:joc:administration:certificates:view',
      ),
    );
    assert.ok(
      implies(
        'sos:products:joc:administration:certificates',
        'sos:products:joc:administration:certificates:manage',
      ),
    );
    assert.ok(implies('sos', 'sos:products:joc:administration:certificates:manage'));
    assert.ok(
      !implies(
        'sos:products:joc:administration:certificates:view',
        'sos:products:joc:administration:certificates:manage',
      ),
    );
    assert.ok(
      !implies('sos:products:joc:admin', 'sos:products:joc:administration:certificates:view'),
    );
  });

  it('/joc/properties answers the level, the default account, the audit settings and that it is the embedded server', async () => {
    const res = await t.post('joc/properties', await t.login('nobody'));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      securityLevel: 'MEDIUM',
      defaultProfileAccount: 'root',
      forceCommentsForAuditLog: true,
      comments: ['Certificate renewal', 'Key rotation'],
      embeddedServer: true,
    });
  });

  it('show calls are closed too: an unknown field is JOC-420 naming it', async () => {
    const res = await t.post('joc/properties', await t.login('root'), { foo: 1 });
    assert.equal(res.statusCode, 420);
    assertEnvelope(res.json(), 'JOC-420');
    assert.match(res.json().error.message, /"foo"/);
  });
});

describe('login throttling', () => {
  /** A refused attempt: 420 in the envelope, `Retry-After` and the message agree; its seconds. */
  function refusedFor(res: Awaited<ReturnType<typeof login>>): number {
    assert.equal(res.statusCode, 420, res.body);
    assertEnvelope(res.json(), 'JOC-420');
    const seconds = Number(res.headers['retry-after']);
    assert.ok(
      Number.isInteger(seconds) && seconds >= 1,
      `Retry-After ${res.headers['retry-after']}`,
    );
    assert.match(res.json().error.message, new RegExp(`try again in ${seconds} s\\.$`));
    assert.equal(res.headers['x-access-token'], undefined);
    return seconds;
  }

  it('two failed attempts refuse the next one for that account at once, saying when; success resets', async () => {
    const t = await testApp();
    try {
      assert.equal((await login(t, basic('viewer', 'bad'), '10.1.0.1')).statusCode, 401);
      // One mistake costs nothing.
      assert.equal((await login(t, basic('viewer', 'bad'), '10.1.0.11')).statusCode, 401);
      // Same account from another address: refused, not queued, even with the right password.
      const first = await login(t, basic('viewer', 'secret'), '10.1.0.2');
      assert.equal(refusedFor(first), 1);
      assert.match(first.json().error.message, /for this account/);
      assert.doesNotMatch(first.body, /viewer/, 'the refusal names no account');
      t.clock.advance(500);
      assert.equal((await login(t, basic('viewer', 'bad'), '10.1.0.3')).statusCode, 401);
      assert.equal(refusedFor(await login(t, basic('viewer', 'secret'), '10.1.0.4')), 1);
      t.clock.advance(999);
      assert.equal(refusedFor(await login(t, basic('viewer', 'secret'), '10.1.0.4')), 1);
      t.clock.advance(1);
      // The right password works once the delay has passed, and resets the account's counter.
      assert.equal((await login(t, basic('viewer', 'secret'), '10.1.0.4')).statusCode, 200);
      assert.equal((await login(t, basic('viewer', 'bad'), '10.1.0.5')).statusCode, 401);
      assert.equal((await login(t, basic('viewer', 'secret'), '10.1.0.6')).statusCode, 200);
    } finally {
      await t.close();
    }
  });

  it('failed attempts refuse the next one from that address, for any account, for longer', async () => {
    const t = await testApp();
    try {
      assert.equal((await login(t, basic('ghost0', 'x'), '10.2.0.1')).statusCode, 401);
      assert.equal((await login(t, basic('ghost1', 'x'), '10.2.0.1')).statusCode, 401);
      t.clock.advance(500);
      const refused = await login(t, basic('root', 'root'), '10.2.0.1');
      assert.equal(refusedFor(refused), 1);
      assert.match(refused.json().error.message, /from your address/);
      // Another address and another account: not refused.
      assert.equal((await login(t, basic('root', 'root'), '10.2.0.9')).statusCode, 200);
      // Logging in to an account of one's own does not reset the address's failures.
      t.clock.advance(500);
      assert.equal((await login(t, basic('root', 'root'), '10.2.0.1')).statusCode, 200);
      assert.equal((await login(t, basic('ghost2', 'x'), '10.2.0.1')).statusCode, 401);
      assert.equal(refusedFor(await login(t, basic('ghost3', 'x'), '10.2.0.1')), 2);
    } finally {
      await t.close();
    }
  });

  it('successful logins are never refused, and waiting out the delay costs nothing', async () => {
    const t = await testApp();
    try {
      for (let i = 0; i < 10; i++)
        assert.equal((await login(t, basic('root', 'root'))).statusCode, 200);
      assert.equal((await login(t, basic('root', 'bad'))).statusCode, 401);
      t.clock.advance(60_000);
      assert.equal((await login(t, basic('root', 'root'))).statusCode, 200);
    } finally {
      await t.close();
    }
  });

  it("issue 13's scenario: 10 parallel and 30 aborted wrong logins keep the owner out for seconds at most", async () => {
    const t = await testApp();
    try {
      const started = t.clock.t;
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => login(t, basic('viewer', 'wrong'), '203.0.113.1')),
      );
      const codes = answers.map((r) => r.statusCode);
      // Only a few guesses are checked at once; the others are refused without waiting.
      assert.ok(codes.includes(401), codes.join(' '));
      assert.ok(codes.filter((c) => c === 401).length <= 4, codes.join(' '));
      for (const res of answers.filter((r) => r.statusCode !== 401)) refusedFor(res);
      // 30 more from another address, each given up by its client at once.
      await Promise.all(
        Array.from({ length: 30 }, () => {
          const controller = new AbortController();
          const res = t.app
            .inject({
              method: 'POST',
              url: '/joc/api/authentication/login',
              headers: { authorization: basic('viewer', 'wrong') },
              remoteAddress: '198.51.100.7',
              signal: controller.signal,
            })
            .catch(() => undefined);
          setImmediate(() => controller.abort());
          return res;
        }),
      );
      // Any check an aborted request started runs on without its client; let it end.
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The owner, from a third address: refused for at most the account's cap, then in.
      let waited = 0;
      for (;;) {
        const res = await login(t, basic('viewer', 'secret'), '192.0.2.44');
        if (res.statusCode === 200) break;
        const seconds = refusedFor(res);
        t.clock.advance(seconds * 1000);
        waited += seconds;
        assert.ok(waited <= 5, `the owner waited ${waited} s`);
      }
      assert.ok(t.clock.t - started <= 5000);
      // The first stranger's address stays refused for longer than the owner waited.
      const stranger = await login(t, basic('viewer', 'wrong'), '203.0.113.1');
      assert.match(stranger.json().error.message, /from your address/);
      assert.ok(refusedFor(stranger) >= 1);
    } finally {
      await t.close();
    }
  });

  it('strangers failing from many addresses never hold the owner at an address it logged in from', async () => {
    const t = await testApp();
    try {
      // The owner logs in as every day, from the office.
      assert.equal((await login(t, basic('root', 'root'), '192.0.2.10')).statusCode, 200);
      let strangers = 0;
      let ownerLogins = 0;
      for (let second = 0; second < 60; second++) {
        // Each second, strangers from the next three of 64 addresses try a password.
        for (let i = 0; i < 3; i++) {
          const stranger = await login(t, basic('root', 'guess'), `198.51.100.${strangers++ % 64}`);
          assert.ok([401, 420].includes(stranger.statusCode), stranger.body);
        }
        // The owner, at the office, is never refused.
        const owner = await login(t, basic('root', 'root'), '192.0.2.10');
        assert.equal(owner.statusCode, 200, `second ${second}: ${owner.body}`);
        ownerLogins++;
        t.clock.advance(1_000);
      }
      assert.equal(ownerLogins, 60);
      // The shared delay still holds the strangers (and the owner at a new address): the owner's
      // logins at the office did not clear it.
      const another = await login(t, basic('root', 'guess'), '198.51.100.200');
      assert.equal(another.statusCode, 420, another.body);
      const fresh = await login(t, basic('root', 'root'), '203.0.113.5');
      assert.equal(fresh.statusCode, 420, fresh.body);
      assert.match(fresh.json().error.message, /for this account/);
    } finally {
      await t.close();
    }
  });

  it("no account name a stranger sends stands for the owner's known address", async () => {
    const t = await testApp();
    try {
      assert.equal((await login(t, basic('root', 'root'), '192.0.2.10')).statusCode, 200);
      const names = ['root\n192.0.2.10', 'known ["root","192.0.2.10"]', 'root 192.0.2.10'];
      for (let i = 0; i < 12; i++) {
        const name = names[i % names.length];
        const res = await login(t, basic(name, 'guess'), `198.51.100.${i}`);
        assert.ok([401, 420].includes(res.statusCode), res.body);
      }
      assert.equal((await login(t, basic('root', 'root'), '192.0.2.10')).statusCode, 200);
    } finally {
      await t.close();
    }
  });

  it(`the owner's own mistakes at a known address delay only that address; ${KNOWN_ADDRESSES_PER_ACCOUNT} are known`, () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    const at = (address: string) => LoginThrottle.keys('alice', address);
    const attempt = (address: string, outcome: 'failed' | 'succeeded') => {
      const keys = at(address);
      const refusal = throttle.admit(keys);
      if (!refusal) throttle.end(keys, outcome);
      return refusal;
    };
    for (let i = 0; i <= KNOWN_ADDRESSES_PER_ACCOUNT; i++)
      assert.equal(attempt(`192.0.2.${i}`, 'succeeded'), undefined);
    // Two typos at the newest known address: that address waits, the shared name does not.
    for (let i = 0; i < 2; i++) assert.equal(attempt('192.0.2.8', 'failed'), undefined);
    assert.notEqual(throttle.admit(at('192.0.2.8')), undefined);
    assert.equal(attempt('203.0.113.1', 'failed'), undefined);
    assert.equal(attempt('203.0.113.2', 'failed'), undefined);
    assert.equal(throttle.admit(at('203.0.113.3'))?.reason, 'account');
    // The other known addresses are not held by either delay...
    assert.equal(attempt('192.0.2.1', 'succeeded'), undefined);
    // ...but the first, no longer among the last eight, shares the strangers' delay.
    assert.equal(throttle.admit(at('192.0.2.0'))?.reason, 'account');
    now += 5_000;
    assert.equal(attempt('192.0.2.0', 'succeeded'), undefined);
  });

  it('the account delay is capped at 5 s and the address delay at 5 min; a refusal changes nothing', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    const stranger = LoginThrottle.keys('Alice', '203.0.113.1');
    assert.deepEqual(stranger, { account: 'alice', address: '203.0.113.1' });
    const waits: Array<[number, number]> = [];
    for (let i = 0; i < 12; i++) {
      assert.equal(throttle.admit(stranger), undefined);
      throttle.end(stranger, 'failed');
      const ownerKeys = LoginThrottle.keys('alice', `192.0.2.${i}`);
      const owner = throttle.admit(ownerKeys);
      if (!owner) throttle.end(ownerKeys, 'none');
      const again = throttle.admit(stranger);
      waits.push([owner?.retryAfterMs ?? 0, again?.retryAfterMs ?? 0]);
      if (again) {
        // A refused attempt reserves nothing: asking again at once gives the same answer.
        assert.deepEqual(throttle.admit(stranger), again);
        now += again.retryAfterMs;
      } else throttle.end(stranger, 'none');
    }
    assert.deepEqual(
      waits.map(([owner]) => owner),
      [0, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000, 5000],
    );
    assert.deepEqual(
      waits.map(([, stranger]) => stranger / 1000),
      [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300],
    );
    now += 15 * 60_000 + 1;
    assert.equal(throttle.admit(stranger), undefined, 'failures are forgotten');
    throttle.end(stranger, 'none');
  });

  it('at most 4 checks run at once per account and per address; each frees its place when done', () => {
    const throttle = new LoginThrottle({ now: () => 0 });
    const keys = (i: number) => LoginThrottle.keys('bob', `10.9.0.${i}`);
    for (let i = 0; i < 4; i++) assert.equal(throttle.admit(keys(i)), undefined);
    assert.deepEqual(throttle.admit(keys(9)), { reason: 'busy', retryAfterMs: 1000 });
    throttle.end(keys(0), 'none');
    assert.equal(throttle.admit(keys(9)), undefined);
    for (const i of [1, 2, 3, 9]) throttle.end(keys(i), 'succeeded');
    assert.equal(throttle.size, 0, 'nothing is kept for successes');
  });

  it('once failures call for a delay, one check at a time: a burst gets one password per delay', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    // Four guesses at once whenever allowed, then waiting the longest Retry-After, for 40 s.
    const checkedAt: number[] = [];
    while (now < 40_000) {
      const burst = Array.from({ length: 4 }, () => LoginThrottle.keys('root', '203.0.113.7'));
      const refusals = burst.map((keys) => throttle.admit(keys));
      burst.forEach((keys, i) => {
        if (refusals[i]) return;
        checkedAt.push(now);
        throttle.end(keys, 'failed');
      });
      now += Math.max(...refusals.map((refusal) => refusal?.retryAfterMs ?? 0));
    }
    // Without failures all four are checked; then one per delay of the address (4 s, 8 s, 16 s).
    assert.deepEqual(checkedAt, [0, 0, 0, 0, 4_000, 12_000, 28_000]);

    // The account's delay too: from fresh addresses, one check at a time once it is in force.
    const from = (i: number) => LoginThrottle.keys('alice', `198.51.100.${i}`);
    for (const i of [1, 2]) {
      assert.equal(throttle.admit(from(i)), undefined);
      throttle.end(from(i), 'failed');
    }
    now += 500;
    const first = from(3);
    assert.equal(throttle.admit(first), undefined);
    assert.deepEqual(throttle.admit(from(4)), { reason: 'busy', retryAfterMs: 1000 });
    throttle.end(first, 'none');
    // A check that broke tried no password: the next one may run.
    const next = from(5);
    assert.equal(throttle.admit(next), undefined);
    throttle.end(next, 'succeeded');
  });

  it('memory stays bounded when names and addresses are sprayed; IPv6 counts per /64', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now, maxEntries: 100 });
    for (let i = 0; i < 5000; i++) {
      const keys = LoginThrottle.keys(`user${i}`, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
      assert.equal(throttle.admit(keys), undefined);
      throttle.end(keys, 'failed');
      now += 1;
    }
    assert.ok(throttle.size <= 200, `size ${throttle.size}`);
    assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:DB8:1:2::ffff'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
  });
});

describe('behind a reverse proxy (trustProxy)', () => {
  /** An app trusting `trustProxy`, with a call answering what the server believes of the client. */
  async function proxied(trustProxy?: unknown): Promise<TestApp> {
    const { config } = await resolveConfig(
      { ...TEST_CONFIG, ...(trustProxy === undefined ? {} : { trustProxy }) },
      { hashCost: { N: 1024 } },
    );
    const t = await testApp({ extra: { config } });
    t.app.get('/test-client', (request) => ({ ip: request.ip, protocol: request.protocol }));
    return t;
  }
  const from = (t: TestApp, remoteAddress: string, account: string, forwarded?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/joc/api/authentication/login',
      remoteAddress,
      headers: {
        authorization: basic(account, 'wrong'),
        ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
      },
    });
  const client = async (t: TestApp, remoteAddress: string, headers: Record<string, string>) =>
    (await t.app.inject({ method: 'GET', url: '/test-client', remoteAddress, headers })).json();

  it('off (the default): X-Forwarded-For and -Proto are ignored, the peer is the client', async () => {
    const t = await proxied();
    try {
      assert.deepEqual(
        await client(t, '127.0.0.1', {
          'x-forwarded-for': '203.0.113.5',
          'x-forwarded-proto': 'https',
        }),
        { ip: '127.0.0.1', protocol: 'http' },
      );
      // Spoofed addresses do not escape the peer's throttle.
      assert.equal((await from(t, '127.0.0.1', 'ghost1', '203.0.113.1')).statusCode, 401);
      assert.equal((await from(t, '127.0.0.1', 'ghost2', '203.0.113.2')).statusCode, 401);
      const third = await from(t, '127.0.0.1', 'ghost3', '203.0.113.3');
      assert.equal(third.statusCode, 420);
      assert.match(third.json().error.message, /from your address/);
    } finally {
      await t.close();
    }
  });

  it("on: the client's address and protocol come from the proxy's headers, and only from the proxy", async () => {
    const t = await proxied(['127.0.0.1']);
    try {
      assert.deepEqual(
        await client(t, '127.0.0.1', {
          'x-forwarded-for': '198.51.100.9, 203.0.113.5',
          'x-forwarded-proto': 'https',
        }),
        { ip: '203.0.113.5', protocol: 'https' },
      );
      // From anyone else the headers are ignored.
      assert.deepEqual(
        await client(t, '10.9.9.9', {
          'x-forwarded-for': '203.0.113.5',
          'x-forwarded-proto': 'https',
        }),
        { ip: '10.9.9.9', protocol: 'http' },
      );
      // Two people behind the proxy are throttled apart.
      assert.equal((await from(t, '127.0.0.1', 'ghost1', '203.0.113.1')).statusCode, 401);
      assert.equal((await from(t, '127.0.0.1', 'ghost2', '203.0.113.1')).statusCode, 401);
      assert.equal((await from(t, '127.0.0.1', 'ghost3', '203.0.113.1')).statusCode, 420);
      assert.equal((await from(t, '127.0.0.1', 'ghost4', '203.0.113.2')).statusCode, 401);
      // A direct client cannot choose its address by the header.
      assert.equal((await from(t, '10.9.9.9', 'ghost5', '203.0.113.7')).statusCode, 401);
      assert.equal((await from(t, '10.9.9.9', 'ghost6', '203.0.113.8')).statusCode, 401);
      assert.equal((await from(t, '10.9.9.9', 'ghost7', '203.0.113.9')).statusCode, 420);
    } finally {
      await t.close();
    }
  });
});

describe('transport', () => {
  let t: TestApp;
  let staticDir: string;
  before(async () => {
    staticDir = tempDir('joc-static-');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(
      join(staticDir, 'index.html'),
      '<!doctype html><title>console</title><script src="main.js"></script>',
    );
    writeFileSync(join(staticDir, 'main.js'), 'console.log(1)');
    t = await testApp({ staticDir });
  });
  after(async () => {
    await t.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('sets strict security headers on API answers, errors, bad addresses, static files and the SPA fallback', async () => {
    const answers = [
      await t.post('joc/properties', await t.login('root')),
      await t.post('joc/properties', undefined),
      await t.app.inject({ method: 'GET', url: '/' }),
      await t.app.inject({ method: 'GET', url: '/main.js' }),
      await t.app.inject({ method: 'GET', url: '/profile/signature-keys' }),
      await t.app.inject({ method: 'POST', url: '/joc/api/nothing' }),
      await t.app.inject({ method: 'GET', url: '/%E0%A4%A' }),
      await t.app.inject({ method: 'POST', url: '/joc/api/profile/%E0%A4%A' }),
    ];
    for (const res of answers.slice(-2)) {
      // A broken %-escape: JOC's envelope, and the address is not echoed.
      assert.equal(res.statusCode, 420);
      assert.equal(schemaErrors('common/error420-schema.json', res.json()), '');
      assert.doesNotMatch(res.body, /%E0/);
    }
    for (const res of answers) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        assert.equal(res.headers[name], value, `${name} on ${res.statusCode}`);
      assert.doesNotMatch(
        String(res.headers['content-security-policy']),
        /script-src[^;]*unsafe-inline/,
      );
    }
    assert.equal(answers[0].headers['cache-control'], 'no-store');
  });

  it('serves the console and falls back to index.html for deep links; API paths stay JSON 404', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/profile/signature-keys' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>console<\/title>/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/missing.js' })).statusCode, 404);
    const api = await t.app.inject({ method: 'POST', url: '/joc/api/nothing' });
    assert.equal(api.statusCode, 404);
    assertEnvelope(api.json(), 'JOC-404');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/joc/api/profile/key' })).statusCode,
      404,
    );
  });

  it('a traversal or an impossible file name is not there: 404 (or the console page), never 420', async () => {
    const refusedByTheFiles = [
      '/assets/..%5c..%5cetc%5cpasswd',
      '/..%5c..%5cetc%5cpasswd',
      '/main.js%00',
      '/..%00/etc/passwd',
      '//etc/passwd',
      '//main.js',
      '/assets//../../etc/passwd.js',
    ];
    const resolvedInside = [
      '/..%2f..%2fetc/passwd',
      '/%2e%2e/',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../x',
      '/assets/..%2f..%2fetc%2fpasswd',
      '/assets/%2e%2e/%2e%2e/etc/passwd',
      '/.%2e/x.js',
      '/%252e%252e/x',
    ];
    for (const url of [...refusedByTheFiles, ...resolvedInside]) {
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await t.app.inject({ method, url });
        assert.ok([200, 404].includes(res.statusCode), `${method} ${url}: ${res.statusCode}`);
        assert.doesNotMatch(res.body, /root:|console\.log/, `${url} leaks no file`);
        if (res.statusCode === 200)
          assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
        for (const [name, value] of Object.entries(SECURITY_HEADERS))
          assert.equal(res.headers[name], value, `${name} on ${url}`);
      }
    }
    for (const url of refusedByTheFiles) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assertEnvelope(res.json(), 'JOC-404');
    }
  });

  it('maps bad JSON, a wrong content type, a non-object body and an oversized body to 420 JOC-420, never 500', async () => {
    const token = await t.login('root');
    const send = (payload: string | Buffer, type: string) =>
      t.app.inject({
        method: 'POST',
        url: '/joc/api/profile/key/store',
        headers: { 'x-access-token': token, 'content-type': type },
        payload,
      });
    const cases = [
      await send('{"keys": ', 'application/json'),
      await send('not json at all', 'application/json'),
      await send('[1, 2]', 'application/json'),
      await send('"text"', 'application/json'),
      await send('keys=1', 'application/x-www-form-urlencoded'),
      await send('hello', 'text/plain'),
      await send(Buffer.alloc(1_100_000, 0x20), 'application/json'),
    ];
    for (const res of cases) {
      assert.equal(res.statusCode, 420, res.body);
      assertEnvelope(res.json(), 'JOC-420');
      assert.doesNotMatch(res.body, /at \w+ \(|node_modules|Error:/, 'no stack trace');
    }
    assert.match(cases[0].json().error.message, /not valid JSON/);
    assert.match(cases[2].json().error.message, /must be a JSON object/);
  });

  it('a POST without a body, or with an empty JSON body, counts as {}', async () => {
    const token = await t.login('root');
    const bare = await t.app.inject({
      method: 'POST',
      url: '/joc/api/joc/properties',
      headers: { 'x-access-token': token },
    });
    assert.equal(bare.statusCode, 200, bare.body);
    const empty = await t.app.inject({
      method: 'POST',
      url: '/joc/api/profile/key',
      headers: { 'x-access-token': token, 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(empty.statusCode, 200, empty.body);
    const store = await t.app.inject({
      method: 'POST',
      url: '/joc/api/profile/key/store',
      headers: { 'x-access-token': token },
    });
    assert.equal(store.statusCode, 420);
    assert.match(store.json().error.message, /Missing field "keys"/);
  });

  it('answers 401 before looking at the body, and 403 before validating it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/joc/api/profile/key/store',
      headers: { 'content-type': 'application/json' },
      payload: '{bad',
    });
    assert.equal(res.statusCode, 401);
    const viewer = await t.login('viewer');
    const res2 = await t.post('profile/key/store', viewer, { wrong: true });
    assert.equal(res2.statusCode, 403);
    assertEnvelope(res2.json(), 'JOC-403');
    assert.match(res2.json().error.message, /certificates:manage/);
  });
});
