/**
 * Test helpers: an app on a temp data directory with fast password hashes and an injectable clock,
 * OpenSSL-made fixtures, a multipart builder, a snapshot of what is stored, and an independent
 * JOC schema validator (ajv-draft-04 over src/contract/joc-schemas, `extends` merged).
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../src/app';
import { jocSchemaErrors } from './joc-schemas';
import { resolveConfig, type JocConfig } from '../src/config';
import type { JocSecurityLevel } from '../../src/contract';

export const ROOT = join(__dirname, '..', '..');

export function tempDir(prefix = 'joc-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Accounts of every kind the tests need. All passwords are "secret" except root's "root". */
export const TEST_CONFIG = {
  securityLevel: 'LOW',
  defaultProfileAccount: 'root',
  forceCommentsForAuditLog: false,
  comments: ['Certificate renewal', 'Key rotation'],
  sessionTimeoutSeconds: 900,
  roles: {
    administrator: ['sos:products:joc:administration'],
    certificates: ['sos:products:joc:administration:certificates'],
    manager: ['sos:products:joc:administration:certificates:manage'],
    viewer: ['sos:products:joc:administration:certificates:view'],
    other: ['sos:products:joc:inventory'],
  },
  accounts: [
    { account: 'root', password: 'root', roles: ['administrator'] },
    { account: 'admin2', password: 'secret', roles: ['certificates'] },
    { account: 'manager', password: 'secret', roles: ['manager', 'viewer'] },
    { account: 'viewer', password: 'secret', roles: ['viewer'] },
    { account: 'nobody', password: 'secret', roles: ['other'] },
  ],
};

/** A clock tests can move. */
export class TestClock {
  t = Date.now();
  readonly now = () => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly dir: string;
  /** The configuration it runs with (its accounts' password hashes, for another process). */
  readonly config: JocConfig;
  readonly clock: TestClock;
  login(account: string, password?: string): Promise<string>;
  post(url: string, token: string | undefined, payload?: unknown): Promise<LightMyRequestResponse>;
  upload(
    url: string,
    token: string | undefined,
    fields: Record<string, string>,
    files: UploadFile[],
  ): Promise<LightMyRequestResponse>;
  /** Everything stored (keys, CA, audit rows of changes), for "nothing changed" assertions. */
  snapshot(): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly level?: JocSecurityLevel;
  readonly forceComments?: boolean;
  readonly sessionTimeoutSeconds?: number;
  readonly sessionMaxLifetimeSeconds?: number;
  readonly defaultProfileAccount?: string;
  readonly staticDir?: string;
  readonly dir?: string;
  readonly extra?: Partial<AppOptions>;
}

