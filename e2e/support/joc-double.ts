/**
 * A JOC Cockpit double FOR TESTS ONLY (never imported by server/src or scripts/start.js): an HTTP
 * server answering the calls the console makes as a real JOC Cockpit 2.8/2.9 does, per
 * ../shared/real-joc.md (what is marked "inferred" there is inferred here too):
 * - login: Basic, the token in the header `X-Access-Token` and in the body, `role` comma-joined,
 *   optional `forcePasswordChange` and the two-factor answer (`accessToken: ""`);
 * - logout answers the account object; 401/403/440 bodies carry a top-level `message`, no `error`;
 * - `/profile/key` answers `{}` when nothing is stored, `keyType: "PUBLIC"` for a certificate or
 *   public key alone, PGP keys as stored, `validUntil` with an offset instead of `Z`;
 * - validation is lenient as JOC's (it answers, whatever the body), but every request is checked
 *   against JOC's schemas (src/contract/joc-schemas) and each violation recorded for the test;
 * - scenarios: 433 with approvers on writes, one-off answers (401/403/440 without `error`, a 420
 *   with UnknownSessionException), the 2.9.0 LOW write defect (Update/Import write the caller's
 *   own row while Show reads the default account's), generated certificates as JOC makes them
 *   without the SSL CA (issuer "O=JOC,OU=Self Signed", valid 365 days whatever the date
 *   asked), RSA with "Use SSL CA" failing; no `/profile/key/check` (404).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { jocSchemaErrors } from '../../server/test/joc-schemas';

export type Level = 'LOW' | 'MEDIUM' | 'HIGH';

export interface DoubleAccount {
  readonly password: string;
  /** Role names; `role` in the login answer joins them with commas. */
  readonly roles?: readonly string[];
  /** Default true / true. */
  readonly view?: boolean;
  readonly manage?: boolean;
  /** The login answers `forcePasswordChange: true` (JOC's own UI asks for a new password). */
  readonly forcePasswordChange?: boolean;
  /** The login answers the first factor only: `accessToken: ""` and this identity service. */
  readonly secondFactor?: string;
}

/** A stored key pair as JOC keeps it (PEM text). */
export interface StoredKey {
  readonly privateKey?: string;
  readonly publicKey?: string;
  readonly certificate?: string;
  readonly keyAlgorithm: string;
  readonly keyID?: string;
}

export interface DoubleOptions {
  readonly securityLevel?: Level;
  readonly defaultProfileAccount?: string;
  readonly forceCommentsForAuditLog?: boolean;
  readonly accounts?: Readonly<Record<string, DoubleAccount>>;
  /** Stored signing keys by the account whose row they are. */
  readonly keys?: Readonly<Record<string, StoredKey>>;
  readonly ca?: StoredKey;
  /** Four-eyes approval: every write answers 433 with these approvers. */
  readonly approvers?: readonly { accountName: string; firstName?: string; lastName?: string }[];
  /** JOC 2.9.0 at LOW: Update and Import write the caller's own row, Show reads the default's. */
  readonly low290Defect?: boolean;
  /**
   * `/joc/properties`' apiVersion; by default "2.9.0" with the 2.9 defect, else "2.8.4" (whose LOW
   * writes the LOW row); null: not sent.
   */
  readonly apiVersion?: string | null;
}

/** A request the double received. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/** A one-off answer for the next call of a path. */
export interface Canned {
  readonly status: number;
  readonly body: unknown;
}

export interface JocDouble {
  readonly url: string;
  readonly requests: Received[];
  /** Every schema violation, "path: problem"; a test asserts it stays empty. */
  readonly violations: string[];
  /** The stored keys by row owner; the 2.9.0 LOW defect writes `MEDIUM:<account>` rows. */
  readonly keys: Map<string, StoredKey>;
  /** Changed in place by tests between steps. */
  readonly options: { -readonly [K in keyof DoubleOptions]: DoubleOptions[K] };
  /** The next `times` calls of `path` (e.g. "profile/key") answer this instead (default once). */
  answerNext(path: string, canned: Canned, times?: number): void;
  /** Ends every answer set with {@link answerNext}. */
  clearAnswers(): void;
  /** Every session ends (JOC restarted): the next call answers 440. */
  dropSessions(): void;
  stop(): Promise<void>;
}

