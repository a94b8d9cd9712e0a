/**
 * What a hostile client tries against the embedded server, and what it must not achieve: holding
 * connections open forever, stalling everyone's logins with many parallel key generations,
 * making a 500 or a nonsense certificate out of a Distinguished Name, slipping a day that does
 * not exist past the date check, storing a "chain" that costs seconds at every check, or growing
 * the session table by logging in again and again; and that what Node and the file server refuse
 * is answered as HTTP says, in JOC's envelope.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rsaKeyWith } from '../../src/pki/testdata/crafted';
import { fixtureText } from '../../src/pki/testing';
import { SECURITY_HEADERS } from '../src/app';
import { readKeyMaterialOffThread } from '../src/keys/decrypt-off-thread';
import { ApiError } from '../src/http/errors';
import {
  GENERATION_BUSY_MESSAGE,
  GenerationGate,
  OWN_GENERATION_MESSAGE,
} from '../src/keys/generation-gate';
import { KEY_CHECK_BUSY_MESSAGE } from '../src/keys/readiness';
import { Turns } from '../src/keys/turns';
import { MAX_JSON_DEPTH, nestsDeeper } from '../src/http/bodies';
import { REQUEST_TIMEOUT_MS } from '../src/http/timeouts';
import { buildProxyApp } from '../src/proxy/app';
import { openStore } from '../src/store';
import { MAX_SESSIONS_PER_ACCOUNT } from '../src/store/sessions';
import {
  basic,
  openssl,
  opensslPair,
  tempDir,
  testApp,
  type PemPair,
  type TestApp,
} from './helpers';

/** Sends `text` on a fresh connection and waits (at most `giveUpMs`) for the server to close it. */
function closedAfter(
  port: number,
  text: string,
  giveUpMs: number,
): Promise<{ closed: boolean; answer: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, answer, ms: Date.now() - started });
    }, giveUpMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, answer, ms: Date.now() - started });
    });
  });
}

