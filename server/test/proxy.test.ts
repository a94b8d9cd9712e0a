/**
 * Against a real JOC Cockpit (`JOC_URL=… npm start`): /joc/api is forwarded unchanged (headers both
 * ways but JOC's security, cookie and CORS headers, status codes and bodies; bodies read whole
 * first), room for logins beside a slow JOC, TLS with a CA file, a client certificate or the
 * insecure switch, a JOC that cannot be reached answered in JOC's envelope with the cause, the
 * console's pages with their security headers, and nothing written to the data folder.
 * JOC is played by small HTTP(S) servers made here; the certificates are made with OpenSSL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { resolveConfig } from '../src/config';
import { serverLogger } from '../src/http/logging';
import { SECURITY_HEADERS } from '../src/http/security-headers';
import { buildProxyApp } from '../src/proxy/app';
import {
  BODY_BUDGET_BYTES,
  BODY_BUDGET_PER_ADDRESS_BYTES,
  LOGIN_CONNECTIONS,
} from '../src/proxy/forward';
import { loadJocTarget, type JocTarget } from '../src/proxy/settings';
import { ROOT, TEST_CONFIG, openssl, tempDir } from './helpers';

/** What the JOC double received. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  clientCn?: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A stand-in for JOC Cockpit: records each request, answers with `handler`. */
function jocDouble(handler: Handler, make = createHttpServer as (h: Handler2) => Server) {
  const seen: Seen[] = [];
  const server = make((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const peer = (req.socket as TLSSocket).getPeerCertificate?.();
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        clientCn: peer && 'subject' in peer ? String(peer.subject?.CN) : undefined,
      });
      handler(req, res, body);
    });
  });
  return { server, seen };
}
type Handler2 = (req: IncomingMessage, res: ServerResponse) => void;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

function target(url: string, extra: Partial<JocTarget> = {}): JocTarget {
  return { url, insecureTls: false, files: {}, ...extra };
}

/** A logger stream that keeps every line. */
function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: { ...serverLogger('info'), stream } };
}

/** The answers a JOC 2.9 gives (real-joc.md), by path. */
const jocAnswers: Handler = (req, res, body) => {
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };
  switch (req.url?.split('?')[0]) {
    case '/joc/api/authentication/login':
      return json(
        200,
        { accessToken: 'tok-123', account: 'root', role: 'all,admin', isAuthenticated: true },
        {
          'x-access-token': 'tok-123',
          'set-cookie': 'JSESSIONID=abc; Path=/joc; HttpOnly',
          'x-joc-extra': 'kept',
          'retry-after': '5',
          'content-disposition': 'attachment; filename="key.pem"',
          // A JOC whose own headers would loosen the console's (none of them reaches the browser).
          'content-security-policy': 'default-src *',
          'x-frame-options': 'SAMEORIGIN',
          'x-content-type-options': 'sniff',
          'referrer-policy': 'unsafe-url',
          'strict-transport-security': 'max-age=31536000',
          'clear-site-data': '"*"',
          'www-authenticate': 'Basic realm="JOC"',
          'access-control-allow-origin': '*',
          'access-control-allow-credentials': 'true',
          'Access-Control-Expose-Headers': 'X-Access-Token',
        },
      );
    case '/joc/api/profile/key/store':
      return json(433, {
        message: 'Approval required',
        approvers: [{ accountName: 'ap1' }],
        isAuthenticated: true,
      });
    case '/joc/api/profile/key':
      return json(401, { message: 'Access denied', isAuthenticated: false, isPermitted: false });
    case '/joc/api/profile/key/check':
      res.writeHead(404, {
        'content-type': 'text/html;charset=utf-8',
        'x-frame-options': 'SAMEORIGIN',
      });
      return res.end('<html><body><h1>HTTP Status 404 – Not Found</h1></body></html>');
    case '/joc/api/upload':
      return json(200, { received: body.length });
    default:
      return json(420, {
        deliveryDate: '2026-12-01T12:00:00.000+01:00',
        error: { code: 'JOC-420', message: 'com.sos.SomeException: odd' },
      });
  }
};

describe('against a real JOC Cockpit: forwarding', () => {
  let joc: ReturnType<typeof jocDouble>;
  let app: FastifyInstance;
  let staticDir: string;

  before(async () => {
    joc = jocDouble(jocAnswers);
    const port = await listen(joc.server);
    staticDir = tempDir('joc-proxy-static-');
    writeFileSync(
      join(staticDir, 'index.html'),
      '<!doctype html><html><head><title>console</title></head><body><app-root></app-root></body></html>',
    );
    app = await buildProxyApp({
      target: target(`http://127.0.0.1:${port}`),
      staticDir,
      precompress: false,
    });
  });

  after(async () => {
    await app.close();
    await close(joc.server);
    rmSync(staticDir, { recursive: true, force: true });
  });

  it("passes every request header to JOC and JOC's answer headers back, but not those of the console's origin", async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/joc/api/authentication/login',
      headers: {
        authorization: 'Basic cm9vdDpyb290',
        'x-access-token': 'old',
        'x-approval-request-id': '42',
        'x-custom-thing': 'yes',
        // Asked of this server's transfer, or meant for a proxy on the way: not JOC's.
        te: 'gzip',
        'proxy-authorization': 'Basic eDp5',
      },
    });
    assert.equal(answer.statusCode, 200);
    const seen = joc.seen.at(-1)!;
    assert.equal(seen.headers['te'], undefined);
    assert.equal(seen.headers['proxy-authorization'], undefined);
    assert.equal(seen.url, '/joc/api/authentication/login');
    assert.equal(seen.headers['authorization'], 'Basic cm9vdDpyb290');
    assert.equal(seen.headers['x-access-token'], 'old');
    assert.equal(seen.headers['x-approval-request-id'], '42');
    assert.equal(seen.headers['x-custom-thing'], 'yes');
    assert.match(String(seen.headers['host']), /^127\.0\.0\.1:\d+$/);
    assert.equal(answer.headers['x-access-token'], 'tok-123');
    assert.equal(answer.headers['x-joc-extra'], 'kept');
    assert.equal(answer.headers['content-type'], 'application/json');
    assert.equal(answer.headers['retry-after'], '5');
    assert.equal(answer.headers['content-disposition'], 'attachment; filename="key.pem"');
    // The console's security headers win; JOC's cookies and CORS headers are dropped.
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      assert.equal(answer.headers[name], value, name);
    assert.equal(answer.headers['set-cookie'], undefined);
    for (const name of ['strict-transport-security', 'clear-site-data', 'www-authenticate'])
      assert.equal(answer.headers[name], undefined, name);
    assert.deepEqual(
      Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')),
      [],
    );
    assert.deepEqual(answer.json(), {
      accessToken: 'tok-123',
      account: 'root',
      role: 'all,admin',
      isAuthenticated: true,
    });
  });

  it("keeps JOC's status codes and bodies, its 433, 401 and 420 and a non-JSON 404", async () => {
    const store = await app.inject({
      method: 'POST',
      url: '/joc/api/profile/key/store',
      headers: { 'content-type': 'application/json', 'x-access-token': 't' },
      payload: '{"keys":{"privateKey":"x"},"unknownField":1}',
    });
    assert.equal(store.statusCode, 433);
    assert.deepEqual(store.json(), {
      message: 'Approval required',
      approvers: [{ accountName: 'ap1' }],
      isAuthenticated: true,
    });
    // The body reaches JOC byte for byte (JOC validates it, not this server).
    assert.equal(joc.seen.at(-1)!.body.toString(), '{"keys":{"privateKey":"x"},"unknownField":1}');

    const show = await app.inject({ method: 'POST', url: '/joc/api/profile/key', payload: {} });
    assert.equal(show.statusCode, 401);
    assert.deepEqual(show.json(), {
      message: 'Access denied',
      isAuthenticated: false,
      isPermitted: false,
    });

    const odd = await app.inject({ method: 'POST', url: '/joc/api/other?x=1', payload: {} });
    assert.equal(odd.statusCode, 420);
    assert.equal(joc.seen.at(-1)!.url, '/joc/api/other?x=1');
    assert.equal(odd.json().deliveryDate, '2026-12-01T12:00:00.000+01:00');

    const check = await app.inject({
      method: 'POST',
      url: '/joc/api/profile/key/check',
      payload: {},
    });
    assert.equal(check.statusCode, 404);
    assert.equal(check.headers['content-type'], 'text/html;charset=utf-8');
    assert.match(check.body, /HTTP Status 404/);
    // The console's framing rule, not JOC's, holds on JOC's answers too.
    assert.equal(check.headers['x-frame-options'], 'DENY');
    // A GET under /joc/api is JOC's too, not the console's page.
    const get = await app.inject({ method: 'GET', url: '/joc/api/whatever' });
    assert.equal(get.statusCode, 420);
    assert.equal(joc.seen.at(-1)!.method, 'GET');
  });

  it("serves the console's pages with its own security headers", async () => {
    for (const url of ['/', '/profile', '/login?returnUrl=%2Fprofile']) {
      const page = await app.inject({ method: 'GET', url });
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, /<app-root>/);
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        assert.equal(page.headers[name], value, `${url}: ${name}`);
    }
    const count = joc.seen.length;
    await app.inject({ method: 'GET', url: '/profile' });
    assert.equal(joc.seen.length, count, 'pages never reach JOC');
  });
});