/** The request schema of each JSON call (none: JOC reads no body there). */
const REQUEST_SCHEMAS: Readonly<Record<string, string>> = {
  'profile/key/store': 'publish/setKeyFilter-schema.json',
  'profile/key/generate': 'publish/generateKey-schema.json',
  'profile/key/delete': 'publish/deleteKey-schema.json',
  'profile/ca/store': 'publish/setRootCa-schema.json',
  'profile/ca/generate': 'publish/generateCaFilter-schema.json',
  audit_log: 'audit/auditLogFilter-schema.json',
};

// ---- dates, keys, certificates ----------------------------------------------------------

/** As Jackson writes a java.util.Date here: with an offset, not `Z` (real-joc.md: inferred). */
export function jocDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

function notAfter(certificate: string | undefined): string | undefined {
  if (!certificate) return undefined;
  try {
    return jocDate(new Date(new X509Certificate(certificate).validTo));
  } catch {
    return undefined;
  }
}

/** What Show answers for a stored pair (JocKeyPair, Jackson NON_NULL). */
function showKey(stored: StoredKey | undefined, keyType?: string): Record<string, unknown> {
  if (!stored) return {};
  const answer: Record<string, unknown> = {
    privateKey: stored.privateKey,
    publicKey: stored.publicKey,
    certificate: stored.certificate,
    keyID: stored.keyID,
    keyAlgorithm: stored.keyAlgorithm,
    // Never "X509": a certificate without its private key is PUBLIC (ShowKeyImpl.java).
    keyType: keyType ?? (stored.privateKey ? 'PRIVATE' : 'PUBLIC'),
    validUntil: notAfter(stored.certificate),
  };
  for (const k of Object.keys(answer)) if (answer[k] === undefined) delete answer[k];
  return answer;
}