describe('a client that never finishes its request', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await testApp({ extra: { requestTimeoutMs: 1_000 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  it('is cut off (408) once the request time is over: a login body that stops coming', async () => {
    const result = await closedAfter(
      port,
      'POST /joc/api/authentication/login HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: ${basic('root', 'root')}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      8_000,
    );
    assert.ok(result.closed, 'the connection is still open after 8 s');
    assert.match(result.answer, /^HTTP\/1\.1 408 /);
    // The server answers everyone else meanwhile and afterwards.
    const login = await t.app.inject({
      method: 'POST',
      url: '/joc/api/authentication/login',
      headers: { authorization: basic('root', 'root') },
    });
    assert.equal(login.statusCode, 200);
  });

  it('the 408, and the 431 for an address beyond 16 kB, come in the envelope with the headers', async () => {
    const cut = await closedAfter(
      port,
      'POST /joc/api/authentication/login HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: ${basic('root', 'root')}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 10\r\n\r\n',
      8_000,
    );
    const long = await closedAfter(
      port,
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      8_000,
    );
    for (const [result, status, message] of [
      [cut, 408, 'The request did not arrive within 1 s and was dropped: send it again.'],
      [long, 431, 'The address or the request headers are too long: at most 16 kB in all.'],
    ] as const) {
      assert.ok(result.closed);
      const [head, body] = result.answer.split('\r\n\r\n');
      assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `));
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        assert.ok(head.toLowerCase().includes(`\r\n${name}: ${value.toLowerCase()}`), name);
      assert.match(head, /\r\ncontent-type: application\/json; charset=utf-8/i);
      const envelope = JSON.parse(body) as { error: { code: string; message: string } };
      assert.deepEqual(envelope.error, { code: `JOC-${status}`, message });
    }
  });

  it('the default request time is a minute, also when serving a real JOC Cockpit', async () => {
    assert.equal(REQUEST_TIMEOUT_MS, 60_000);
    const plain = await testApp();
    const proxy = await buildProxyApp({
      target: { url: 'http://127.0.0.1:9', insecureTls: false, files: {} },
      precompress: false,
    });
    try {
      for (const app of [plain.app, proxy]) {
        assert.equal(app.server.requestTimeout, 60_000);
        assert.ok(app.server.headersTimeout <= 60_000);
      }
    } finally {
      await plain.close();
      await proxy.close();
    }
  });
});

describe('many RSA generations at once', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ level: 'MEDIUM' });
  });
  after(() => t.close());

  it('one per account, two at a time; the rest are refused at once; logins do not wait', async () => {
    const tokens = await Promise.all(['root', 'admin2', 'manager'].map((a) => t.login(a)));
    const before = t.snapshot();
    const started = Date.now();
    const finished: number[] = [];
    const generations = Array.from({ length: 12 }, (_, i) =>
      t.post('profile/key/generate', tokens[i % 3], { keyAlgorithm: 'RSA' }).then((res) => {
        if (res.statusCode === 200) finished.push(Date.now() - started);
        return res;
      }),
    );
    // The generations have taken their threads; a password check now needs one too.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const loginSent = Date.now();
    const login = await t.app.inject({
      method: 'POST',
      url: '/joc/api/authentication/login',
      headers: { authorization: basic('viewer', 'secret') },
    });
    const loginTook = Date.now() - loginSent;
    assert.equal(login.statusCode, 200);
    const answers = await Promise.all(generations);
    const refused = answers.filter((res) => res.statusCode !== 200);
    assert.equal(answers.length - refused.length, 3, "each account's first: two run, one waits");
    for (const res of refused) {
      assert.equal(res.statusCode, 420);
      assert.equal(res.json().error.code, 'JOC-420');
      assert.equal(res.json().error.message, OWN_GENERATION_MESSAGE);
    }
    // Compared with the generations themselves, not with a time: the machine may be slow. Without
    // the bound the login waited for nearly all of them (6.0 s; the first ended at 6.5 s).
    const fastest = Math.min(...finished);
    assert.ok(
      loginTook * 2 < fastest,
      `the login took ${loginTook} ms, more than half an RSA generation (${fastest} ms)`,
    );
    assert.notEqual(t.snapshot(), before);
    // Their turns are given back: the next generation runs.
    const next = await t.post('profile/key/generate', tokens[2], { keyAlgorithm: 'RSA' });
    assert.equal(next.statusCode, 200);
  });

  it('a generation whose client left while it waited leaves the queue and never runs', async () => {
    const gate = new GenerationGate(1, 1);
    let release!: () => void;
    const first = gate.run('root', () => new Promise<void>((resolve) => (release = resolve)));
    const gone = new AbortController();
    let ran = false;
    const waiting = gate.run(
      'manager',
      async () => {
        ran = true;
      },
      gone.signal,
    );
    gone.abort();
    await assert.rejects(waiting, /ended before its key was generated/);
    // Its place in the queue is free again, and so is its account.
    const third = gate.run('manager', async () => 'third');
    release();
    await first;
    assert.equal(await third, 'third');
    assert.equal(ran, false);
  });

  it('a stream of key checks does not hold a waiting generation off for good', async () => {
    const turns = new Turns(2, 4);
    assert.equal(await turns.take(), 'run');
    assert.equal(await turns.take(undefined, 'first'), 'run');
    let generated = false;
    const generation = turns.take().then((turn) => (generated = turn === 'run'));
    // Each time a turn ends, another check is already waiting (someone refreshing the readiness).
    let checks = 0;
    while (!generated && checks < 20) {
      void turns.take(undefined, 'first');
      turns.release();
      await new Promise((resolve) => setImmediate(resolve));
      checks++;
    }
    assert.ok(generated, `the generation ran (after ${checks} checks)`);
    assert.ok(checks <= 5, `after ${checks} checks`);
    await generation;
  });

  it('one account never keeps the others out: theirs run or wait, checks wait ahead', async () => {
    // Generations and checks share two turns, as in SigningKeys; the work is held until ended.
    const turns = new Turns(2, 4);
    const gate = new GenerationGate(2, 4, turns);
    const order: string[] = [];
    const ends = new Map<string, () => void>();
    const held = (name: string) => () =>
      new Promise<string>((resolve) => {
        order.push(name);
        ends.set(name, () => resolve(name));
      });
    const refusal = (message: string) => (error: unknown) =>
      error instanceof ApiError && error.statusCode === 420 && error.message === message;
    const alice = gate.run('alice', held('alice'));
    // Alice keeps asking: each further one is refused at once, naming her own generation.
    for (let i = 0; i < 8; i++)
      await assert.rejects(gate.run('alice', held('alice again')), refusal(OWN_GENERATION_MESSAGE));
    const bob = gate.run('bob', held('bob'));
    const others = ['carol', 'dave', 'erin', 'frank'].map((name) => gate.run(name, held(name)));
    // Two run and four wait: a further account is told the server is busy...
    await assert.rejects(gate.run('gina', held('gina')), refusal(GENERATION_BUSY_MESSAGE));
    // ...but a key check still gets a place, ahead of the waiting generations.
    const check = turns.take(undefined, 'first');
    ends.get('alice')!();
    assert.equal(await alice, 'alice');
    assert.equal(await check, 'run');
    assert.deepEqual(order, ['alice', 'bob'], 'the check has the freed turn');
    turns.release();
    // Alice may generate again once hers ended; she waits behind the others.
    const aliceAgain = gate.run('alice', held('alice 2'));
    for (const name of ['bob', 'carol', 'dave', 'erin', 'frank', 'alice 2']) {
      await new Promise((resolve) => setImmediate(resolve));
      ends.get(name)!();
    }
    assert.deepEqual(await Promise.all([bob, ...others, aliceAgain]), [
      'bob',
      'carol',
      'dave',
      'erin',
      'frank',
      'alice 2',
    ]);
    assert.deepEqual(order, ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'alice 2']);
  });
});

describe('Distinguished Names a client makes up', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const many = (n: number) => Array.from({ length: n }, (_, i) => `OU=u${i}`).join(',');
  const refused: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['a NUL', 'CN=a\u0000b', /^CN contains the control character U\+0000: write printable text\.$/],
    ['an escaped NUL', 'CN=a\\00b', /^CN contains the control character U\+0000/],
    ['an escape sequence', 'CN=ok,O=\u001b[31mred', /^O contains the control character U\+001B/],
    ['a zero-width space', 'CN=root\u200b', /^CN contains the invisible character U\+200B/],
    ['a right-to-left override', 'CN=\u202etoor', /^CN contains the invisible character U\+202E/],
    ['half a surrogate pair', 'CN=\ud800x', /^CN contains a broken character/],
    ['1000 attributes', `CN=a,${many(999)}`, /has 1000 attributes: at most 20 are accepted/],
    ['60000 attributes', `CN=a,${many(59_999)}`, /characters: at most 16384 are accepted/],
  ];
  for (const [name, dn, message] of refused) {
    it(`${name}: JOC-411 naming it, for a key and for the CA; nothing stored`, async () => {
      const token = await t.login('root');
      const before = t.snapshot();
      for (const [call, body] of [
        ['profile/key/generate', { keyAlgorithm: 'ECDSA', dn }],
        ['profile/ca/generate', { dn }],
      ] as const) {
        const res = await t.post(call, token, body);
        assert.equal(res.statusCode, 420, `${call}: ${res.body.slice(0, 300)}`);
        assert.equal(res.json().error.code, 'JOC-411', call);
        assert.match(res.json().error.message, message, call);
      }
      assert.equal(t.snapshot(), before);
    });
  }

  it('letters of any script, emoji, and the joiners Persian needs are fine', async () => {
    const token = await t.login('root');
    const res = await t.post('profile/key/generate', token, {
      keyAlgorithm: 'ECDSA',
      dn: 'CN=Zoë 😀,O=Ωmega,L=東京,OU=می\u200cخواهم',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().keyID, 'CN=Zoë 😀,O=Ωmega,L=東京,OU=می\u200cخواهم');
  });
});

describe('dates that do not exist', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  for (const validUntil of [
    '2030-02-31T00:00:00Z',
    '2029-02-29T12:00:00Z',
    '2030-04-31T12:00:00+02:00',
    '2030-01-01T24:00:00Z',
    '2030-00-10T12:00:00Z',
    '2030-01-00T12:00:00Z',
  ]) {
    it(`validUntil ${validUntil}: JOC-420, not another day; nothing stored`, async () => {
      const token = await t.login('root');
      const before = t.snapshot();
      const res = await t.post('profile/key/generate', token, {
        keyAlgorithm: 'ECDSA',
        validUntil,
      });
      assert.equal(res.statusCode, 420, res.body.slice(0, 300));
      assert.equal(res.json().error.code, 'JOC-420');
      assert.match(res.json().error.message, /"validUntil" must be an ISO-8601 date-time/);
      assert.equal(t.snapshot(), before);
    });
  }

  it('the last day of February in a leap year, and 23:59:59, are fine', async () => {
    const token = await t.login('root');
    const res = await t.post('profile/key/generate', token, {
      keyAlgorithm: 'ECDSA',
      validUntil: '2028-02-29T23:59:59Z',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().validUntil, '2028-02-29T23:59:59.000Z');
  });
});

describe('a "chain" of a thousand certificates', () => {
  let t: TestApp;
  let pair: PemPair;
  before(async () => {
    t = await testApp();
    pair = opensslPair(t.dir);
  });
  after(() => t.close());

  it('store and import refuse more than 10 certificates with JOC-411; nothing stored', async () => {
    const token = await t.login('root');
    const before = t.snapshot();
    const certificate = pair.cert.repeat(1_000);
    const stored = await t.post('profile/key/store', token, {
      keys: { keyAlgorithm: 'ECDSA', privateKey: pair.key, certificate },
    });
    const imported = await t.upload(
      'profile/key/import',
      token,
      { importKeyFilter: JSON.stringify({ keyAlgorithm: 'ECDSA' }) },
      [{ filename: 'bundle.pem', content: pair.key + pair.cert.repeat(11) }],
    );
    for (const [res, count] of [
      [stored, 1_000],
      [imported, 11],
    ] as const) {
      assert.equal(res.statusCode, 420, res.body.slice(0, 300));
      assert.equal(res.json().error.code, 'JOC-411');
      assert.equal(
        res.json().error.message,
        `Certificate: ${count} certificates were given; give the certificate and its chain, at most 10.`,
      );
    }
    assert.equal(t.snapshot(), before);
  });

  it('a certificate with a chain of up to 10 is stored', async () => {
    const token = await t.login('root');
    const res = await t.post('profile/key/store', token, {
      keys: { keyAlgorithm: 'ECDSA', privateKey: pair.key, certificate: pair.cert.repeat(10) },
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  });
});

describe('ranges of the console files', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    dir = tempDir('joc-static-');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'main.js'), 'console.log(1);'.repeat(100));
    t = await testApp({ staticDir: dir, extra: { precompress: false } });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a range past the end is 416 with the length (not 404), with the security headers', async () => {
    const res = await t.app.inject({ url: '/main.js', headers: { range: 'bytes=99999-' } });
    assert.equal(res.statusCode, 416, res.body);
    assert.equal(res.headers['content-range'], 'bytes */1500');
    assert.equal(res.json().error.code, 'JOC-416');
    for (const name of Object.keys(SECURITY_HEADERS)) assert.ok(res.headers[name], name);
    const part = await t.app.inject({ url: '/main.js', headers: { range: 'bytes=0-6' } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.body, 'console');
    // A file that is not there stays a 404, range or not.
    const gone = await t.app.inject({ url: '/gone.js', headers: { range: 'bytes=99999-' } });
    assert.equal(gone.statusCode, 404);
  });
});

describe('an account that logs in again and again', () => {
  it(`keeps its newest ${MAX_SESSIONS_PER_ACCOUNT} sessions; other accounts' stay`, () => {
    const dataDir = tempDir('joc-sessions-');
    const store = openStore(dataDir);
    try {
      const now = Date.now();
      const other = store.sessions.create('viewer', now);
      const tokens = Array.from({ length: MAX_SESSIONS_PER_ACCOUNT + 1 }, (_, i) =>
        store.sessions.create('root', now + i),
      );
      assert.equal(store.sessions.use(tokens[0], now + 100, 60_000).state, 'unknown');
      for (const token of tokens.slice(1))
        assert.equal(store.sessions.use(token, now + 100, 60_000).state, 'active');
      assert.equal(store.sessions.use(other, now + 100, 60_000).state, 'active');
      // Logins within one millisecond: the newest still stay.
      const sameTime = Array.from({ length: MAX_SESSIONS_PER_ACCOUNT }, () =>
        store.sessions.create('root', now + 1000),
      );
      for (const token of sameTime)
        assert.equal(store.sessions.use(token, now + 1000, 60_000).state, 'active');
      assert.equal(store.sessions.use(tokens.at(-1)!, now + 1000, 60_000).state, 'unknown');
    } finally {
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('JSON nested half a million levels deep, sent without logging in', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  for (const url of ['/joc/api/authentication/login', '/joc/api/nothing-here'])
    it(`${url}: refused (JOC-420) before it is parsed`, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', authorization: basic('root', 'wrong') },
        payload: deep(500_000),
      });
      assert.equal(res.statusCode, 420);
      assert.equal(res.json().error.code, 'JOC-420');
      assert.match(res.json().error.message, new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
    });

  it(`${MAX_JSON_DEPTH} levels pass; brackets inside strings do not count`, () => {
    assert.equal(nestsDeeper(deep(MAX_JSON_DEPTH), MAX_JSON_DEPTH), false);
    assert.equal(nestsDeeper(deep(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH), true);
    assert.equal(nestsDeeper(`{"a":[${'"[[[{{{",'.repeat(100)}"\\"[[["]}`, 2), false);
    assert.equal(nestsDeeper(`{"a":"\\\\",${'"b":['.repeat(3)}]]]}`, 3), true);
  });

  it('a login whose body is a few levels deep is still a login', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/joc/api/authentication/login',
      headers: { 'content-type': 'application/json', authorization: basic('root', 'root') },
      payload: JSON.stringify({ a: [[{ b: [1] }]] }),
    });
    assert.equal(res.statusCode, 200);
  });
});

describe('RSA keys too large to sign with, or whose numbers do not belong together', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('a key above 8192 bits is refused (JOC-414) with its size; nothing stored', async () => {
    const token = await t.login('root');
    const before = t.snapshot();
    const privateKey = rsaKeyWith(([v, n, ...rest]) => [v, (n << 6146n) | 1n, ...rest]);
    const res = await t.post('profile/key/store', token, {
      keys: { keyAlgorithm: 'RSA', privateKey },
    });
    assert.equal(res.statusCode, 420, res.body);
    assert.equal(res.json().error.code, 'JOC-414');
    assert.match(res.json().error.message, /8194 bits; at most 8192 bits are accepted/);
    assert.equal(t.snapshot(), before);
  });

  it('a key with an even modulus is refused (JOC-411), not stored to fail every check', async () => {
    const token = await t.login('root');
    const before = t.snapshot();
    const privateKey = rsaKeyWith(([v, n, ...rest]) => [v, n + 1n, ...rest]);
    const res = await t.post('profile/key/store', token, {
      keys: { keyAlgorithm: 'RSA', privateKey },
    });
    assert.equal(res.statusCode, 420, res.body);
    assert.equal(res.json().error.code, 'JOC-411');
    assert.match(res.json().error.message, /RSA 2048 private key is damaged/);
    assert.equal(t.snapshot(), before);
  });
});

/**
 * Opens `fifo` for writing, which ends its reader's wait; never blocks the event loop: a reader
 * whose open has not reached a thread yet is waited for.
 */
async function letGo(fifo: string): Promise<void> {
  for (;;) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('many key checks at once', () => {
  let t: TestApp;
  let fifos: string[];
  before(async () => {
    t = await testApp();
    // One per thread of libuv's pool: opening a FIFO for reading holds a thread until a writer comes.
    const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    fifos = Array.from({ length: threads }, (_, i) => join(t.dir, `hold-${i}`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  });
  after(() => t.close());

  it('two run, four wait, the rest are refused at once ("try again"); then all run', async () => {
    const token = await t.login('viewer');
    const root = await t.login('root');
    const stored = await t.post('profile/key/store', root, {
      keys: {
        keyAlgorithm: 'RSA',
        privateKey: fixtureText('rsa2048.pkcs8.pem'),
        certificate: fixtureText('rsa2048.crt.pem'),
      },
    });
    assert.equal(stored.statusCode, 200, stored.body);
    // Every thread is held: a check that runs cannot finish its sample signature.
    const held = fifos.map((fifo) => open(fifo, 'r'));
    let answered = 0;
    let sixAnswered!: () => void;
    const six = new Promise<void>((resolve) => (sixAnswered = resolve));
    const checks = Array.from({ length: 12 }, () =>
      t.post('profile/key/check', token).then((res) => {
        if (++answered === 6) sixAnswered();
        return res;
      }),
    );
    // Without a bound no check answers while the threads are held: then let go after a while.
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([six, new Promise((resolve) => (giveUp = setTimeout(resolve, 10_000)))]);
    clearTimeout(giveUp);
    const answeredWhileHeld = answered;
    for (const fifo of fifos) await letGo(fifo);
    for (const handle of await Promise.all(held)) await handle.close();
    const answers = await Promise.all(checks);
    assert.equal(answeredWhileHeld, 6, 'six answered while the threads were held');
    const refused = answers.filter((res) => res.statusCode !== 200);
    assert.equal(refused.length, 6, 'two ran and four waited');
    for (const res of refused) {
      assert.equal(res.statusCode, 420);
      assert.equal(res.json().error.message, KEY_CHECK_BUSY_MESSAGE);
    }
    // Their turns are given back: the next check runs.
    assert.equal((await t.post('profile/key/check', token)).statusCode, 200);
  });

  it('a check whose client left while it waited gives its place back at once', async () => {
    const token = await t.login('viewer');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    // Counts turns taken and what became of them: the queue itself is not visible over HTTP.
    const take = Turns.prototype.take;
    const outcomes: string[] = [];
    let taken = 0;
    let changed = () => {};
    Turns.prototype.take = function (this: Turns, ...args) {
      taken++;
      const turn = take.apply(this, args);
      void turn.then((outcome) => {
        outcomes.push(outcome);
        changed();
      });
      changed();
      return turn;
    };
    const until = async (done: () => boolean) => {
      const giveUp = Date.now() + 10_000;
      while (!done() && Date.now() < giveUp)
        await new Promise<void>((resolve) => {
          changed = resolve;
          setTimeout(resolve, 100);
        });
      return done();
    };
    const held = fifos.map((fifo) => open(fifo, 'r'));
    try {
      // Six clients over real connections: two run (their signatures wait for the held threads),
      // four wait for a turn. Then all six go away.
      const clients = Array.from({ length: 6 }, () => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.write(
          `POST /joc/api/profile/key/check HTTP/1.1\r\nHost: x\r\nX-Access-Token: ${token}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
        );
        return socket;
      });
      assert.ok(await until(() => taken === 6), `${taken} checks reached the queue`);
      assert.deepEqual(outcomes, ['run', 'run']);
      for (const socket of clients) socket.destroy();
      const left = await until(() => outcomes.filter((o) => o === 'abandoned').length === 4);
      assert.ok(left, `the four waiting checks left the queue: ${outcomes.join(', ')}`);
      // Their four places are free: four new checks wait there, the fifth is turned away.
      const next = Array.from({ length: 5 }, () => t.post('profile/key/check', token));
      assert.ok(await until(() => taken === 11), `${taken} checks reached the queue`);
      assert.deepEqual(outcomes.slice(6), ['busy']);
      for (const fifo of fifos) await letGo(fifo);
      const answers = await Promise.all(next);
      assert.deepEqual(answers.map((res) => res.statusCode).sort(), [200, 200, 200, 200, 420]);
    } finally {
      for (const fifo of fifos) await letGo(fifo);
      for (const handle of await Promise.all(held)) await handle.close();
      Turns.prototype.take = take;
    }
  });
});

describe('one account generating RSA keys without pause', () => {
  let t: TestApp;
  let fifos: string[];
  before(async () => {
    t = await testApp({ level: 'MEDIUM' });
    // One per thread of libuv's pool: opening a FIFO for reading holds a thread until a writer comes.
    const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    fifos = Array.from({ length: threads }, (_, i) => join(t.dir, `hold-${i}`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  });
  after(() => t.close());

  it("keeps neither another account's generation nor its key check out", async () => {
    const alice = await t.login('root');
    const bob = await t.login('manager');
    // Counts the requests that reached the gate and the turns: neither is visible over HTTP.
    const run = GenerationGate.prototype.run;
    const take = Turns.prototype.take;
    let runs = 0;
    let taken = 0;
    GenerationGate.prototype.run = function (this: GenerationGate, ...args) {
      runs++;
      return run.apply(this, args) as never;
    };
    Turns.prototype.take = function (this: Turns, ...args) {
      taken++;
      return take.apply(this, args);
    };
    const until = async (done: () => boolean, what: () => string) => {
      const giveUp = Date.now() + 10_000;
      while (!done() && Date.now() < giveUp)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(done(), what());
    };
    // Every thread is held: a generation that has its turn cannot end until they are let go.
    const held = fifos.map((fifo) => open(fifo, 'r'));
    try {
      const generate = (token: string) =>
        t.post('profile/key/generate', token, { keyAlgorithm: 'RSA' });
      const alices = Array.from({ length: 8 }, () => generate(alice));
      await until(
        () => runs === 8,
        () => `${runs} of alice's generations reached the gate`,
      );
      const bobs = generate(bob);
      await until(
        () => runs === 9,
        () => "bob's generation did not reach the gate",
      );
      const takenBefore = taken;
      const check = t.post('profile/key/check', bob);
      await until(
        () => taken === takenBefore + 1,
        () => "bob's check did not ask for a turn",
      );
      for (const fifo of fifos) await letGo(fifo);
      const bobsAnswer = await bobs;
      assert.equal(bobsAnswer.statusCode, 200, bobsAnswer.body);
      const checked = await check;
      assert.equal(checked.statusCode, 200, checked.body);
      const answers = await Promise.all(alices);
      const refused = answers.filter((res) => res.statusCode !== 200);
      assert.equal(answers.length - refused.length, 1, "one of alice's generations ran");
      for (const res of refused) {
        assert.equal(res.statusCode, 420);
        assert.equal(res.json().error.message, OWN_GENERATION_MESSAGE);
      }
    } finally {
      for (const fifo of fifos) await letGo(fifo);
      for (const handle of await Promise.all(held)) await handle.close();
      GenerationGate.prototype.run = run;
      Turns.prototype.take = take;
    }
  });
});

describe('a key field or file of thousands of PEM blocks', () => {
  let t: TestApp;
  let pair: PemPair;
  before(async () => {
    t = await testApp();
    pair = opensslPair(t.dir);
  });
  after(() => t.close());

  it('store and import refuse it (JOC-411) with the count; nothing stored', async () => {
    const token = await t.login('root');
    const before = t.snapshot();
    const keys = pair.key.repeat(3_000);
    const stored = await t.post('profile/key/store', token, {
      keys: { keyAlgorithm: 'ECDSA', privateKey: keys, certificate: pair.cert },
    });
    const imported = await t.upload(
      'profile/key/import',
      token,
      { importKeyFilter: JSON.stringify({ keyAlgorithm: 'ECDSA' }) },
      [{ filename: 'bundle.pem', content: keys + pair.cert }],
    );
    // The key field is refused by its size before any block is counted (707 kB > 128 kB); the
    // file, read in a worker, by its count.
    assert.equal(stored.statusCode, 420, stored.body.slice(0, 300));
    assert.equal(stored.json().error.code, 'JOC-411');
    assert.match(stored.json().error.message, /^Private key: 707 kB of text were given/);
    assert.equal(imported.statusCode, 420, imported.body.slice(0, 300));
    assert.equal(imported.json().error.code, 'JOC-411');
    assert.match(
      imported.json().error.message,
      /holds 3001 PEM blocks; a key with its certificate and chain has at most 16/,
    );
    assert.equal(t.snapshot(), before);
  });
});

describe('certificates of a hundred kilobytes each', () => {
  let t: TestApp;
  let big: PemPair;
  let bigCa: PemPair;
  let fair: PemPair;
  before(async () => {
    t = await testApp();
    big = opensslPair(t.dir, { altNames: 2_500 });
    bigCa = opensslPair(t.dir, { altNames: 2_500, ca: true });
    fair = opensslPair(t.dir, { altNames: 1_000 });
  });
  after(() => t.close());

  const kB = (text: string) => Math.ceil(text.length / 1024);
  const refusal = (chars: number) =>
    `Certificate: ${Math.ceil(chars / 1024)} kB of certificates were given; a certificate with its chain is at most 64 kB.`;

  it('key store and import refuse more than 64 kB of certificates (JOC-411); nothing stored', async () => {
    assert.ok(kB(big.cert) > 64 && kB(big.cert) < 200, `${kB(big.cert)} kB`);
    const token = await t.login('root');
    const before = t.snapshot();
    const stored = await t.post('profile/key/store', token, {
      keys: { keyAlgorithm: 'ECDSA', privateKey: big.key, certificate: big.cert },
    });
    const imported = await t.upload(
      'profile/key/import',
      token,
      { importKeyFilter: JSON.stringify({ keyAlgorithm: 'ECDSA' }) },
      [{ filename: 'bundle.pem', content: big.key + big.cert }],
    );
    for (const res of [stored, imported]) {
      assert.equal(res.statusCode, 420, res.body.slice(0, 300));
      assert.equal(res.json().error.code, 'JOC-411');
    }
    assert.equal(stored.json().error.message, refusal(big.cert.length));
    assert.match(imported.json().error.message, /kB of certificates were given; .* at most 64 kB/);
    assert.equal(t.snapshot(), before);
  });

  it('the SSL CA: store and import refuse a CA certificate over 64 kB; nothing stored', async () => {
    const token = await t.login('root');
    const before = t.snapshot();
    const stored = await t.post('profile/ca/store', token, {
      privateKey: bigCa.key,
      certificate: bigCa.cert,
    });
    const imported = await t.upload('profile/ca/import', token, {}, [
      { filename: 'ca.pem', content: bigCa.key + bigCa.cert },
    ]);
    for (const res of [stored, imported]) {
      assert.equal(res.statusCode, 420, res.body.slice(0, 300));
      assert.equal(res.json().error.code, 'JOC-411');
      assert.match(res.json().error.message, /kB of certificates were given; .* at most 64 kB/);
    }
    assert.equal(t.snapshot(), before);
  });

  it('a certificate of a thousand names (under 64 kB) is stored', async () => {
    assert.ok(kB(fair.cert) > 16 && kB(fair.cert) < 64, `${kB(fair.cert)} kB`);
    const token = await t.login('root');
    const res = await t.post('profile/key/store', token, {
      keys: { keyAlgorithm: 'ECDSA', privateKey: fair.key, certificate: fair.cert },
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  });
});

describe('RSA generation at LOW: one per key, whoever asks', () => {
  it("two managers' Generate of the default account's key at once: the second is refused", async () => {
    const t = await testApp();
    try {
      const [root, admin2] = [await t.login('root'), await t.login('admin2')];
      const answers = await Promise.all(
        [root, admin2].map((token) =>
          t.post('profile/key/generate', token, { keyAlgorithm: 'RSA' }),
        ),
      );
      assert.deepEqual(answers.map((res) => res.statusCode).sort(), [200, 420]);
      const refused = answers.find((res) => res.statusCode === 420)!;
      assert.equal(refused.json().error.message, OWN_GENERATION_MESSAGE);
    } finally {
      await t.close();
    }
  });
});

describe("RSA work on libuv's threads", () => {
  it('RSA generations and key checks together use at most two of libuv threads', async () => {
    const subtle = crypto.subtle as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    const originals = { sign: subtle.sign, generateKey: subtle.generateKey };
    let inFlight = 0;
    let most = 0;
    for (const name of ['sign', 'generateKey'] as const) {
      const original = originals[name].bind(crypto.subtle);
      subtle[name] = async (...args) => {
        most = Math.max(most, ++inFlight);
        try {
          return await original(...args);
        } finally {
          inFlight--;
        }
      };
    }
    // MEDIUM: two keys, so two generations can run at once (one per key); root checks its own.
    const t = await testApp({ level: 'MEDIUM' });
    try {
      const root = await t.login('root');
      const admin2 = await t.login('admin2');
      const manager = await t.login('manager');
      const keys = {
        keyAlgorithm: 'RSA',
        privateKey: fixtureText('rsa2048.pkcs8.pem'),
        certificate: fixtureText('rsa2048.crt.pem'),
      };
      assert.equal((await t.post('profile/key/store', root, { keys })).statusCode, 200);
      most = 0;
      let generating = true;
      // Two keys: each key has one generation at a time.
      const generations = Promise.all(
        [admin2, manager].map((token) =>
          t.post('profile/key/generate', token, { keyAlgorithm: 'RSA' }),
        ),
      ).finally(() => (generating = false));
      const checks = async () => {
        while (generating) await t.post('profile/key/check', root);
      };
      const [generated] = await Promise.all([generations, checks(), checks()]);
      assert.deepEqual(
        generated.map((res) => res.statusCode),
        [200, 200],
      );
      assert.ok(most <= 2, `${most} signatures and generations ran at once`);
    } finally {
      Object.assign(subtle, originals);
      await t.close();
    }
  });
});

describe('the 64 kB of certificate text', () => {
  it('text around the PEM blocks (openssl x509 -text dumps) does not count toward the 64 kB', async () => {
    const t = await testApp();
    try {
      const pair = opensslPair(t.dir, { algorithm: 'rsa', bits: 2048, altNames: 60 });
      // As `openssl ca` writes a certificate by default: its text dump, then its PEM block.
      const withText = openssl(['x509', '-text'], pair.cert).toString();
      const certificate = withText.repeat(10);
      assert.ok(certificate.length > 64 * 1024 && pair.cert.length * 10 < 64 * 1024);
      const root = await t.login('root');
      const body = { keys: { keyAlgorithm: 'RSA', privateKey: pair.key, certificate } };
      const stored = await t.post('profile/key/store', root, body);
      assert.equal(stored.statusCode, 200, stored.body);
    } finally {
      await t.close();
    }
  });
});

describe('text read on the event loop', () => {
  it('a key text of seven 130 kB certificates is refused before it is read; as a file it is read off the event loop', async () => {
    const t = await testApp();
    try {
      const big = opensslPair(t.dir, { altNames: 4_500 });
      const text = big.key + big.cert.repeat(7);
      const root = await t.login('root');
      const stored = await t.post('profile/key/store', root, {
        keys: { keyAlgorithm: 'ECDSA', privateKey: text },
      });
      assert.equal(stored.statusCode, 420, stored.body);
      assert.match(stored.json().error.message, /^Private key: \d+ kB of text were given/);
      // Read in a worker: a time limit of 1 ms stops it (on the event loop nothing could).
      const read = await readKeyMaterialOffThread(new TextEncoder().encode(text), undefined, {
        timeLimitMs: 1,
      });
      assert.equal(read.ok, false);
      if (!read.ok) assert.equal(read.code, 'fileTooSlow');
    } finally {
      await t.close();
    }
  });
});