describe('against a real JOC Cockpit: behind a reverse proxy with a path', () => {
  it("keeps JOC_URL's path, and never forwards an address leaving /joc/api", async () => {
    const joc = jocDouble(jocAnswers);
    const port = await listen(joc.server);
    const app = await buildProxyApp({ target: target(`http://127.0.0.1:${port}/jobscheduler`) });
    try {
      const answer = await app.inject({ method: 'POST', url: '/joc/api/profile/key/store?x=1' });
      assert.equal(joc.seen.at(-1)!.url, '/jobscheduler/joc/api/profile/key/store?x=1');
      assert.equal(answer.json().error.message, 'com.sos.SomeException: odd', "JOC's answer");
      for (const url of ['/joc/api/../x', '/joc/api/%2e%2e/x', '/joc/api/..%2fx', '/joc/apix']) {
        const refused = await app.inject({ method: 'POST', url });
        assert.ok(refused.statusCode >= 400 && refused.statusCode < 500, url);
      }
      assert.equal(joc.seen.length, 1, 'only the first call reached JOC');
    } finally {
      await app.close();
      await close(joc.server);
    }
  });
});

/** Sends `target` exactly as written (no client-side normalisation) and returns the status. */
function rawStatus(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      ),
    );
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('against a real JOC Cockpit: addresses that would leave /joc/api', () => {
  it('backslashes, dot segments and absolute targets never reach JOC, and never answer 500', async () => {
    const joc = jocDouble(jocAnswers);
    const jocPort = await listen(joc.server);
    const app = await buildProxyApp({ target: target(`http://127.0.0.1:${jocPort}/jobscheduler`) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    try {
      for (const url of [
        '/joc/api/x\\..\\..\\..\\secret',
        '/joc/api/x\\..\\..\\other',
        '/joc/api/x%5c..%5c..%5cother',
        '/joc/api/x/%2e%2e/%2e%2e/other',
        '/joc/api/./profile/key',
        'http://evil.example/joc/api/x',
        // Jetty and Tomcat read `..;` as `..`.
        '/joc/api/..;/..;/admin',
        '/joc/api/.;/x',
        '/joc/api/%2e%2e;/x',
      ]) {
        const status = await rawStatus(port, url);
        assert.ok(status >= 400 && status < 500, `${url}: ${status}`);
      }
      assert.deepEqual(
        joc.seen.map((r) => r.url),
        [],
        'nothing reached JOC',
      );
      await app.inject({ method: 'POST', url: '/joc/api/profile/key' });
      assert.equal(joc.seen.length, 1, 'a plain call still passes');
    } finally {
      await app.close();
      await close(joc.server);
    }
  });
});

describe('against a real JOC Cockpit: connections', () => {
  it("a client's Connection: close ends its connection after the forwarded answer", async () => {
    const joc = jocDouble(jocAnswers);
    const jocPort = await listen(joc.server);
    const app = await buildProxyApp({ target: target(`http://127.0.0.1:${jocPort}`) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(
            'POST /joc/api/profile/key HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
          ),
        );
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
        // Without the fix the socket stays open until the keep-alive timeout: the test times out.
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 \d{3}/);
      assert.match(answer, /\r\nconnection: close\r\n/i);
      assert.doesNotMatch(answer, /keep-alive/i);
    } finally {
      await app.close();
      await close(joc.server);
    }
  });
});

/** Sends a request's head and the first part of its body on a socket of its own, and no more. */
function startRequest(port: number, path: string, headers: string, first: string): Socket {
  const socket = connect(port, '127.0.0.1');
  // Written once connected, before anything written later.
  socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\n${headers}\r\n${first}`);
  socket.on('error', () => undefined);
  return socket;
}

/** The body of an HTTP/1.1 answer as read off the wire, chunked or not. */
function wireBody(text: string): string {
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  let rest = text.slice(head.length + 4);
  if (!/\r\ntransfer-encoding: chunked/i.test(head)) return rest;
  let body = '';
  for (let size = parseInt(rest, 16); size > 0; size = parseInt(rest, 16)) {
    const start = rest.indexOf('\r\n') + 2;
    body += rest.slice(start, start + size);
    rest = rest.slice(start + size + 2);
  }
  return body;
}

/** An answer read off a raw socket until the server ends the connection: status and body. */
function answerOf(socket: Socket): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('end', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: wireBody(text) }),
    );
    socket.on('error', reject);
  });
}

describe('against a real JOC Cockpit: request bodies', () => {
  it('are read whole before JOC is asked, passed on byte for byte, and refused beyond 4 MiB', async () => {
    const joc = jocDouble(jocAnswers);
    // Requests as they begin to arrive (`seen` has them once their body is complete).
    const begun: string[] = [];
    joc.server.on('request', (req: IncomingMessage) => begun.push(req.url ?? ''));
    const jocPort = await listen(joc.server);
    const app = await buildProxyApp({ target: target(`http://127.0.0.1:${jocPort}`) });
    let uploadBegun: () => void = () => undefined;
    const uploadHere = new Promise<void>((resolve) => (uploadBegun = resolve));
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.url === '/joc/api/upload') uploadBegun();
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    try {
      const body = `--xyz\r\nContent-Disposition: form-data; name="file"; filename="k.pem"\r\n\r\n${'a'.repeat(4000)}\r\n--xyz--\r\n`;
      const upload = startRequest(
        port,
        '/joc/api/upload',
        `Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: ${body.length}\r\nConnection: close\r\n`,
        body.slice(0, 1000),
      );
      const answered = answerOf(upload);
      await uploadHere;
      // A call made after the first kilobyte arrived reaches JOC, the unfinished upload does not.
      const other = await app.inject({ method: 'POST', url: '/joc/api/profile/key' });
      assert.equal(other.statusCode, 401);
      assert.deepEqual(begun, ['/joc/api/profile/key']);
      upload.write(body.slice(1000));
      const answer = await answered;
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body), { received: body.length });
      const seen = joc.seen.at(-1)!;
      assert.equal(seen.body.toString('latin1'), body);
      assert.equal(seen.headers['content-type'], 'multipart/form-data; boundary=xyz');
      assert.equal(seen.headers['content-length'], String(body.length));

      // A chunked body reaches JOC whole, with its length.
      const chunked = startRequest(
        port,
        '/joc/api/upload',
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n',
        '5\r\n{"a":\r\n',
      );
      const chunkedAnswer = answerOf(chunked);
      chunked.write('2\r\n1}\r\n0\r\n\r\n');
      assert.equal((await chunkedAnswer).status, 200);
      assert.equal(joc.seen.at(-1)!.body.toString(), '{"a":1}');
      assert.equal(joc.seen.at(-1)!.headers['content-length'], '7');

      // A key and a certificate of 1 MiB each, as JSON text with escaped line breaks: passed on.
      const pem = ('A'.repeat(64) + '\n').repeat(16_000);
      const store = await app.inject({
        method: 'POST',
        url: '/joc/api/profile/key/store',
        headers: { 'content-type': 'application/json', expect: '100-continue' },
        payload: JSON.stringify({ keys: { privateKey: pem, certificate: pem } }),
      });
      assert.notEqual(store.statusCode, 420, store.body);
      assert.equal(joc.seen.at(-1)!.url, '/joc/api/profile/key/store', 'JOC was asked');
      assert.equal(joc.seen.at(-1)!.headers['expect'], undefined, 'Expect is answered here');

      // Beyond 4 MiB, announced or not: refused here, JOC never asked.
      const count = joc.seen.length;
      const big = await app.inject({
        method: 'POST',
        url: '/joc/api/profile/key/import',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        payload: Buffer.alloc(4 * 1024 * 1024 + 1, 'b'),
      });
      assert.equal(big.statusCode, 420);
      assert.equal(
        big.json().error.message,
        'The request body is larger than 4 MiB, more than any call of this console sends (a key and a certificate of 1 MiB each at most).',
      );
      const bigChunked = startRequest(
        port,
        '/joc/api/profile/key/store',
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n',
        '',
      );
      const bigAnswer = answerOf(bigChunked);
      const piece = `100000\r\n${'c'.repeat(0x100000)}\r\n`;
      for (let i = 0; i < 5; i++) bigChunked.write(piece);
      bigChunked.write('0\r\n\r\n');
      assert.equal((await bigAnswer).status, 420);
      assert.equal(joc.seen.length, count, 'JOC got none of them');
    } finally {
      await app.close();
      await close(joc.server);
    }
  });

  it(
    'trickled by strangers, they leave the connections to JOC to everyone else',
    { timeout: 30_000 },
    async () => {
      const joc = jocDouble(jocAnswers);
      const begun: string[] = [];
      joc.server.on('request', (req: IncomingMessage) => begun.push(req.url ?? ''));
      const jocPort = await listen(joc.server);
      const app = await buildProxyApp({ target: target(`http://127.0.0.1:${jocPort}`) });
      let arrived = 0;
      let allArrived: () => void = () => undefined;
      const allHere = new Promise<void>((resolve) => (allArrived = resolve));
      app.addHook('onRequest', (_request, _reply, done) => {
        if (++arrived === 140) allArrived();
        done();
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      // More uploads than there are connections to JOC (128), each stopped after a byte of its body.
      const uploads = Array.from({ length: 140 }, () =>
        startRequest(
          port,
          '/joc/api/profile/key/import',
          'Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n',
          '-',
        ),
      );
      try {
        await allHere;
        // Streamed, they held every connection to JOC and this call waited until they timed out.
        const answer = await app.inject({ method: 'POST', url: '/joc/api/profile/key' });
        assert.equal(answer.statusCode, 401, "JOC's answer");
        assert.deepEqual(begun, ['/joc/api/profile/key'], 'no upload reached JOC');
        assert.ok(
          uploads.every((socket) => !socket.destroyed),
          'the uploads are still open',
        );
      } finally {
        for (const socket of uploads) socket.destroy();
        await app.close();
        await close(joc.server);
      }
    },
  );
});

