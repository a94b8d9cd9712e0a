/**
 * The audit log: forced comments (JOC-300, nothing written), every successful write recorded
 * with account, time, call, comment, time spent and ticket link, never key material; newest first.
 * Refused logins and refused (403) calls recorded with the client's address, never a password.
 */
import type { LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { resolveConfig } from '../src/config';
import { MAX_ENTRIES } from '../src/routes/audit-log';
import { DATABASE_FILE } from '../src/store/database';
import {
  basic,
  opensslPair,
  schemaErrors,
  tempDir,
  TEST_CONFIG,
  testApp,
  type PemPair,
  type TestApp,
} from './helpers';

let fx: string;
let pair: PemPair;
let ca: PemPair;
before(() => {
  fx = tempDir('joc-audit-fx-');
  pair = opensslPair(fx, { cn: 'audit' });
  ca = opensslPair(fx, { cn: 'Audit CA', ca: true, days: 3650 });
});
after(() => rmSync(fx, { recursive: true, force: true }));

describe('forceCommentsForAuditLog', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp({ level: 'LOW', forceComments: true });
    token = await t.login('root');
  });
  after(() => t.close());

  const FILTER = { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' };
  const writes: Array<
    [string, (auditLog?: Record<string, unknown>) => Promise<LightMyRequestResponse>]
  > = [
    [
      'profile/key/store',
      (a) =>
        t.post('profile/key/store', token, {
          keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
          ...(a ? { auditLog: a } : {}),
        }),
    ],
    [
      'profile/key/generate',
      (a) =>
        t.post('profile/key/generate', token, {
          keyAlgorithm: 'ECDSA',
          ...(a ? { auditLog: a } : {}),
        }),
    ],
    [
      'profile/key/import',
      (a) =>
        t.upload(
          'profile/key/import',
          token,
          { ...FILTER, ...(a?.['comment'] !== undefined ? { comment: String(a['comment']) } : {}) },
          [{ filename: 'k.pem', content: pair.key + pair.cert }],
        ),
    ],
    ['profile/key/delete', (a) => t.post('profile/key/delete', token, a ? { auditLog: a } : {})],
    [
      'profile/ca/generate',
      (a) => t.post('profile/ca/generate', token, { dn: 'CN=CA', ...(a ? { auditLog: a } : {}) }),
    ],
    [
      'profile/ca/store',
      (a) =>
        t.post('profile/ca/store', token, {
          privateKey: ca.key,
          certificate: ca.cert,
          ...(a ? { auditLog: a } : {}),
        }),
    ],
    [
      'profile/ca/import',
      (a) =>
        t.upload(
          'profile/ca/import',
          token,
          a?.['comment'] !== undefined ? { comment: String(a['comment']) } : {},
          [{ filename: 'ca.pem', content: ca.key + ca.cert }],
        ),
    ],
  ];
  for (const [name, call] of writes) {
    it(`${name}: no comment (or a blank one) → JOC-300 and nothing written; with a comment → 200`, async () => {
      const before = t.snapshot();
      for (const audit of [undefined, {}, { comment: '   ' }, { timeSpent: 5 }]) {
        const res = await call(audit);
        assert.equal(res.statusCode, 420, res.body);
        assert.equal(schemaErrors('common/error420-schema.json', res.json()), '');
        assert.equal(res.json().error.code, 'JOC-300');
        assert.match(res.json().error.message, /comment is required/);
        assert.equal(t.snapshot(), before);
      }
      const ok = await call({ comment: `why ${name}` });
      assert.equal(ok.statusCode, 200, ok.body);
    });
  }

  it('import takes its comment from importKeyFilter.auditLog as well', async () => {
    const res = await t.upload(
      'profile/key/import',
      token,
      {
        importKeyFilter:
          '{"keyAlgorithm":"ECDSA","auditLog":{"comment":"from the filter","ticketLink":"T-1"}}',
      },
      [{ filename: 'k.pem', content: pair.key }],
    );
    assert.equal(res.statusCode, 200, res.body);
    const latest = (await t.post('audit_log', token, {})).json().auditLog[0];
    assert.equal(latest.comment, 'from the filter');
    assert.equal(latest.ticketLink, 'T-1');
  });
});