/** A key and a certificate from OpenSSL: self-signed, or signed by `ca`. */
function makePair(options: {
  algorithm: 'RSA' | 'ECDSA';
  dn: string;
  days: number;
  ca?: StoredKey;
  isCa?: boolean;
  /**
   * As JOC's Generate without the SSL CA makes it (KeyUtil.generateCertificateFromKeyPair): signed
   * with the key itself, SHA-512, no extensions, but issued by "O=JOC,OU=Self Signed" instead of
   * its own subject; the ECDSA key as PKCS#8 between `EC PRIVATE KEY` lines. OpenSSL writes it
   * as version 1 where JOC writes version 3 without extensions: the same to a reader.
   */
  jocSelfSigned?: boolean;
}): StoredKey {
  const dir = mkdtempSync(join(tmpdir(), 'joc-double-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    const subject =
      '/' +
      options.dn
        .split(/\s*,\s*/)
        .reverse()
        .join('/');
    const newKey =
      options.algorithm === 'RSA'
        ? ['-newkey', 'rsa:2048']
        : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
    const csr = join(dir, 'req.csr');
    /** The new key and its request, then its certificate signed by `caCert` with `caKey`. */
    const request = () =>
      openssl(
        'req',
        '-new',
        ...newKey,
        '-nodes',
        '-keyout',
        keyFile,
        '-subj',
        subject,
        '-out',
        csr,
      );
    const sign = (caCert: string, caKey: string, ...extra: string[]) =>
      openssl(
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        ...extra,
        '-days',
        String(options.days),
        '-out',
        certFile,
      );
    if (options.jocSelfSigned) {
      request();
      // The key signs for a throwaway certificate that only lends the issuer's name.
      const issuer = join(dir, 'issuer.crt');
      openssl(
        'req',
        '-x509',
        '-new',
        '-key',
        keyFile,
        '-subj',
        '/O=JOC/OU=Self Signed',
        '-out',
        issuer,
      );
      sign(issuer, keyFile, '-set_serial', String(Date.now()), '-sha512');
    } else if (options.ca?.privateKey && options.ca.certificate) {
      const caKey = join(dir, 'ca.key');
      const caCert = join(dir, 'ca.crt');
      writeFileSync(caKey, options.ca.privateKey);
      writeFileSync(caCert, options.ca.certificate);
      request();
      sign(caCert, caKey, '-CAcreateserial');
    } else {
      const ext = options.isCa
        ? [
            '-addext',
            'basicConstraints=critical,CA:TRUE',
            '-addext',
            'keyUsage=critical,keyCertSign,cRLSign',
          ]
        : [];
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          ...newKey,
          '-nodes',
          '-keyout',
          keyFile,
          '-subj',
          subject,
          '-days',
          String(options.days),
          ...ext,
          '-out',
          certFile,
        ],
        { stdio: 'pipe' },
      );
    }
    const pkcs8 = execFileSync('openssl', ['pkey', '-in', keyFile], { stdio: 'pipe' }).toString();
    return {
      privateKey:
        options.jocSelfSigned && options.algorithm === 'ECDSA'
          ? pkcs8.replace(/(BEGIN|END) PRIVATE KEY/g, '$1 EC PRIVATE KEY')
          : pkcs8,
      certificate: readFileSync(certFile, 'utf8'),
      keyAlgorithm: options.algorithm,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PEM upload as JOC's import stores it: which block is which. */
function fromUpload(text: string, keyAlgorithm: string): StoredKey {
  const block = (label: RegExp) =>
    text.match(
      new RegExp(`-----BEGIN ${label.source}-----[\\s\\S]*?-----END ${label.source}-----\\s*`),
    )?.[0];
  if (keyAlgorithm === 'PGP') {
    return {
      privateKey: block(/PGP PRIVATE KEY BLOCK/),
      publicKey: block(/PGP PUBLIC KEY BLOCK/),
      keyAlgorithm,
    };
  }
  return {
    privateKey: block(/(?:RSA |EC )?PRIVATE KEY/),
    publicKey: block(/PUBLIC KEY/),
    certificate: block(/CERTIFICATE/),
    keyAlgorithm,
  };
}

// ---- the server -------------------------------------------------------------------------

interface Session {
  readonly account: string;
}

const WRITES = new Set([
  'profile/key/store',
  'profile/key/generate',
  'profile/key/delete',
  'profile/key/import',
  'profile/ca/store',
  'profile/ca/generate',
  'profile/ca/import',
]);

/** Reads a multipart body as JOC's import does (one file, text fields). */
async function readForm(
  headers: IncomingMessage['headers'],
  body: Buffer,
): Promise<{ fields: Record<string, string>; file?: { name: string; text: string } }> {
  const form = await new Request('http://double/', {
    method: 'POST',
    headers: { 'content-type': String(headers['content-type']) },
    body: new Uint8Array(body),
  }).formData();
  const fields: Record<string, string> = {};
  let file: { name: string; text: string } | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') file = { name: value.name, text: await value.text() };
  }
  return { fields, file };
}

export async function startJocDouble(initial: DoubleOptions = {}): Promise<JocDouble> {
  const options: JocDouble['options'] = {
    securityLevel: 'LOW',
    defaultProfileAccount: 'root',
    forceCommentsForAuditLog: false,
    accounts: { root: { password: 'root', roles: ['all'] } },
    ...initial,
  };
  const keys = new Map<string, StoredKey>(Object.entries(initial.keys ?? {}));
  let ca = initial.ca;
  const sessions = new Map<string, Session>();
  const requests: Received[] = [];
  const violations: string[] = [];
  const canned = new Map<string, Canned & { times: number }>();
  const audit: Record<string, unknown>[] = [];

  const check = (path: string, rel: string, data: unknown) => {
    const problem = jocSchemaErrors(rel, data);
    if (problem) violations.push(`${path}: ${rel}: ${problem}`);
  };

  /**
   * The row a call acts on: at LOW the default account's, else the caller's own. JOC keeps a row
   * per account and level, so the 2.9.0 defect's writes land in the caller's MEDIUM row, which
   * Show at LOW never reads, even for the default account itself.
   */
  const row = (session: Session, call: 'show' | 'write') => {
    if (options.securityLevel !== 'LOW') return session.account;
    if (call === 'write' && options.low290Defect) return `MEDIUM:${session.account}`;
    return options.defaultProfileAccount ?? 'root';
  };

  const accountAnswer = (account: string, roles: readonly string[]) => ({
    account,
    accessToken: '',
    role: roles.join(','),
    isAuthenticated: false,
    isPermitted: false,
    hasRole: false,
    isApprover: false,
    isApprovalRequestor: false,
    forcePasswordChange: false,
    enableTouch: false,
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const now = new Date();
    const ok = () => send(200, { deliveryDate: jocDate(now), ok: true });
    const error420 = (message: string, code = 'JOC-420') =>
      send(420, { deliveryDate: jocDate(now), surveyDate: jocDate(now), error: { code, message } });

    if (!url.pathname.startsWith('/joc/api/')) return send(404, { message: 'Not Found' });
    const path = url.pathname.slice('/joc/api/'.length);
    const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    let body: unknown = undefined;
    let form: Awaited<ReturnType<typeof readForm>> | undefined;
    if (multipart) {
      form = await readForm(req.headers, raw);
      body = { fields: form.fields, file: form.file?.name };
    } else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violations.push(`${path}: the body is not JSON`);
      }
    }
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.method !== 'POST') violations.push(`${path}: ${req.method}, JOC's API is POST only`);

    // Jersey's default answer for a call JOC does not have (inferred: no ExceptionMapper).
    const known =
      [
        'authentication/login',
        'authentication/logout',
        'authentication/joc_cockpit_permissions',
        'joc/properties',
        'profile/key',
        'profile/ca',
        'audit_log',
      ].includes(path) || WRITES.has(path);
    if (!known) {
      res.writeHead(404, { 'content-type': 'text/html;charset=utf-8' });
      res.end('<!doctype html><html><body><h1>HTTP Status 404 – Not Found</h1></body></html>');
      return;
    }

    if (REQUEST_SCHEMAS[path]) check(path, REQUEST_SCHEMAS[path], body ?? {});
    if (form) {
      if (!form.file) violations.push(`${path}: no "file" field`);
      if (path === 'profile/key/import') {
        try {
          check(
            path,
            'publish/importKeyFilter-schema.json',
            JSON.parse(form.fields['importKeyFilter'] ?? ''),
          );
        } catch {
          violations.push(`${path}: importKeyFilter is not JSON`);
        }
      }
      const allowed = new Set(['importKeyFilter', 'comment', 'timeSpent', 'ticketLink']);
      for (const name of Object.keys(form.fields))
        if (!allowed.has(name)) violations.push(`${path}: unknown form field "${name}"`);
      const auditFields = {
        ...(form.fields['comment'] !== undefined ? { comment: form.fields['comment'] } : {}),
        ...(form.fields['timeSpent'] !== undefined
          ? { timeSpent: Number(form.fields['timeSpent']) }
          : {}),
        ...(form.fields['ticketLink'] !== undefined
          ? { ticketLink: form.fields['ticketLink'] }
          : {}),
      };
      check(path, 'audit/auditParams-schema.json', auditFields);
    }

    const once = canned.get(path);
    if (once) {
      if (once.times <= 1) canned.delete(path);
      else canned.set(path, { ...once, times: once.times - 1 });
      return send(once.status, once.body);
    }

    if (path === 'authentication/login') {
      const header = String(req.headers['authorization'] ?? '');
      const decoded = header.startsWith('Basic ')
        ? Buffer.from(header.slice(6), 'base64').toString('utf8')
        : '';
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      const account = colon > 0 ? options.accounts?.[name] : undefined;
      if (!account || decoded.slice(colon + 1) !== account.password)
        return send(401, { ...accountAnswer(name, []), message: 'Access denied' });
      const roles = account.roles ?? ['all'];
      if (account.secondFactor)
        return send(200, {
          ...accountAnswer(name, roles),
          isAuthenticated: true,
          identityService: 'JOC-INITIAL',
          secondFactoridentityService: account.secondFactor,
          message: 'Second factor needed',
        });
      const token = randomBytes(16).toString('hex');
      sessions.set(token, { account: name });
      return send(
        200,
        {
          ...accountAnswer(name, roles),
          accessToken: token,
          isAuthenticated: true,
          isPermitted: true,
          hasRole: true,
          sessionTimeout: 1_800_000,
          identityService: 'JOC-INITIAL',
          forcePasswordChange: !!account.forcePasswordChange,
          callerHostName: 'localhost',
          callerIpAddress: '127.0.0.1',
        },
        { 'x-access-token': token },
      );
    }

    const token = String(req.headers['x-access-token'] ?? '');
    // JOC answers a call without a token as an expired session: initLogging fails first.
    if (!token)
      return send(440, {
        isAuthenticated: false,
        isPermitted: false,
        message: 'SessionNotExistException: Session has expired. New login is neccessary',
      });
    const session = sessions.get(token);
    if (!session)
      return send(440, {
        isAuthenticated: false,
        isPermitted: false,
        message: 'Session timeout: the session has expired',
      });
    const account = options.accounts?.[session.account];
    const view = account?.view ?? true;
    const manage = account?.manage ?? true;
    const roles = account?.roles ?? ['all'];

    switch (path) {
      case 'authentication/logout':
        sessions.delete(token);
        return send(200, accountAnswer(session.account, roles));
      case 'authentication/joc_cockpit_permissions':
        return send(200, {
          roles,
          joc: {
            getLog: true,
            administration: {
              accounts: { view: true, manage },
              settings: { view: true, manage },
              controllers: { view: true, manage },
              certificates: { view, manage },
              customization: { view: true, manage, share: true },
              editPermissions: manage,
            },
            auditLog: { view: true },
            inventory: { view: true, manage },
          },
          controllerDefaults: { view: true },
          controllers: [],
        });
      case 'joc/properties':
        return send(200, {
          deliveryDate: jocDate(now),
          title: '',
          securityLevel: options.securityLevel,
          defaultProfileAccount: options.defaultProfileAccount,
          forceCommentsForAuditLog: options.forceCommentsForAuditLog,
          comments: ['System maintenance', 'Certificate renewal'],
          ...(options.apiVersion === null
            ? {}
            : { apiVersion: options.apiVersion ?? (options.low290Defect ? '2.9.0' : '2.8.4') }),
          inventoryVersion: '1.0.0',
          copy: { enabled: true },
          showViews: {},
        });
      case 'audit_log':
        return send(200, { deliveryDate: jocDate(now), auditLog: [...audit].reverse() });
      case 'profile/key':
        return send(200, showKey(keys.get(row(session, 'show'))));
      case 'profile/ca':
        return send(200, showKey(ca, 'CA'));
    }

    if (!manage)
      return send(403, {
        isAuthenticated: true,
        isPermitted: false,
        // JOC names no permission.
        message: 'Access denied',
      });
    if (options.approvers)
      return send(433, {
        isAuthenticated: true,
        isPermitted: true,
        message: 'The request needs the approval of another account (four-eyes principle).',
        approvers: options.approvers,
      });
    const b = (body ?? {}) as Record<string, unknown>;
    const auditParams = (multipart ? {} : (b['auditLog'] ?? {})) as Record<string, unknown>;
    /**
     * JOC's audit entry: the request body as `parameters` (for a store that holds the private key:
     * JOCResourceImpl logs the body as sent), the audit fields from the body or the form.
     */
    const record = (comment?: unknown) => {
      const fields = multipart ? (form?.fields ?? {}) : auditParams;
      const timeSpent = Number(fields['timeSpent']);
      const ticketLink = fields['ticketLink'];
      audit.push({
        id: audit.length + 1,
        account: session.account,
        request: `./${path}`,
        created: jocDate(now),
        category: 'CERTIFICATES',
        parameters: multipart ? (form?.fields['importKeyFilter'] ?? '{}') : JSON.stringify(b),
        ...(typeof comment === 'string' && comment ? { comment } : {}),
        ...(Number.isInteger(timeSpent) && timeSpent > 0 ? { timeSpent } : {}),
        ...(typeof ticketLink === 'string' && ticketLink ? { ticketLink } : {}),
      });
    };

    switch (path) {
      case 'profile/key/store': {
        const pair = (b['keys'] ?? {}) as StoredKey;
        // SetKeyImpl's checks, after the audit entry.
        if (pair.publicKey) {
          record(auditParams['comment']);
          return error420('A public key is not allowed here.', 'JOC-414');
        }
        if (!pair.privateKey && !pair.certificate) {
          record(auditParams['comment']);
          return error420('The key is empty.', 'JOC-406');
        }
        if (!/^(PGP|RSA|ECDSA|MLDSA)$/.test(String(pair.keyAlgorithm ?? ''))) {
          record(auditParams['comment']);
          return error420('key data is not a known key type!', 'JOC-411');
        }
        keys.set(row(session, 'write'), {
          privateKey: pair.privateKey,
          publicKey: pair.publicKey,
          certificate: pair.certificate,
          keyAlgorithm: pair.keyAlgorithm ?? 'ECDSA',
        });
        record(auditParams['comment']);
        return ok();
      }
      case 'profile/key/import': {
        const filter = JSON.parse(form?.fields['importKeyFilter'] ?? '{}') as {
          keyAlgorithm?: string;
        };
        // One file per call: a key file replaces the key, a certificate file the certificate, and
        // what the file lacks stays (inferred; the console sends the key, then the certificate).
        const target = row(session, 'write');
        const upload = fromUpload(form?.file?.text ?? '', filter.keyAlgorithm ?? 'ECDSA');
        const defined = Object.fromEntries(
          Object.entries(upload).filter(([, value]) => value !== undefined),
        );
        keys.set(target, { ...keys.get(target), ...defined } as StoredKey);
        record(form?.fields['comment']);
        return ok();
      }
      case 'profile/key/generate': {
        const algorithm = b['keyAlgorithm'] === 'RSA' ? 'RSA' : 'ECDSA';
        const owner = row(session, 'show');
        const dn = typeof b['dn'] === 'string' && b['dn'] ? b['dn'] : `CN=${owner},OU=JOC,O=JS7`;
        let pair: StoredKey;
        // JOC writes the audit entry before it checks the request (GenerateKeyImpl): a refused
        // Generate is in the audit log too.
        record(auditParams['comment']);
        if (b['useSslCa']) {
          if (!ca) return error420('No SSL CA is stored.');
          // JOC reads the ECDSA-only SSL CA key as an RSA key (real-joc.md: inferred).
          if (algorithm === 'RSA')
            return error420(
              'java.security.spec.InvalidKeySpecException: java.security.InvalidKeyException: IOException : algid parse error, not a sequence',
            );
          const until = typeof b['validUntil'] === 'string' ? Date.parse(b['validUntil']) : NaN;
          const days = Number.isNaN(until)
            ? 365
            : Math.max(1, Math.ceil((until - now.getTime()) / 86_400_000));
          pair = makePair({ algorithm, dn, days, ca });
        } else {
          // JOC's "self-signed": validUntil is ignored, the certificate is valid for 365 days.
          pair = makePair({ algorithm, dn, days: 365, jocSelfSigned: true });
        }
        keys.set(owner, pair);
        // GenerateKeyImpl answers no validUntil and no keyID; with the SSL CA keyType "X509".
        const { validUntil: _until, keyID: _id, ...generated } = showKey(pair);
        return send(200, b['useSslCa'] ? { ...generated, keyType: 'X509' } : generated);
      }
      case 'profile/key/delete':
        keys.delete(row(session, 'show'));
        record(auditParams['comment']);
        return ok();
      case 'profile/ca/generate': {
        const dn = typeof b['dn'] === 'string' ? b['dn'] : 'CN=JS7 CA';
        ca = makePair({ algorithm: 'ECDSA', dn, days: 3650, isCa: true });
        record(auditParams['comment']);
        return send(200, showKey(ca, 'CA'));
      }
      case 'profile/ca/store':
        ca = {
          privateKey: b['privateKey'] as string | undefined,
          certificate: b['certificate'] as string | undefined,
          keyAlgorithm: 'ECDSA',
        };
        record(auditParams['comment']);
        return ok();
      case 'profile/ca/import':
        ca = fromUpload(form?.file?.text ?? '', 'ECDSA');
        record(form?.fields['comment']);
        return ok();
    }
    return send(404, { message: 'Not Found' });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        violations.push(`${req.url}: the double failed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    violations,
    keys,
    options,
    answerNext: (path, answer, times = 1) => canned.set(path, { ...answer, times }),
    clearAnswers: () => canned.clear(),
    dropSessions: () => sessions.clear(),
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