describe('against a real JOC Cockpit: a slow JOC', () => {
  it(
    'holding every connection of other calls still answers logins',
    { timeout: 30_000 },
    async () => {
      let arrived = 0;
      let allArrived: () => void = () => undefined;
      const full = new Promise<void>((resolve) => (allArrived = resolve));
      const joc = jocDouble((req, res, body) => {
        if (req.url !== '/joc/api/x/slow') return jocAnswers(req, res, body);
        // Never answered: each holds one connection until the test ends.
        if (++arrived === 128) allArrived();
      });
      const jocPort = await listen(joc.server);
      const app = await buildProxyApp({ target: target(`http://127.0.0.1:${jocPort}`) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const slow = Array.from({ length: 130 }, () =>
        startRequest(port, '/joc/api/x/slow', 'Content-Length: 0\r\n', ''),
      );
      try {
        await full;
        const login = await app.inject({
          method: 'POST',
          url: '/joc/api/authentication/login',
          headers: { authorization: 'Basic cm9vdDpyb290' },
        });
        assert.equal(login.statusCode, 200);
        assert.equal(login.headers['x-access-token'], 'tok-123');
        assert.equal(arrived, 128, 'the other calls still wait for JOC, two of them in line');
      } finally {
        for (const socket of slow) socket.destroy();
        await app.close();
        await close(joc.server);
      }
    },
  );
});

/** Resolves once `condition` holds (checked every few milliseconds). */
function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  return new Promise((resolve) => {
    const look = async () => ((await condition()) ? resolve() : setTimeout(look, 10));
    void look();
  });
}

/** The status line's code of the first answer on a socket. */
function firstStatus(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) {
        socket.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    socket.on('data', onData);
  });
}

/** A JOC that holds every `/authentication` call until `release()`, then answers them all. */
async function holdingJoc() {
  const held: (() => void)[] = [];
  let released = false;
  const joc = jocDouble((req, res, body) => {
    const answer = () => jocAnswers(req, res, body);
    if (released || !req.url?.startsWith('/joc/api/authentication/')) answer();
    else held.push(answer);
  });
  const port = await listen(joc.server);
  const release = () => {
    released = true;
    for (const answer of held.splice(0)) answer();
  };
  const answerOne = () => held.shift()?.();
  return { ...joc, url: `http://127.0.0.1:${port}`, release, answerOne };
}

