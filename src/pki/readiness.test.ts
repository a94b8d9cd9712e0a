/**
 * The deployment readiness check, each item failing for a real reason: certificates made at
 * test time (expired, expiring, foreign issuer, a key that is not the certificate's).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  generateCa,
  readCertificates,
  readinessChecks,
  toPem,
  trustAnchor,
  type ReadinessInput,
} from './index';
import { storedKeyReadiness } from './readiness';
import { JOC_GENERATED_CERTIFICATE, JOC_GENERATED_KEY } from './testdata/joc-generated';
import { fixtureText, pairValidBetween } from './testing';
import type { Certificate, GeneratedPair, IssuerPem } from './types';

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
): Promise<Record<string, { ok: boolean; message: string }>> {
  const checks = await readinessChecks({
    privateKey: overrides.pair.privateKey,
    certificates: [overrides.pair.certificate],
    now: new Date(),
    warnDays: 60,
    signsHere: true,
    ...overrides,
  });
  return Object.fromEntries(checks.map((c) => [c.id, { ok: c.ok, message: c.message }]));
}

const failing = (r: Record<string, { ok: boolean }>) => Object.keys(r).filter((id) => !r[id].ok);

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

  it('a CA-issued pair whose chain was stored with it: the issuer comes from the chain', async () => {
    const r = await run({ pair: issued, certificates: [issued.certificate, caA.certificate] });
    assert.deepEqual(failing(r), []);
  });

  it('the issuer is not available', async () => {
    const r = await run({ pair: issued });
    assert.deepEqual(failing(r), ['issuer', 'issuer-valid']);
    assert.match(r['issuer'].message, /not available/);
  });

  it('a foreign issuer with the same name did not sign it', async () => {
    const r = await run({ pair: issued, sslCa: caAImpostor.certificate });
    assert.deepEqual(failing(r), ['issuer', 'issuer-valid']);
    assert.match(r['issuer'].message, /did not sign it directly/);
  });

  it('the CA expires inside the warning threshold', async () => {
    const r = await run({ pair: issuedByExpiring, sslCa: expiringCa.certificate });
    assert.ok(failing(r).includes('issuer-valid'), JSON.stringify(r));
    assert.match(r['issuer-valid'].message, /expires in (19|20) days/);
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

describe('trustAnchor', () => {
  it('is the CA for an OpenSSL-made chain, and the certificate itself when self-signed', async () => {
    const chain = await readCertificates(fixtureText('leaf.chain.pem'));
    assert.ok(chain.ok);
    assert.equal((await trustAnchor(chain.value))?.subject, 'CN=Fixture CA,O=JS7');
    const self = await readCertificates(fixtureText('ec256.crt.pem'));
    assert.ok(self.ok);
    assert.equal((await trustAnchor(self.value)) as Certificate | undefined, self.value[0]);
  });
});

/** JOC's Generate signs with the key itself but names the issuer "O=JOC,OU=Self Signed". */
describe('a pair JOC Cockpit generated', () => {
  it('is self-signed: every item passes, the certificate is its own trust anchor', async () => {
    const checks = await storedKeyReadiness(
      { privateKey: JOC_GENERATED_KEY, certificate: JOC_GENERATED_CERTIFICATE },
      { now: new Date('2027-01-01T00:00:00Z'), warnDays: 60, signsHere: true },
    );
    assert.deepEqual(
      checks.filter((c) => !c.ok).map((c) => c.id),
      [],
    );
    assert.match(checks.find((c) => c.id === 'issuer')!.message, /self-signed/);
    const certificates = await readCertificates(JOC_GENERATED_CERTIFICATE);
    assert.ok(certificates.ok);
    assert.equal(await trustAnchor(certificates.value), certificates.value[0]);
  });
});