export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? tempDir();
  const clock = new TestClock();
  const { config } = await resolveConfig(
    {
      ...TEST_CONFIG,
      securityLevel: options.level ?? 'LOW',
      forceCommentsForAuditLog: options.forceComments ?? false,
      sessionTimeoutSeconds: options.sessionTimeoutSeconds ?? 900,
      ...(options.sessionMaxLifetimeSeconds
        ? { sessionMaxLifetimeSeconds: options.sessionMaxLifetimeSeconds }
        : {}),
      defaultProfileAccount: options.defaultProfileAccount ?? 'root',
    },
    { hashCost: { N: 1024 } },
  );
  const app = await buildApp({
    dataDir: dir,
    config,
    now: clock.now,
    staticDir: options.staticDir,
    ...options.extra,
  });
  const post = (url: string, token: string | undefined, payload: unknown = {}) =>
    app.inject({
      method: 'POST',
      url: `/joc/api/${url}`,
      headers: token ? { 'x-access-token': token } : {},
      payload: payload as object,
    });
  return {
    app,
    dir,
    config,
    clock,
    async login(account, password) {
      const res = await app.inject({
        method: 'POST',
        url: '/joc/api/authentication/login',
        headers: {
          authorization: basic(account, password ?? (account === 'root' ? 'root' : 'secret')),
        },
      });
      if (res.statusCode !== 200)
        throw new Error(`login ${account}: ${res.statusCode} ${res.body}`);
      return res.json().accessToken as string;
    },
    post,
    upload(url, token, fields, files) {
      const body = multipart(fields, files);
      return app.inject({
        method: 'POST',
        url: `/joc/api/${url}`,
        headers: {
          ...(token ? { 'x-access-token': token } : {}),
          'content-type': body.contentType,
        },
        payload: body.payload,
      });
    },
    snapshot() {
      const db = new Database(join(dir, 'joc.sqlite'), { readonly: true });
      try {
        return JSON.stringify({
          keys: db
            .prepare(
              'SELECT owner, security_level, key_algorithm, private_key, public_key, certificate, updated_at FROM signing_keys ORDER BY owner, security_level',
            )
            .all(),
          ca: db.prepare('SELECT * FROM ssl_ca').all(),
          // Refusals are recorded (category IDENTITY) but change nothing.
          audit: db
            .prepare("SELECT * FROM audit_log WHERE category != 'IDENTITY' ORDER BY id")
            .all(),
        });
      } finally {
        db.close();
      }
    },
    async close() {
      await app.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const basic = (account: string, password: string) =>
  'Basic ' + Buffer.from(`${account}:${password}`, 'utf8').toString('base64');

// ---- multipart ---------------------------------------------------------------------------

export interface UploadFile {
  readonly field?: string;
  readonly filename: string;
  readonly content: string | Uint8Array;
}

export function multipart(
  fields: Record<string, string>,
  files: readonly UploadFile[],
): { payload: Buffer; contentType: string } {
  const boundary = `----joc-test-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        'utf8',
      ),
    );
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        'utf8',
      ),
    );
    chunks.push(Buffer.from(file.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

// ---- OpenSSL fixtures --------------------------------------------------------------------

export function openssl(args: readonly string[], input?: string | Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface PemPair {
  readonly key: string;
  readonly cert: string;
  readonly keyFile: string;
  readonly certFile: string;
}

let counter = 0;

/** A key and a self-signed certificate made by `openssl req -x509 -newkey ...`. */
export function opensslPair(
  dir: string,
  options: {
    algorithm?: 'ec' | 'rsa';
    bits?: number;
    cn?: string;
    days?: number;
    ca?: boolean;
    /** As many DNS alternative names (a big certificate). */
    altNames?: number;
  } = {},
): PemPair {
  const n = ++counter;
  const keyFile = join(dir, `k${n}.pem`);
  const certFile = join(dir, `c${n}.pem`);
  const newkey =
    options.algorithm === 'rsa'
      ? ['-newkey', `rsa:${options.bits ?? 2048}`]
      : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const ext = options.ca
    ? [
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]
    : ['-addext', 'basicConstraints=CA:FALSE', '-addext', 'keyUsage=digitalSignature'];
  if (options.altNames) {
    const names = Array.from({ length: options.altNames }, (_, i) => `DNS:host-${i}.example.com`);
    ext.push('-addext', `subjectAltName=${names.join(',')}`);
  }
  openssl([
    'req',
    '-x509',
    ...newkey,
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-subj',
    `/O=JS7/CN=${options.cn ?? `test-${n}`}`,
    '-days',
    String(options.days ?? 30),
    ...ext,
  ]);
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    keyFile,
    certFile,
  };
}

/** Does the PEM private key belong to the PEM certificate? (node:crypto, independent of src/pki) */
export function pairMatches(privateKeyPem: string, certificatePem: string): boolean {
  const fromKey = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(certificatePem).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return Buffer.compare(fromKey, fromCert) === 0;
}

export function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

// ---- JOC schemas ---------------------------------------------------------------------------

/** Validate `data` against a JOC schema (path below joc-schemas/); returns ajv's error text or ''. */
export function schemaErrors(rel: string, data: unknown): string {
  const errors = jocSchemaErrors(rel, data);
  if (errors === undefined) throw new Error(`no schema ${rel}`);
  return errors;
}

export const dirOf = (file: string) => dirname(file);