describe('against a real JOC Cockpit: the line of calls waiting for a connection', () => {
  async function proxyFor(url: string) {
    const sink = logSink();
    const app = await buildProxyApp({ target: target(url), logger: sink.logger });
    let handled = 0;
    app.addHook('preHandler', (_request, _reply, done) => {
      handled++;
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const login = (who: string) =>
      startRequest(
        port,
        '/joc/api/authentication/login',
        `X-Who: ${who}\r\nContent-Length: 0\r\n`,
        '',
      );
    const connections = () =>
      new Promise<number>((resolve) => app.server.getConnections((_e, n) => resolve(n)));
    return { app, sink, login, connections, handled: () => handled };
  }

  it(
    'a call whose client left while it waited never reaches JOC, nor delays the next',
    { timeout: 60_000 },
    async () => {
      const joc = await holdingJoc();
      const proxy = await proxyFor(joc.url);
      const sockets = Array.from({ length: 16 }, (_, i) => proxy.login(`held-${i}`));
      try {
        // Every login connection busy with a call JOC holds.
        await until(() => joc.seen.length === 16);
        // Forty logins whose clients leave while they wait for a connection.
        const gone = Array.from({ length: 40 }, (_, i) => proxy.login(`gone-${i}`));
        sockets.push(...gone);
        await until(() => proxy.handled() === 56);
        for (const socket of gone) socket.destroy();
        await until(async () => (await proxy.connections()) === 16);
        const answer = proxy.app.inject({
          method: 'POST',
          url: '/joc/api/authentication/login',
          headers: { 'x-who': 'me' },
        });
        await until(() => proxy.handled() === 57);
        joc.release();
        assert.equal((await answer).statusCode, 200);
        const who = joc.seen.map((r) => String(r.headers['x-who']));
        assert.deepEqual(
          who.filter((w) => w.startsWith('gone-')),
          [],
          'no call of a client that left reached JOC',
        );
        assert.equal(who.length, 17);
        assert.equal(who.at(-1), 'me');
        const left = proxy.sink.lines.filter((l) =>
          l.includes('"msg":"the client left before JOC answered"'),
        );
        assert.equal(left.length, 40);
        assert.ok(left.every((l) => l.includes('"level":30')));
      } finally {
        for (const socket of sockets) socket.destroy();
        await proxy.app.close();
        await close(joc.server);
      }
    },
  );

  it(
    "one address's many waiting calls do not hold off another's: addresses take turns; none is refused",
    { timeout: 60_000 },
    async () => {
      const joc = await holdingJoc();
      const proxy = await proxyFor(joc.url);
      // One client (127.0.0.1) holds every login connection and has 100 more calls waiting.
      const sockets = Array.from({ length: 16 + 100 }, (_, i) => proxy.login(`flood-${i}`));
      const statuses = sockets.map(firstStatus);
      try {
        await until(() => joc.seen.length === 16 && proxy.handled() === 116);
        // A person at another address logs in after all of them.
        const person = proxy.app.inject({
          method: 'POST',
          url: '/joc/api/authentication/login',
          headers: { 'x-who': 'person' },
          remoteAddress: '10.0.0.2',
        });
        await until(() => proxy.handled() === 117);
        // JOC answers two held calls: of the two connections they free, one goes to the flood's
        // next call and one to the other address, which waited one turn, not a hundred calls.
        joc.answerOne();
        joc.answerOne();
        await until(() => joc.seen.length === 18);
        // (The two calls go out on two connections: JOC may see them in either order.)
        const next = joc.seen.slice(16).map((r) => String(r.headers['x-who']));
        assert.ok(next.includes('person'), next.join());
        assert.ok(
          next.some((who) => who.startsWith('flood-')),
          next.join(),
        );
        joc.release();
        assert.equal((await person).statusCode, 200);
        // Nobody was refused: the flood's calls waited their turns.
        assert.deepEqual(await Promise.all(statuses), new Array(116).fill(200));
        assert.equal(LOGIN_CONNECTIONS, 16);
      } finally {
        for (const socket of sockets) socket.destroy();
        await proxy.app.close();
        await close(joc.server);
      }
    },
  );
});

describe('against a real JOC Cockpit: a call that waits out the deadline', () => {
  it(
    'is answered 504 saying JOC was not asked, logged as a warning',
    { timeout: 30_000 },
    async () => {
      const joc = await holdingJoc();
      const sink = logSink();
      const app = await buildProxyApp({
        target: target(joc.url),
        logger: sink.logger,
        answerTimeout: 500,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const sockets = Array.from({ length: 16 }, (_, i) =>
        startRequest(
          port,
          '/joc/api/authentication/login',
          `X-Who: held-${i}\r\nContent-Length: 0\r\n`,
          '',
        ),
      );
      try {
        await until(() => joc.seen.length === 16);
        const waited = await app.inject({ method: 'POST', url: '/joc/api/authentication/login' });
        assert.equal(waited.statusCode, 504);
        const message = `This server's 16 connections to JOC Cockpit at ${joc.url} were all taken for 0.5 s, with calls waiting for them: JOC was not asked this call. Try again in a moment.`;
        assert.deepEqual(waited.json().error, { code: 'JOC-504', message });
        assert.ok(sink.lines.some((l) => l.includes('"level":40') && l.includes(message)));
        assert.equal(joc.seen.length, 16, 'JOC was not asked');
      } finally {
        for (const socket of sockets) socket.destroy();
        joc.release();
        await app.close();
        await close(joc.server);
      }
    },
  );
});

describe('against a real JOC Cockpit: request bodies held at once', () => {
  it(
    'beyond the budget (and one address\'s part of it) are answered 503 "busy"; their room comes back when a call ends',
    { timeout: 30_000 },
    async () => {
      const held: ServerResponse[] = [];
      const joc = jocDouble((req, res, body) => {
        if (req.url === '/joc/api/x/hold') held.push(res);
        else jocAnswers(req, res, body);
      });
      const jocPort = await listen(joc.server);
      const url = `http://127.0.0.1:${jocPort}`;
      const sink = logSink();
      const app = await buildProxyApp({
        target: target(url),
        logger: sink.logger,
        bodyBudget: 2 * 1024 * 1024,
        bodyBudgetPerAddress: 512 * 1024,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      // Exactly one address's part: then not one more byte from it, but a small body.
      const body = 'a'.repeat(512 * 1024);
      const upload = (remoteAddress = '127.0.0.1') =>
        app.inject({
          method: 'POST',
          url: '/joc/api/upload',
          headers: { 'content-type': 'application/json' },
          payload: body,
          remoteAddress,
        });
      const first = startRequest(
        port,
        '/joc/api/x/hold',
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`,
        body,
      );
      // Announced, never sent: sixteen of the largest would once have taken all the room.
      const announced = Array.from({ length: 16 }, () =>
        startRequest(
          port,
          '/joc/api/upload',
          `Content-Type: application/json\r\nContent-Length: ${4 * 1024 * 1024}\r\n`,
          '',
        ),
      );
      try {
        // JOC holds the first call: its body is still held here, counted for 127.0.0.1.
        await until(() => held.length === 1);
        const refused = await upload();
        assert.equal(refused.statusCode, 503);
        assert.match(String(refused.headers['content-type']), /^application\/json/);
        const message = `This server is busy: the request bodies it holds for JOC Cockpit at ${url} take all the room it has for them (2 MiB, 0.5 MiB from one client address). Try again in a moment.`;
        assert.deepEqual(refused.json().error, { code: 'JOC-503', message });
        assert.ok(sink.lines.some((l) => l.includes('"level":40') && l.includes(message)));
        // A small body (an ordinary call) from the same address is never refused for room.
        const small = await app.inject({
          method: 'POST',
          url: '/joc/api/upload',
          headers: { 'content-type': 'application/json' },
          payload: '{}',
        });
        assert.equal(small.statusCode, 200);
        // Another address has room: announced lengths that never came hold none.
        const other = await upload('10.0.0.2');
        assert.equal(other.statusCode, 200);
        assert.deepEqual(other.json(), { received: body.length });
        assert.deepEqual(
          joc.seen.map((r) => r.url),
          ['/joc/api/x/hold', '/joc/api/upload', '/joc/api/upload'],
          "JOC got the small one and the other address's, not the refused one",
        );
        // Its client leaves: the room comes back.
        first.destroy();
        await lineLike(sink.lines, /the client left before JOC answered/);
        const answered = await upload();
        assert.equal(answered.statusCode, 200);
        // Answered: the room comes back too.
        assert.equal((await upload()).statusCode, 200);
        assert.equal(BODY_BUDGET_BYTES, 64 * 1024 * 1024);
        assert.equal(BODY_BUDGET_PER_ADDRESS_BYTES, 8 * 1024 * 1024);
      } finally {
        first.destroy();
        for (const socket of announced) socket.destroy();
        await app.close();
        await close(joc.server);
      }
    },
  );
});

describe('against a real JOC Cockpit: when JOC breaks off its answer', () => {
  it(
    'answers 502 naming JOC when it resets the connection after its headers; one log line, no stack',
    { timeout: 30_000 },
    async () => {
      let headersHere: () => void = () => undefined;
      const headersPassed = new Promise<void>((resolve) => (headersHere = resolve));
      const server = createNetServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => {
          socket.write(
            'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Access-Token: joc\r\nContent-Length: 100\r\n\r\n',
          );
          // Reset once the proxy has JOC's headers and is about to pass the body on.
          void headersPassed.then(() => socket.resetAndDestroy());
        });
      });
      const port = await new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
      const url = `http://127.0.0.1:${port}`;
      const sink = logSink();
      const app = await buildProxyApp({ target: target(url), logger: sink.logger });
      app.addHook('onSend', (_request, _reply, payload, done) => {
        headersHere();
        done(null, payload);
      });
      try {
        const answer = await app.inject({ method: 'POST', url: '/joc/api/authentication/login' });
        assert.equal(answer.statusCode, 502);
        assert.match(String(answer.headers['content-type']), /^application\/json/);
        assert.equal(answer.headers['x-access-token'], undefined, "none of JOC's headers");
        const { error } = answer.json();
        assert.equal(error.code, 'JOC-502');
        assert.match(
          error.message,
          new RegExp(
            `^JOC Cockpit at ${url} closed the connection before its answer was complete \\((ECONNRESET|UND_ERR_SOCKET)`,
          ),
        );
        assert.deepEqual(
          sink.lines.filter((l) => /"level":(40|50|60)/.test(l)).map((l) => JSON.parse(l).msg),
          [error.message],
        );
        assert.ok(!sink.lines.some((l) => l.includes('"stack"')), 'no stack trace');
      } finally {
        await app.close();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );
});

describe('against a real JOC Cockpit: TLS', () => {
  let dir: string;
  let caFile: string;
  let clientCert: Buffer;
  let clientKey: Buffer;
  let serverCert: Buffer;
  let serverKey: Buffer;
  let ca: Buffer;

  /** A key and a certificate signed by the test CA (`ext` lines for the extension file). */
  function issue(name: string, subject: string, ext: string): { cert: Buffer; key: Buffer } {
    const key = join(dir, `${name}.key`);
    const csr = join(dir, `${name}.csr`);
    const cert = join(dir, `${name}.crt`);
    const extFile = join(dir, `${name}.ext`);
    writeFileSync(extFile, ext);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caFile,
      '-CAkey',
      join(dir, 'ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      extFile,
      '-out',
      cert,
    ]);
    return {
      cert: openssl(['x509', '-in', cert]),
      key: openssl(['pkey', '-in', key]),
    };
  }

  before(() => {
    dir = tempDir('joc-proxy-tls-');
    caFile = join(dir, 'ca.crt');
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'ca.key'),
      '-subj',
      '/CN=Test JOC CA',
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      caFile,
    ]);
    ca = openssl(['x509', '-in', caFile]);
    ({ cert: serverCert, key: serverKey } = issue(
      'server',
      '/CN=127.0.0.1',
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    ));
    ({ cert: clientCert, key: clientKey } = issue(
      'client',
      '/CN=root',
      'extendedKeyUsage=clientAuth\n',
    ));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  async function httpsJoc(requireClientCert: boolean) {
    const double = jocDouble(jocAnswers, (h) =>
      createHttpsServer(
        {
          cert: serverCert,
          key: serverKey,
          ca: requireClientCert ? ca : undefined,
          requestCert: requireClientCert,
          rejectUnauthorized: requireClientCert,
        },
        h,
      ),
    );
    const port = await listen(double.server);
    return { ...double, url: `https://127.0.0.1:${port}` };
  }

  const login = (app: FastifyInstance) =>
    app.inject({ method: 'POST', url: '/joc/api/authentication/login' });

  it('trusts JOC through the CA file, and refuses it without, naming the cause', async () => {
    const joc = await httpsJoc(false);
    const trusting = await buildProxyApp({
      target: target(joc.url, { ca, files: { ca: caFile } }),
    });
    const sink = logSink();
    const untrusting = await buildProxyApp({ target: target(joc.url), logger: sink.logger });
    try {
      const ok = await login(trusting);
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['x-access-token'], 'tok-123');

      const refused = await login(untrusting);
      assert.equal(refused.statusCode, 502);
      const { error } = refused.json();
      assert.equal(error.code, 'JOC-502');
      assert.match(error.message, new RegExp(`JOC Cockpit at ${joc.url} is not trusted`));
      assert.match(error.message, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
      assert.match(error.message, /JOC_CA_FILE/);
      assert.ok(
        sink.lines.some((l) => l.includes('is not trusted') && l.includes('"level":50')),
        'the log names the cause',
      );
    } finally {
      await trusting.close();
      await untrusting.close();
      await close(joc.server);
    }
  });

  it('logs in with a client certificate (mutual TLS); without one the handshake fails', async () => {
    const joc = await httpsJoc(true);
    const withCert = await buildProxyApp({
      target: target(joc.url, { ca, clientCert, clientKey, files: { ca: caFile } }),
    });
    const withoutCert = await buildProxyApp({ target: target(joc.url, { ca }) });
    try {
      const ok = await login(withCert);
      assert.equal(ok.statusCode, 200);
      assert.equal(joc.seen.at(-1)!.clientCn, 'root');
      const refused = await login(withoutCert);
      assert.equal(refused.statusCode, 502);
      assert.match(refused.json().error.message, new RegExp(`JOC Cockpit at ${joc.url}`));
    } finally {
      await withCert.close();
      await withoutCert.close();
      await close(joc.server);
    }
  });

  it('skips verification only when switched on, and warns at start', async () => {
    const joc = await httpsJoc(false);
    const sink = logSink();
    const app = await buildProxyApp({
      target: target(joc.url, { insecureTls: true }),
      logger: sink.logger,
    });
    try {
      const warning = sink.lines.find((l) => l.includes('JOC_INSECURE_TLS'));
      assert.ok(warning, 'a warning at start');
      assert.match(warning, /"level":40/);
      assert.match(warning, /NOT verified/);
      assert.equal((await login(app)).statusCode, 200);
    } finally {
      await app.close();
      await close(joc.server);
    }
  });

  it('reads the TLS settings from the environment and joc.json, files relative to joc.json', () => {
    const data = tempDir('joc-proxy-data-');
    try {
      mkdirSync(join(data, 'tls'));
      writeFileSync(join(data, 'tls', 'ca.pem'), ca);
      writeFileSync(join(data, 'tls', 'client.pem'), clientCert);
      writeFileSync(join(data, 'tls', 'client.key'), clientKey);
      writeFileSync(
        join(data, 'joc.json'),
        JSON.stringify({
          jocUrl: 'https://joc.example.com:4443/',
          jocCaFile: 'tls/ca.pem',
          jocClientCert: 'tls/client.pem',
          jocClientKey: 'tls/client.key',
        }),
      );
      const fromFile = loadJocTarget(data, {});
      assert.equal(fromFile?.url, 'https://joc.example.com:4443');
      assert.equal(fromFile?.files.ca, join(data, 'tls', 'ca.pem'));
      assert.ok(fromFile?.clientCert?.equals(clientCert));
      assert.equal(fromFile?.insecureTls, false);

      const fromEnv = loadJocTarget(data, {
        JOC_URL: 'https://other:8443',
        JOC_CA_FILE: caFile,
        JOC_INSECURE_TLS: 'true',
      });
      assert.equal(fromEnv?.url, 'https://other:8443');
      assert.equal(fromEnv?.files.ca, caFile);
      assert.equal(fromEnv?.insecureTls, true);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('refuses wrong TLS settings at start with a message naming the setting', () => {
    const data = tempDir('joc-proxy-data-');
    const wrongKey = join(dir, 'other.key');
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', wrongKey]);
    writeFileSync(join(dir, 'client.pem'), clientCert);
    const cases: [Record<string, string>, RegExp][] = [
      [{ JOC_URL: 'joc.example.com:4443' }, /JOC_URL: must start with https:\/\/ or http:\/\//],
      [{ JOC_URL: 'not a url' }, /JOC_URL: not an address/],
      [{ JOC_URL: 'https://joc:4443/joc/api' }, /without "\/joc\/api"/],
      [{ JOC_URL: 'https://me:pw@joc:4443' }, /must not hold an account or password/],
      [{ JOC_URL: 'http://joc:4446', JOC_CA_FILE: caFile }, /apply only to an https/],
      [{ JOC_URL: 'https://joc', JOC_CA_FILE: join(dir, 'missing.pem') }, /cannot read .*ENOENT/],
      [{ JOC_URL: 'https://joc', JOC_CA_FILE: join(dir, 'server.ext') }, /is not PEM text/],
      [{ JOC_URL: 'https://joc', JOC_CLIENT_CERT: join(dir, 'client.pem') }, /needs its key/],
      [
        {
          JOC_URL: 'https://joc',
          JOC_CLIENT_CERT: join(dir, 'client.pem'),
          JOC_CLIENT_KEY: wrongKey,
        },
        /JOC_CLIENT_KEY: the TLS files cannot be used.*does the key belong/,
      ],
      [
        { JOC_URL: 'https://joc', JOC_INSECURE_TLS: 'maybe' },
        /JOC_INSECURE_TLS: must be true or false/,
      ],
    ];
    try {
      for (const [env, message] of cases)
        assert.throws(() => loadJocTarget(data, env), message, JSON.stringify(env));
      assert.equal(loadJocTarget(data, {}), undefined, 'no JOC_URL: the embedded server');
      assert.deepEqual(readdirSync(data), [], 'reading the settings creates nothing');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('refuses an unknown joc.json setting as the embedded server does, and keeps its settings', async () => {
    const data = tempDir('joc-proxy-data-');
    const file = join(data, 'joc.json');
    const write = (value: object) => writeFileSync(file, JSON.stringify(value));
    try {
      const misspelt = { jocUrl: 'https://joc.example.com:4443', jocCAFile: caFile };
      write(misspelt);
      const embedded = await resolveConfig(
        { ...TEST_CONFIG, ...misspelt },
        { source: file, hashCost: { N: 1024 } },
      ).then(
        () => assert.fail('the embedded server accepted "jocCAFile"'),
        (error: Error) => error.message,
      );
      assert.match(embedded, /unknown setting "jocCAFile" \(known: .*jocCaFile/);
      assert.throws(() => loadJocTarget(data, {}), { name: 'ConfigError', message: embedded });
      write({ foo: 1 });
      assert.throws(() => loadJocTarget(data, { JOC_URL: 'https://joc:4443' }), {
        message: /joc\.json: unknown setting "foo" \(known: /,
      });
      // The embedded server's own settings are no typos: proxy mode leaves them unused.
      write({ ...TEST_CONFIG, jocUrl: 'https://joc.example.com:4443', jocCaFile: caFile });
      assert.equal(loadJocTarget(data, {})?.files.ca, caFile);
      assert.equal(
        loadJocTarget(data, { JOC_URL: 'https://other:8443' })?.url,
        'https://other:8443',
      );
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("the embedded server accepts joc.json's TLS settings without a jocUrl", async () => {
    await resolveConfig({ ...TEST_CONFIG, jocCaFile: 'ca.pem' }, { hashCost: { N: 1024 } });
  });
});

describe('against a real JOC Cockpit: when JOC cannot be reached', () => {
  it('answers 502 in the envelope with a message naming JOC and the cause, and logs it', async () => {
    const probe = createHttpServer();
    const port = await listen(probe);
    await close(probe); // nothing listens there now
    const sink = logSink();
    const url = `http://127.0.0.1:${port}`;
    const app = await buildProxyApp({ target: target(url), logger: sink.logger });
    try {
      const answer = await app.inject({ method: 'POST', url: '/joc/api/authentication/login' });
      assert.equal(answer.statusCode, 502);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      const body = answer.json();
      assert.equal(body.error.code, 'JOC-502');
      assert.equal(
        body.error.message,
        `JOC Cockpit at ${url} is not reachable: ECONNREFUSED (nothing accepts connections there: is JOC Cockpit running, and is the port right?).`,
      );
      assert.ok(typeof body.deliveryDate === 'string');
      assert.ok(
        sink.lines.some((l) => l.includes('"level":50') && l.includes('ECONNREFUSED')),
        'the log names the cause',
      );
      assert.ok(!sink.lines.some((l) => /Basic |authorization/i.test(l)));
      // That one line only: no second one with a stack trace beside it.
      assert.deepEqual(
        sink.lines.filter((l) => /"level":(40|50|60)/.test(l)).map((l) => JSON.parse(l).msg),
        [body.error.message],
      );
      assert.ok(!sink.lines.some((l) => l.includes('"stack"')), 'no stack trace');
    } finally {
      await app.close();
    }
  });
});

describe('against a real JOC Cockpit: when JOC answers with a redirect', () => {
  it("answers 502 naming the Location, and the JOC_URL to set only on JOC_URL's host; logs it, passes no header on", async () => {
    let status = 302;
    let location: string | undefined;
    const joc = jocDouble((_req, res) => {
      res.writeHead(status, {
        ...(location === undefined ? {} : { location }),
        'set-cookie': 'FRONT=1; Path=/',
        'content-type': 'text/html',
      });
      res.end('<html>moved</html>');
    });
    const port = await listen(joc.server);
    const url = `http://127.0.0.1:${port}`;
    const sink = logSink();
    const app = await buildProxyApp({ target: target(url), logger: sink.logger });
    const login = async () => {
      const answer = await app.inject({ method: 'POST', url: '/joc/api/authentication/login' });
      assert.equal(answer.statusCode, 502);
      assert.equal(answer.headers['location'], undefined);
      assert.equal(answer.headers['set-cookie'], undefined);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      const body = answer.json();
      assert.equal(body.error.code, 'JOC-502');
      assert.ok(
        sink.lines.some((l) => l.includes('"level":50') && l.includes(body.error.message)),
        'the log has the same line',
      );
      return body.error.message as string;
    };
    const elsewhere = (code: number) =>
      `JOC Cockpit at ${url} (JOC_URL) answers with a redirect (HTTP ${code}) to another host, which this server does not follow: check that JOC_URL is the address where JOC Cockpit answers itself, and that nothing on the way to it redirects.`;
    try {
      // http to https on JOC_URL's host and port: that is where JOC answers.
      location = `https://127.0.0.1:${port}/joc/api/authentication/login`;
      assert.equal(
        await login(),
        `JOC Cockpit at ${url} redirects to ${location} (HTTP 302): set JOC_URL to https://127.0.0.1:${port}.`,
      );
      // JOC's own http :4446 to https :4443 on JOC_URL's host: TLS checks that host.
      location = `https://127.0.0.1:${port + 1}/joc/api/authentication/login`;
      assert.equal(
        await login(),
        `JOC Cockpit at ${url} redirects to ${location} (HTTP 302): set JOC_URL to https://127.0.0.1:${port + 1}.`,
      );
      // Another path prefix on the same host.
      status = 308;
      location = '/jobscheduler/joc/api/authentication/login';
      assert.equal(
        await login(),
        `JOC Cockpit at ${url} redirects to ${url}${location} (HTTP 308): set JOC_URL to ${url}/jobscheduler.`,
      );
      // Another host, or another port: no address to set, not even in the log line's message.
      status = 302;
      for (const elsewhereLocation of [
        'https://evil.example/joc/api/authentication/login',
        `https://evil.example:${port}/joc/api/authentication/login`,
        `http://127.0.0.1:${port + 1}/joc/api/authentication/login`,
        'https://user:pw@evil.example/joc/api/authentication/login',
      ]) {
        location = elsewhereLocation;
        const message = await login();
        assert.equal(message, elsewhere(302), location);
        assert.ok(!message.includes('evil'), message);
      }
      // The administrator finds where it led in the log, without the credentials.
      const logged = sink.lines.filter((l) => l.includes('to another host'));
      assert.ok(logged.some((l) => l.includes('"location":"https://evil.example/joc/api/')));
      assert.ok(!logged.some((l) => l.includes('pw@')));
      // A redirect to itself leaves nothing to set.
      status = 307;
      location = '/joc/api/authentication/login';
      assert.equal(
        await login(),
        `JOC Cockpit at ${url} redirects to ${url}${location} (HTTP 307): set JOC_URL to the address where JOC Cockpit answers itself.`,
      );
      status = 301;
      location = '/sso/login?next=%2F';
      assert.equal(
        await login(),
        `JOC Cockpit at ${url} redirects to ${url}/sso/login?next=%2F (HTTP 301): set JOC_URL to the address where JOC Cockpit answers itself.`,
      );
      status = 302;
      location = undefined;
      assert.equal(
        await login(),
        `JOC Cockpit at ${url} answers with a redirect (HTTP 302) without a Location: set JOC_URL to the address where JOC Cockpit answers itself.`,
      );
      // 304 is an answer to a conditional request, not a redirect: passed on as it is.
      status = 304;
      const notModified = await app.inject({ method: 'GET', url: '/joc/api/authentication/login' });
      assert.equal(notModified.statusCode, 304);
    } finally {
      await app.close();
      await close(joc.server);
    }
  });
});

/**
 * A stand-in JOC Cockpit that accepts connections, reads what comes and never answers. Resolves
 * its port; `received` resolves once a request has arrived.
 */
async function silentJoc() {
  const sockets = new Set<Socket>();
  let arrived: () => void = () => undefined;
  const received = new Promise<void>((resolve) => (arrived = resolve));
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => arrived());
    socket.on('error', () => undefined);
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { port, received, stop };
}

describe('against a real JOC Cockpit: when JOC does not answer', () => {
  it(
    'answers 504 "did not answer in time" once the answer timeout has passed',
    { timeout: 30_000 },
    async () => {
      const joc = await silentJoc();
      const sink = logSink();
      const url = `http://127.0.0.1:${joc.port}`;
      const app = await buildProxyApp({
        target: target(url),
        logger: sink.logger,
        answerTimeout: 300,
      });
      try {
        const answer = await app.inject({ method: 'POST', url: '/joc/api/authentication/login' });
        assert.equal(answer.statusCode, 504);
        const body = answer.json();
        assert.equal(body.error.code, 'JOC-504');
        assert.equal(
          body.error.message,
          `JOC Cockpit at ${url} did not answer in time (UND_ERR_HEADERS_TIMEOUT).`,
        );
        assert.ok(
          sink.lines.some((l) => l.includes('"level":50') && l.includes('did not answer in time')),
          'the log has the same line',
        );
      } finally {
        await app.close();
        await joc.stop();
      }
    },
  );
});

describe('against a real JOC Cockpit: when JOC trickles its answer', () => {
  it(
    'cuts it off at the answer timeout: a begun answer ends the connection, an empty one is a 504',
    { timeout: 30_000 },
    async () => {
      let jocLetGo: () => void = () => undefined;
      const jocClosed = new Promise<void>((resolve) => (jocLetGo = resolve));
      const joc = jocDouble((req, res) => {
        res.on('close', () => jocLetGo());
        if (req.url === '/joc/api/x/drip') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"certificate":"');
          // A byte far more often than the answer timeout: no pause long enough to time out.
          const drip = setInterval(() => res.write('A'), 20);
          res.on('close', () => clearInterval(drip));
        } else {
          res.writeHead(200, { 'content-type': 'application/json', 'x-access-token': 'joc' });
          res.flushHeaders();
        }
      });
      const jocPort = await listen(joc.server);
      const url = `http://127.0.0.1:${jocPort}`;
      const sink = logSink();
      const app = await buildProxyApp({
        target: target(url),
        logger: sink.logger,
        answerTimeout: 300,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      try {
        const drip = startRequest(port, '/joc/api/x/drip', 'Content-Length: 0\r\n', '');
        let received = '';
        drip.on('data', (d: Buffer) => (received += d.toString('latin1')));
        // Without the deadline the answer never ends and the test times out.
        await new Promise((resolve) => drip.once('close', resolve));
        assert.match(received, /^HTTP\/1\.1 200 /);
        assert.match(received, /\{"certificate":"A*/);
        assert.doesNotMatch(received, /\r\n0\r\n\r\n$/, 'no end of the answer: it is incomplete');
        await jocClosed;
        assert.ok(
          sink.lines.some(
            (l) =>
              l.includes('"level":50') &&
              l.includes(
                `JOC Cockpit at ${url} did not answer in time (its answer was not complete within 0.3 s): the connection to the browser was ended.`,
              ),
          ),
          'the log says so',
        );

        // Headers but no body: nothing went out, so the person gets the 504.
        const empty = await app.inject({ method: 'POST', url: '/joc/api/x/headers' });
        assert.equal(empty.statusCode, 504);
        assert.equal(
          empty.json().error.message,
          `JOC Cockpit at ${url} did not answer in time (its answer was not complete within 0.3 s).`,
        );
        assert.equal(empty.headers['x-access-token'], undefined, "none of JOC's headers");
      } finally {
        await app.close();
        await close(joc.server);
      }
    },
  );
});

/** Resolves once a line matching `pattern` is in `lines` (checked as lines come). */
function lineLike(lines: string[], pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const look = () => {
      const found = lines.find((l) => pattern.test(l));
      if (found) resolve(found);
      else setTimeout(look, 10);
    };
    look();
  });
}

describe('against a real JOC Cockpit: a client that leaves', () => {
  it(
    'is logged at info without advice, mid-upload, cut off by the 408, or before JOC answers',
    { timeout: 30_000 },
    async () => {
      const held: ServerResponse[] = [];
      let holding: () => void = () => undefined;
      const jocHolds = new Promise<void>((resolve) => (holding = resolve));
      const joc = jocDouble((req, res, body) => {
        if (req.url !== '/joc/api/x/hold') return jocAnswers(req, res, body);
        held.push(res);
        holding();
      });
      const jocPort = await listen(joc.server);
      const sink = logSink();
      const app = await buildProxyApp({
        target: target(`http://127.0.0.1:${jocPort}`),
        logger: sink.logger,
        requestTimeoutMs: 400,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const noConnections = () =>
        new Promise<void>((resolve) => {
          const look = () =>
            app.server.getConnections((_e, n) => (n === 0 ? resolve() : setTimeout(look, 10)));
          look();
        });
      const errors = () => sink.lines.filter((l) => /"level":(50|60)/.test(l));
      const left = /the client left before JOC answered|closed the connection/;
      const upload = (first: string) =>
        startRequest(
          port,
          '/joc/api/profile/key/import',
          'Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n',
          first,
        );
      try {
        // A tab closed mid-upload.
        const closed = upload('--XX\r\n'.repeat(100));
        await lineLike(sink.lines, /"url":"\/joc\/api\/profile\/key\/import"/);
        closed.destroy();
        let line = await lineLike(sink.lines, left);
        assert.match(line, /"level":30/);
        assert.deepEqual(errors(), []);
        sink.lines.length = 0;

        // An upload that stops: this server answers 408 and closes.
        const stopped = upload('--XX\r\n');
        const answer = await answerOf(stopped);
        assert.equal(answer.status, 408);
        line = await lineLike(sink.lines, left);
        assert.match(line, /"level":30/);
        assert.deepEqual(errors(), []);
        sink.lines.length = 0;

        // A call whose client leaves while JOC works on it, and JOC then drops it.
        const call = startRequest(port, '/joc/api/x/hold', 'Content-Length: 0\r\n', '');
        await jocHolds;
        call.destroy();
        await noConnections();
        for (const res of held) res.socket?.destroy();
        line = await lineLike(sink.lines, left);
        assert.match(line, /"level":30/);
        assert.match(line, /"msg":"the client left before JOC answered"/);
        assert.deepEqual(errors(), []);
      } finally {
        await app.close();
        await close(joc.server);
      }
    },
  );
});

describe('against a real JOC Cockpit: npm start keeps nothing of its own', () => {
  it('JOC_URL=… starts the proxy: no database, no joc.json, nothing in the data folder', async () => {
    const joc = jocDouble(jocAnswers);
    const jocPort = await listen(joc.server);
    const parent = tempDir('joc-proxy-start-');
    const dataDir = join(parent, 'data');
    const probe = createHttpServer();
    const port = await listen(probe);
    await close(probe);
    let output = '';
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        JOC_DATA_DIR: dataDir,
        JOC_URL: `http://127.0.0.1:${jocPort}`,
        LOG_LEVEL: 'info',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      let answer: Response | undefined;
      for (let i = 0; i < 100 && !answer; i++) {
        await new Promise((r) => setTimeout(r, 200));
        if (child.exitCode !== null) assert.fail(`the server exited: ${output}`);
        answer = await fetch(`http://127.0.0.1:${port}/joc/api/authentication/login`, {
          method: 'POST',
          headers: { authorization: 'Basic cm9vdDpyb290' },
        }).catch(() => undefined);
      }
      assert.equal(answer?.status, 200);
      assert.equal(answer?.headers.get('x-access-token'), 'tok-123');
      assert.match(output, /console for JOC Cockpit at http:\/\/127\.0\.0\.1:\d+/);
      assert.match(output, /no accounts, keys or sessions are kept here/);
      assert.equal(existsSync(dataDir), false, `the data folder was created: ${output}`);
    } finally {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid, 'SIGTERM');
        await exited;
      }
      await close(joc.server);
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('against a real JOC Cockpit: an answer that is no valid HTTP', () => {
  it('is a 502 saying so, not "not reachable"', { timeout: 30_000 }, async () => {
    for (const raw of [
      // Both lengths at once (request smuggling's favourite), and a status below 100.
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n',
    ]) {
      const server = createNetServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => socket.end(raw));
      });
      const port = await new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
      const url = `http://127.0.0.1:${port}`;
      const app = await buildProxyApp({ target: target(url), logger: logSink().logger });
      try {
        const answer = await app.inject({ method: 'POST', url: '/joc/api/profile/key' });
        assert.equal(answer.statusCode, 502);
        const message = String(answer.json().error.message);
        assert.match(message, new RegExp(`^JOC Cockpit at ${url} answers with an invalid HTTP`));
        assert.doesNotMatch(message, /not reachable|assert/i);
      } finally {
        await app.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
  });
});

describe('against a real JOC Cockpit: broken off after part of the answer went out', () => {
  it(
    "ends the browser's connection; one log line naming JOC, none of Fastify's with a stack",
    {
      timeout: 30_000,
    },
    async () => {
      let jocSocket: Socket | undefined;
      const server = createNetServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => {
          jocSocket = socket;
          socket.write(
            'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"part":',
          );
        });
      });
      const jocPort = await new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
      const url = `http://127.0.0.1:${jocPort}`;
      const sink = logSink();
      const app = await buildProxyApp({ target: target(url), logger: sink.logger });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const client = startRequest(port, '/joc/api/profile/key', 'Content-Length: 0\r\n', '');
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      try {
        // The browser has JOC's status line and part of its body: then JOC resets.
        assert.equal(await firstStatus(client), 200);
        jocSocket!.resetAndDestroy();
        await closed;
        await lineLike(sink.lines, /the connection to the browser was ended/);
        const errors = sink.lines.filter((l) => /"level":(40|50)/.test(l));
        assert.equal(errors.length, 1, errors.join('\n'));
        assert.match(
          errors[0],
          new RegExp(`JOC Cockpit at ${url} closed the connection before its answer was complete`),
        );
        assert.doesNotMatch(errors[0], /"stack"/);
      } finally {
        client.destroy();
        await app.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  );
});