describe('audit log entries', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ level: 'LOW' });
  });
  after(() => t.close());

  it('records every successful write, newest first, never key material; failed writes are not recorded', async () => {
    const admin2 = await t.login('admin2');
    const root = await t.login('root');
    const empty = (await t.post('audit_log', root, {})).json();
    assert.deepEqual(empty.auditLog, []);
    assert.equal(schemaErrors('audit/auditLog-schema.json', empty), '');
    await t.post('profile/key/store', admin2, {
      keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
      auditLog: {
        comment: 'Key rotation',
        timeSpent: 15,
        ticketLink: 'https://tickets.example/JS7-1',
      },
    });
    t.clock.advance(1000);
    await t.post('profile/key/store', admin2, {
      keys: { privateKey: 'junk', keyAlgorithm: 'ECDSA' },
    });
    await t.post('profile/key/generate', root, { keyAlgorithm: 'ECDSA' });
    t.clock.advance(1000);
    await t.upload(
      'profile/key/import',
      root,
      {
        importKeyFilter: '{"keyAlgorithm":"ECDSA"}',
        comment: 'from a file',
        timeSpent: '7',
        password: 'not-logged',
      },
      [{ filename: 'k.pem', content: pair.key + pair.cert }],
    );
    await t.post('profile/ca/generate', root, { dn: 'CN=CA' });
    await t.post('profile/key/delete', root, { auditLog: { comment: 'cleanup' } });
    const res = await t.post('audit_log', await t.login('viewer'), {});
    assert.equal(res.statusCode, 200);
    assert.equal(schemaErrors('audit/auditLog-schema.json', res.json()), '', res.body);
    assert.equal(res.json().deliveryDate, new Date(t.clock.t).toISOString());
    const log = res.json().auditLog as Array<Record<string, unknown>>;
    assert.deepEqual(
      log.map((e) => e['request']),
      [
        './profile/key/delete',
        './profile/ca/generate',
        './profile/key/import',
        './profile/key/generate',
        './profile/key/store',
      ],
      'the call as JOC Cockpit writes it',
    );
    assert.ok(log.every((e) => e['category'] === 'CERTIFICATES'));
    const parameters = (e: Record<string, unknown>) =>
      e['parameters'] === undefined ? {} : JSON.parse(String(e['parameters']));
    const store = log[4];
    assert.equal(store['account'], 'admin2');
    assert.equal(
      parameters(store).keyOwner,
      'root',
      'at LOW the key changed is the default account’s',
    );
    const fingerprint = new X509Certificate(pair.cert).fingerprint256;
    assert.deepEqual(parameters(store), {
      keyOwner: 'root',
      subject: 'CN=audit,O=JS7',
      fingerprint,
    });
    assert.equal(store['comment'], 'Key rotation');
    assert.equal(store['timeSpent'], 15);
    assert.equal(store['ticketLink'], 'https://tickets.example/JS7-1');
    assert.equal(store['created'], new Date(t.clock.t - 2000).toISOString());
    assert.equal(log[2]['comment'], 'from a file');
    assert.equal(log[2]['timeSpent'], 7);
    assert.match(parameters(log[3]).subject, /^CN=root/, 'generate names the new certificate');
    assert.equal(parameters(log[1]).keyOwner, undefined, 'the CA has no owner');
    assert.equal(parameters(log[1]).subject, 'CN=CA');
    assert.deepEqual(parameters(log[0]), { keyOwner: 'root' }, 'a delete leaves no certificate');
    const text = JSON.stringify(log);
    assert.doesNotMatch(text, /BEGIN|PRIVATE|not-logged|MII/);
  });

  it("answers JOC's auditLogFilter: categories, account and limit; refuses filters it lacks", async () => {
    const root = await t.login('root');
    const call = async (filter: Record<string, unknown>) => {
      const res = await t.post('audit_log', root, filter);
      if (res.statusCode === 200)
        assert.equal(schemaErrors('audit/auditLog-schema.json', res.json()), '', res.body);
      return res;
    };
    for (const filter of [
      { limit: 2 },
      { categories: ['CERTIFICATES'], account: 'admin2', limit: 1000 },
      { categories: ['DEPLOYMENT'] },
      { limit: -1 },
    ])
      assert.equal(schemaErrors('audit/auditLogFilter-schema.json', filter), '');
    assert.equal((await call({ limit: 2 })).json().auditLog.length, 2);
    const all = (await call({ limit: -1 })).json().auditLog.length;
    assert.ok(all >= 5, String(all));
    const admin2 = (await call({ categories: ['CERTIFICATES'], account: 'admin2' })).json();
    assert.deepEqual(
      admin2.auditLog.map((e: { account: string }) => e.account),
      ['admin2'],
    );
    assert.deepEqual((await call({ categories: ['DEPLOYMENT'] })).json().auditLog, []);
    for (const refused of [{ since: 'x' }, { dateFrom: '-1d' }, { categories: ['NOPE'] }]) {
      const res = await call(refused);
      assert.equal(res.statusCode, 420, JSON.stringify(refused));
      assert.equal(schemaErrors('common/error420-schema.json', res.json()), '');
    }
  });

  it('one answer holds at most 10000 entries, also for limit -1', async () => {
    const db = new Database(join(t.dir, DATABASE_FILE));
    const insert = db.prepare(
      `INSERT INTO audit_log (created_at, account, request, category, address)
       VALUES (?, 'someone', 'authentication/login', 'IDENTITY', '192.0.2.1')`,
    );
    db.transaction(() => {
      for (let i = 0; i < MAX_ENTRIES + 5; i++) insert.run(new Date(i * 1000).toISOString());
    })();
    db.close();
    const root = await t.login('root');
    for (const limit of [-1, undefined, 20_000]) {
      const res = await t.post('audit_log', root, limit === undefined ? {} : { limit });
      assert.equal(res.json().auditLog.length, MAX_ENTRIES, String(limit));
    }
  });

  it('needs the view permission', async () => {
    assert.equal((await t.post('audit_log', await t.login('nobody'), {})).statusCode, 403);
    assert.equal((await t.post('audit_log', undefined, {})).statusCode, 401);
  });
});

