/**
 * The deployment readiness check, each item failing for a real reason: certificates made at
 * test time (expired, expiring, foreign issuer, a key that is not the certificate's).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  generateCa,
  givenIssuerProblems,
  readCertificate,
  readCertificates,
  readinessChecks,
  toPem,
  trustPath,
  type ReadinessInput,
} from './index';
import { storedKeyReadiness } from './readiness';
import { JOC_GENERATED_CERTIFICATE, JOC_GENERATED_KEY } from './testdata/joc-generated';
import { fixtureText, pairValidBetween } from './testing';
import type { GeneratedPair, IssuerPem } from './types';
import { type DayNumber, utcDayNumber } from './days';
import { NO_EXPIRY_MS } from './no-expiry';

const DAY = 86_400_000;
const issuerOf = (p: GeneratedPair): IssuerPem => ({
  privateKey: p.privateKey.pem,
  certificate: p.certificate.pem,
});

async function ca(dn: string, fromDays: number, untilDays: number): Promise<GeneratedPair> {
  const r = await generateCa({
    dn,
    now: new Date(Date.now() + fromDays * DAY),
    notAfter: new Date(Date.now() + untilDays * DAY),
  });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

let selfSigned: GeneratedPair;
let caA: GeneratedPair;
let caAImpostor: GeneratedPair;
let expiringCa: GeneratedPair;
let issued: GeneratedPair;
let issuedByExpiring: GeneratedPair;
let expired: GeneratedPair;

before(async () => {
  [selfSigned, caA, caAImpostor, expiringCa, expired] = await Promise.all([
    pairValidBetween(-1, 365),
    ca('CN=JS7 CA,O=JS7', -1, 1800),
    ca('CN=JS7 CA,O=JS7', -1, 1800),
    ca('CN=Old CA,O=JS7', -1700, 20),
    pairValidBetween(-400, -35),
  ]);
  issued = await pairValidBetween(-1, 700, { dn: 'CN=root', issuer: issuerOf(caA) });
  issuedByExpiring = await pairValidBetween(-1, 700, {
    dn: 'CN=root',
    issuer: issuerOf(expiringCa),
  });
});

async function run(
  overrides: Partial<ReadinessInput> & { pair: GeneratedPair },
): Promise<Record<string, { ok: boolean; message: string; notRun?: true }>> {
  const checks = await readinessChecks({
    privateKey: overrides.pair.privateKey,
    certificates: [overrides.pair.certificate],
    now: new Date(),
    warnDays: 60,
    signsHere: true,
    ...overrides,
  });
  return Object.fromEntries(
    checks.map((c) => [
      c.id,
      { ok: c.ok, message: c.message, ...(c.notRun && { notRun: c.notRun }) },
    ]),
  );
}

type Outcomes = Record<string, { ok: boolean; notRun?: true }>;
const failing = (r: Outcomes) => Object.keys(r).filter((id) => !r[id].ok && !r[id].notRun);
const notRun = (r: Outcomes) => Object.keys(r).filter((id) => r[id].notRun);

describe('readinessChecks', () => {
  it('a self-signed pair: every item passes, the certificate is its own trust anchor', async () => {
    const r = await run({ pair: selfSigned });
    assert.deepEqual(failing(r), []);
    assert.match(r['issuer'].message, /self-signed/);
    assert.match(r['sign-verify'].message, /SHA512withECDSA/);
  });

  it('a CA-issued pair with the SSL CA: every item passes and names the CA', async () => {
    const r = await run({ pair: issued, sslCa: caA.certificate });
    assert.deepEqual(failing(r), []);
    assert.match(r['issuer'].message, /Directly signed by "CN=JS7 CA,O=JS7"/);
  });

  it('a CA-issued pair stored with its chain: Controllers read one certificate, so it fails', async () => {
    const r = await run({ pair: issued, certificates: [issued.certificate, caA.certificate] });
    assert.deepEqual(failing(r), ['certificate-present']);
    assert.match(r['certificate-present'].message, /holds 2 certificates: JOC sends it/);
    // The issuer still comes from the chain.
    assert.match(r['issuer'].message, /Directly signed by "CN=JS7 CA,O=JS7"/);
  });

  it('a self-signed certificate stored with other certificates passes: JOC sends its name', async () => {
    const r = await run({
      pair: selfSigned,
      certificates: [selfSigned.certificate, caA.certificate],
    });
    assert.deepEqual(failing(r), []);
  });

  it('the issuer is not stored here: only the Controllers can tell, neither pass nor fail', async () => {
    const r = await run({ pair: issued });
    assert.deepEqual(failing(r), []);
    assert.deepEqual(notRun(r), ['issuer', 'issuer-valid']);
    assert.match(
      r['issuer'].message,
      /"CN=JS7 CA,O=JS7" is not stored here .*only the Controllers/,
    );
  });

  it('the SSL CA was replaced under the same name: it did not sign the certificate', async () => {
    const r = await run({ pair: issued, sslCa: caAImpostor.certificate });
    // One cause, one failure: without an issuer that signed it there is no validity to judge.
    assert.deepEqual(failing(r), ['issuer']);
    assert.equal(r['issuer-valid'].notRun, true);
    assert.match(r['issuer'].message, /The SSL CA "CN=JS7 CA,O=JS7" did not sign .* was replaced/);
  });

  it('a stored chain whose CA of that name did not sign the certificate', async () => {
    const r = await run({
      pair: issued,
      certificates: [issued.certificate, caAImpostor.certificate],
    });
    assert.deepEqual(failing(r), ['certificate-present', 'issuer']);
    assert.equal(r['issuer-valid'].notRun, true);
    assert.match(
      r['issuer'].message,
      /the certificate of that name that comes with it did not sign it/,
    );
  });

  it('the CA expires inside the warning threshold', async () => {
    const r = await run({ pair: issuedByExpiring, sslCa: expiringCa.certificate });
    assert.ok(failing(r).includes('issuer-valid'), JSON.stringify(r));
    assert.match(r['issuer-valid'].message, /expires in (19|20) days/);
  });

  it('carries the moment beside the UTC date, and counts days by the calendar given', async () => {
    const now = new Date();
    const input = {
      privateKey: issuedByExpiring.privateKey,
      certificates: [issuedByExpiring.certificate],
      sslCa: expiringCa.certificate,
      now,
      warnDays: 60,
      signsHere: true,
    };
    const issuerValid = async (dayNumber?: DayNumber) =>
      (await readinessChecks({ ...input, dayNumber })).find((c) => c.id === 'issuer-valid')!;
    const utc = await issuerValid();
    assert.equal(utc.params['at'], expiringCa.certificate.notAfter.toISOString());
    assert.equal(utc.params['date'], expiringCa.certificate.notAfter.toISOString().slice(0, 10));
    // A calendar on which the CA's end falls a day later than in UTC.
    const later = await issuerValid((d) => utcDayNumber(d) + (d > now ? 1 : 0));
    assert.equal(later.params['days'], Number(utc.params['days']) + 1);
  });

  it('no expiry date (99991231235959Z): passes with no date, no day count, whatever the zone', async () => {
    // Pacific/Kiritimati, 14 hours ahead of UTC: the end falls in the year 10000 there.
    const kiritimati: DayNumber = (d) => utcDayNumber(new Date(d.getTime() + 14 * 3_600_000));
    const checks = await storedKeyReadiness(
      {
        privateKey: fixtureText('noexpiry.pkcs8.pem'),
        certificate: fixtureText('noexpiry.crt.pem'),
      },
      { now: new Date(), warnDays: 36_500_000, signsHere: true, dayNumber: kiritimati },
    );
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    assert.deepEqual(
      checks.filter((c) => !c.ok).map((c) => c.id),
      [],
    );
    assert.equal(byId['valid-now'].code, 'readyNoExpiry');
    assert.equal(byId['valid-now'].message, 'The certificate is valid and has no expiry date.');
    assert.equal(byId['valid-beyond-warning'].code, 'readyNoExpiryWarning');
    // Self-signed: the certificate Controllers hold is this one, whose dates are checked above.
    assert.equal(byId['issuer-valid'], undefined);
    for (const c of checks) assert.doesNotMatch(c.message, /9999|10000|days? left/, c.id);
  });

  it('a CA with no expiry date: its certificate is checked by its own end alone', async () => {
    const forever = await generateCa({
      dn: 'CN=Forever CA,O=JS7',
      now: new Date(Date.now() - DAY),
      notAfter: new Date(NO_EXPIRY_MS),
    });
    assert.ok(forever.ok);
    const pair = await pairValidBetween(-1, 30, { dn: 'CN=root', issuer: issuerOf(forever.value) });
    const r = await run({ pair, sslCa: forever.value.certificate });
    assert.deepEqual(failing(r), ['valid-beyond-warning'], JSON.stringify(r));
    assert.equal(
      r['issuer-valid'].message,
      'The CA certificate "CN=Forever CA,O=JS7" is valid and has no expiry date.',
    );
  });

  it('an expired certificate', async () => {
    const r = await run({ pair: expired });
    assert.ok(failing(r).includes('valid-now'));
    assert.match(r['valid-now'].message, /expired on/);
  });

  it("a key that is not the certificate's", async () => {
    const r = await run({ pair: selfSigned, privateKey: issued.privateKey });
    assert.deepEqual(failing(r), ['pair-match', 'sign-verify']);
  });

  it('nothing stored', async () => {
    const checks = await readinessChecks({
      certificates: [],
      now: new Date(),
      warnDays: 60,
      signsHere: true,
    });
    assert.ok(checks.every((c) => !c.ok));
    assert.equal(checks.length, 8);
  });

  it('at HIGH (signing outside) no sample signature is tried', async () => {
    const checks = await readinessChecks({
      certificates: [selfSigned.certificate],
      now: new Date(),
      warnDays: 60,
      signsHere: false,
    });
    assert.ok(!checks.some((c) => c.id === 'sign-verify'));
    assert.ok(
      checks.filter((c) => c.id !== 'pair-match').every((c) => c.ok),
      JSON.stringify(checks),
    );
  });
});

describe('storedKeyReadiness (what the server and the browser call with PEM text)', () => {
  const options = { now: new Date(), warnDays: 60, signsHere: true };

  it('answers what readinessChecks answers for the parsed pair, chain and SSL CA', async () => {
    const cases: Array<[string, Parameters<typeof storedKeyReadiness>[0], ReadinessInput]> = [
      [
        'self-signed',
        { privateKey: selfSigned.privateKey.pem, certificate: selfSigned.certificate.pem },
        { privateKey: selfSigned.privateKey, certificates: [selfSigned.certificate], ...options },
      ],
      [
        'issued, with the SSL CA',
        {
          privateKey: issued.privateKey.pem,
          certificate: issued.certificate.pem,
          caCertificate: caA.certificate.pem,
        },
        {
          privateKey: issued.privateKey,
          certificates: [issued.certificate],
          sslCa: caA.certificate,
          ...options,
        },
      ],
      [
        'issued, chain stored with it',
        {
          privateKey: issued.privateKey.pem,
          certificate: issued.certificate.pem + caA.certificate.pem,
        },
        {
          privateKey: issued.privateKey,
          certificates: [issued.certificate, caA.certificate],
          ...options,
        },
      ],
      ['nothing', {}, { certificates: [], ...options }],
    ];
    for (const [name, text, parsed] of cases) {
      assert.deepEqual(
        await storedKeyReadiness(text, options),
        await readinessChecks(parsed),
        name,
      );
    }
  });

  it('text that does not read counts as absent, and says what is missing', async () => {
    const checks = await storedKeyReadiness(
      {
        privateKey: 'not a key',
        certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      },
      options,
    );
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    assert.equal(byId['key-present'].ok, false);
    assert.match(byId['key-present'].message, /No private key is stored/);
    assert.equal(byId['certificate-present'].ok, false);
    // Stored but unreadable is not "no certificate": the person would look in the wrong place.
    assert.match(
      byId['certificate-present'].message,
      /A certificate is stored, but it cannot be read/,
    );
    assert.equal(checks.length, 8);
  });

  it('at HIGH a public key and certificate are checked without a sample signature', async () => {
    const checks = await storedKeyReadiness(
      {
        publicKey: toPem('PUBLIC KEY', selfSigned.privateKey.spki),
        certificate: selfSigned.certificate.pem,
      },
      { ...options, signsHere: false },
    );
    assert.ok(!checks.some((c) => c.id === 'sign-verify'));
    assert.ok(
      checks.every((c) => c.ok),
      JSON.stringify(checks),
    );
  });
});

describe('trustPath', () => {
  it('is the CA for an OpenSSL-made chain, and the certificate itself when self-signed', async () => {
    const chain = await readCertificates(fixtureText('leaf.chain.pem'));
    assert.ok(chain.ok);
    const issuedPath = await trustPath(chain.value);
    assert.equal(issuedPath?.kind, 'issued');
    assert.equal(
      issuedPath?.kind === 'issued' ? issuedPath.anchor.subject : undefined,
      'CN=Fixture CA,O=JS7',
    );
    const self = await readCertificates(fixtureText('ec256.crt.pem'));
    assert.ok(self.ok);
    assert.deepEqual(await trustPath(self.value), { kind: 'self-issued', anchor: self.value[0] });
  });
});

/**
 * JOC's Generate without the SSL CA signs with the key itself but names the issuer "O=JOC,OU=Self
 * Signed", and writes no extensions. Not self-issued, so JOC sends the certificate; the Controller
 * then needs a certificate it holds with basicConstraints that signed it, and this one has none.
 */
