/**
 * The audit log: forced comments (JOC-300, nothing written), every successful write recorded
 * with account, time, call, comment, time spent and ticket link, never key material; newest first.
 */
import type { LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { opensslPair, schemaErrors, tempDir, testApp, type PemPair, type TestApp } from './helpers';

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

  it('needs the view permission', async () => {
    assert.equal((await t.post('audit_log', await t.login('nobody'), {})).statusCode, 403);
    assert.equal((await t.post('audit_log', undefined, {})).statusCode, 401);
  });
});