describe('refusals in the audit log (category IDENTITY)', () => {
  const login = (t: TestApp, account: string, password: string, address: string, xff?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/joc/api/authentication/login',
      remoteAddress: address,
      headers: {
        authorization: basic(account, password),
        ...(xff ? { 'x-forwarded-for': xff } : {}),
      },
    });
  const identity = async (t: TestApp) => {
    const res = await t.post('audit_log', await t.login('root'), { categories: ['IDENTITY'] });
    assert.equal(res.statusCode, 200);
    assert.equal(schemaErrors('audit/auditLog-schema.json', res.json()), '', res.body);
    return res.json().auditLog as Array<Record<string, unknown>>;
  };

  it('records failed logins: the account, when, from where; never the password, nor a name that is no account', async () => {
    const t = await testApp();
    try {
      assert.equal((await login(t, 'viewer', 'hunter2-secret', '203.0.113.4')).statusCode, 401);
      t.clock.advance(1000);
      const odd = `gh<o>st\n${'x'.repeat(300)}`;
      assert.equal((await login(t, odd, 'pw-2-secret', '203.0.113.5')).statusCode, 401);
      const at = t.clock.now().toISOString();
      assert.equal((await login(t, 'viewer', 'x-secret', '203.0.113.6')).statusCode, 401);
      // Refused by the throttle (no password looked at), or successful: not recorded.
      assert.equal((await login(t, 'viewer', 'y-secret', '203.0.113.7')).statusCode, 420);
      t.clock.advance(1000);
      assert.equal((await login(t, 'viewer', 'secret', '192.0.2.1')).statusCode, 200);
      const log = await identity(t);
      assert.equal(log.length, 3, JSON.stringify(log));
      const [, unknown, viewer] = log;
      assert.equal(viewer['account'], 'viewer');
      assert.equal(viewer['request'], './authentication/login');
      assert.equal(viewer['category'], 'IDENTITY');
      assert.deepEqual(JSON.parse(String(viewer['parameters'])), { address: '203.0.113.4' });
      assert.match(String(viewer['comment']), /Login refused: wrong password/);
      assert.equal(unknown['created'], at);
      // A password typed into the account field is not kept.
      assert.equal(unknown['account'], '(unknown account)');
      assert.match(String(unknown['comment']), /no such account/);
      assert.deepEqual(JSON.parse(String(unknown['parameters'])), { address: '203.0.113.5' });
      const text = JSON.stringify(log) + t.snapshot();
      assert.doesNotMatch(text, /secret/);
      assert.doesNotMatch(text, /gh.o.st/);
      // A view-only account sees key and CA changes, not other people's refusals and addresses.
      const viewerToken = await t.login('viewer');
      for (const filter of [{ categories: ['IDENTITY'] }, {}]) {
        const seen = await t.post('audit_log', viewerToken, filter);
        assert.equal(seen.statusCode, 200);
        assert.equal(schemaErrors('audit/auditLog-schema.json', seen.json()), '');
        assert.ok(
          seen.json().auditLog.every((e: { category: string }) => e.category === 'CERTIFICATES'),
          seen.body,
        );
      }
      // The key history (CERTIFICATES) does not show them.
      const certificates = await t.post('audit_log', await t.login('root'), {
        categories: ['CERTIFICATES'],
      });
      assert.deepEqual(certificates.json().auditLog, []);
    } finally {
      await t.close();
    }
  });

  it('records calls refused for a missing permission (403), once a minute per account, call and address', async () => {
    const t = await testApp();
    try {
      const viewer = await t.login('viewer');
      const nobody = await t.login('nobody');
      const store = { keys: { privateKey: pair.key, keyAlgorithm: 'ECDSA' } };
      assert.equal((await t.post('profile/key/store', viewer, store)).statusCode, 403);
      assert.equal((await t.post('profile/key/store', viewer, store)).statusCode, 403);
      assert.equal((await t.post('profile/key', nobody)).statusCode, 403);
      let log = await identity(t);
      assert.deepEqual(
        log.map((e) => [e['account'], e['request']]),
        [
          ['nobody', './profile/key'],
          ['viewer', './profile/key/store'],
        ],
      );
      assert.match(String(log[1]['comment']), /lacks the permission .*certificates:manage/);
      assert.deepEqual(JSON.parse(String(log[1]['parameters'])), { address: '127.0.0.1' });
      assert.doesNotMatch(JSON.stringify(log), /BEGIN|PRIVATE/);
      t.clock.advance(60_000);
      assert.equal((await t.post('profile/key/store', viewer, store)).statusCode, 403);
      log = await identity(t);
      assert.equal(log.filter((e) => e['account'] === 'viewer').length, 2);
    } finally {
      await t.close();
    }
  });

  it("behind a trusted proxy the address is the client's, from X-Forwarded-For", async () => {
    const { config } = await resolveConfig(
      { ...TEST_CONFIG, trustProxy: ['127.0.0.1'] },
      { hashCost: { N: 1024 } },
    );
    const t = await testApp({ extra: { config } });
    try {
      assert.equal((await login(t, 'viewer', 'bad', '127.0.0.1', '198.51.100.23')).statusCode, 401);
      assert.equal((await login(t, 'viewer', 'bad', '10.0.0.8', '198.51.100.99')).statusCode, 401);
      const log = await identity(t);
      assert.deepEqual(
        log.map((e) => JSON.parse(String(e['parameters'])).address),
        ['10.0.0.8', '198.51.100.23'],
      );
    } finally {
      await t.close();
    }
  });
});