describe('a pair JOC Cockpit generated without the SSL CA', () => {
  it('fails the issuer: Controllers do not accept it', async () => {
    const checks = await storedKeyReadiness(
      { privateKey: JOC_GENERATED_KEY, certificate: JOC_GENERATED_CERTIFICATE },
      { now: new Date('2027-01-01T00:00:00Z'), warnDays: 60, signsHere: true },
    );
    assert.deepEqual(
      checks.filter((c) => !c.ok).map((c) => c.id),
      ['issuer', 'issuer-valid'],
    );
    assert.match(
      checks.find((c) => c.id === 'issuer')!.message,
      /signed with its own key but names "OU=Self Signed,O=JOC" as its issuer and has no basicConstraints/,
    );
    const certificates = await readCertificates(JOC_GENERATED_CERTIFICATE);
    assert.ok(certificates.ok);
    assert.deepEqual(await trustPath(certificates.value), {
      kind: 'not-a-ca',
      signer: certificates.value[0],
    });
  });
});

/** Certificates OpenSSL makes as people have them, against what a JS7 Controller accepts. */
describe('what JS7 Controllers accept (js7 X509SignatureVerifier, JOC StoreDeployments)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pki-ready-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const text = (name: string) => readFileSync(join(dir, name), 'utf8');
  const leafExtensions = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n';
  const outcome = async (stored: Parameters<typeof storedKeyReadiness>[0]) =>
    Object.fromEntries(
      (await storedKeyReadiness(stored, { now: new Date(), warnDays: 30, signsHere: true })).map(
        (c) => [c.id, { ok: c.ok, message: c.message, ...(c.notRun && { notRun: c.notRun }) }],
      ),
    );

  before(() => {
    writeFileSync(join(dir, 'leaf.ext'), leafExtensions);
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'ca.key');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'leaf.key');
    // A version 1 CA: no extensions at all, as `openssl x509 -req -signkey` writes it.
    openssl('req', '-new', '-key', 'ca.key', '-subj', '/CN=V1 Root CA', '-out', 'ca.csr');
    openssl(
      'x509',
      '-req',
      '-in',
      'ca.csr',
      '-signkey',
      'ca.key',
      '-days',
      '365',
      '-out',
      'v1ca.crt',
    );
    openssl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=Signer', '-out', 'leaf.csr');
    for (const [out, ...extra] of [['v1leaf.crt'], ['md5leaf.crt', '-md5']]) {
      openssl(
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'v1ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        '7',
        '-days',
        '365',
        '-extfile',
        'leaf.ext',
        '-out',
        out,
        ...extra,
      );
    }
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      'leaf.key',
      '-days',
      '365',
      '-md5',
      '-subj',
      '/CN=md5',
      '-out',
      'md5self.crt',
    );
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      'leaf.key',
      '-days',
      '365',
      '-subj',
      '/',
      '-addext',
      'subjectAltName=critical,email:ops@example.com',
      '-out',
      'nameless.crt',
    );
  });

  it('a CA without basicConstraints: Controllers do not trust it as an issuer', async () => {
    const r = await outcome({
      privateKey: text('leaf.key'),
      certificate: text('v1leaf.crt') + text('v1ca.crt'),
    });
    assert.equal(r['issuer'].ok, false);
    assert.match(
      r['issuer'].message,
      /"CN=V1 Root CA" signed the certificate but has no basicConstraints/,
    );
  });

  it('before storing: the CA given with the certificate is checked as the Controllers will', async () => {
    const read = async (name: string) => {
      const result = await readCertificate(text(name));
      assert.ok(result.ok);
      return result.value;
    };
    const [leaf, v1ca, fixtureLeaf] = await Promise.all([
      read('v1leaf.crt'),
      read('v1ca.crt'),
      readCertificate(fixtureText('leaf.crt.pem')),
    ]);
    const now = new Date();
    const problems = await givenIssuerProblems(leaf, [v1ca, leaf], now, 30);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['readyIssuerNotCa'],
    );
    // The issuer not given, or a CA with basicConstraints that signed it: nothing to say.
    assert.deepEqual(await givenIssuerProblems(leaf, [leaf], now, 30), []);
    assert.ok(fixtureLeaf.ok);
    const ca = await readCertificate(fixtureText('ca.crt.pem'));
    assert.ok(ca.ok);
    assert.deepEqual(await givenIssuerProblems(fixtureLeaf.value, [ca.value], now, 30), []);
  });

  it('an MD5 signature by the CA is left to the Controllers; a self-signed MD5 certificate passes', async () => {
    const byCa = await outcome({
      privateKey: text('leaf.key'),
      certificate: text('md5leaf.crt') + text('v1ca.crt'),
    });
    assert.deepEqual(byCa['issuer'].notRun, true);
    assert.match(
      byCa['issuer'].message,
      /Whether "CN=V1 Root CA" signed the certificate cannot be checked here/,
    );
    const self = await outcome({ privateKey: text('leaf.key'), certificate: text('md5self.crt') });
    assert.deepEqual(
      Object.keys(self).filter((id) => !self[id].ok),
      [],
    );
  });

  it('a self-signed certificate with an empty subject: Controllers refuse the empty name', async () => {
    const r = await outcome({ privateKey: text('leaf.key'), certificate: text('nameless.crt') });
    assert.equal(r['issuer'].ok, false);
    assert.match(r['issuer'].message, /empty subject/);
  });

  it('text before the PEM of a CA-issued certificate: JOC sends it as it is and Controllers refuse it', async () => {
    const certificate = `Bag Attributes\n    friendlyName: signer\n${text('v1leaf.crt')}`;
    const r = await outcome({ privateKey: text('leaf.key'), certificate });
    assert.equal(r['certificate-present'].ok, false);
    assert.match(
      r['certificate-present'].message,
      /does not begin with its -----BEGIN CERTIFICATE----- line/,
    );
    // The same text around a self-signed certificate: JOC sends only its name.
    const self = await outcome({
      privateKey: text('leaf.key'),
      certificate: `\n${text('md5self.crt')}`,
    });
    assert.equal(self['certificate-present'].ok, true);
  });
});
