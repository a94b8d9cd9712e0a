/**
 * The certificate reader (asn1js alone) against pkijs, which read certificates before: for every
 * certificate we have (fixtures, our own, unusual ones made by OpenSSL) both give the same facts,
 * and for mutated certificates the reader never throws and, whenever both accept one, agrees.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { unsignedIntBytes } from './asn1';
import { toArrayBuffer, toHex } from './bytes';
import { certificateFromDer } from './certificate';
import { attributeName, formatDn } from './dn';
import { generateCa, generateSigningPair } from './generate';
import { parsePemBlocks } from './pem';
import { FIXTURES } from './testdata/fixtures';
import { fixtureText } from './testing';

/** The facts pkijs gave (the reader's former implementation, reduced to what both report). */

/**
 * pkijs's RelativeDistinguishedNames.isEqual, except that prepared strings are compared exactly:
 * pkijs compares them with localeCompare, which ignores control characters ("trail\x0E" equals
 * "trail"), and Java's X500Principal, which the Controllers use, does not.
 */
function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames) {
  const prep = (v: string) => v.trim().replace(/ +/g, ' ').toLowerCase();
  return (
    a.isEqual(b) &&
    a.typesAndValues.every((x, i) => {
      const [u, w] = [x.value.valueBlock.value, b.typesAndValues[i].value.valueBlock.value];
      return typeof u !== 'string' || typeof w !== 'string' || prep(u) === prep(w);
    })
  );
}

/** What pkijs reads from `der`; undefined when it cannot (it throws, at once or on an extension). */
function pkijsFacts(der: Uint8Array) {
  try {
    return readWithPkijs(der);
  } catch {
    return undefined;
  }
}

function readWithPkijs(der: Uint8Array) {
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(der));
  const name = (n: pkijs.RelativeDistinguishedNames) =>
    formatDn(
      n.typesAndValues
        .map((tv) => ({
          oid: tv.type,
          name: attributeName(tv.type),
          value: String((tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value ?? ''),
        }))
        .reverse(),
    );
  const ext = (id: string) => cert.extensions?.find((e) => e.extnID === id);
  const ku = ext('2.5.29.15')?.parsedValue;
  const eku = ext('2.5.29.37')?.parsedValue;
  const bc = ext('2.5.29.19')?.parsedValue;
  const bits = ku instanceof asn1js.BitString ? ku.valueBlock.valueHexView : new Uint8Array();
  return {
    subject: name(cert.subject),
    issuer: name(cert.issuer),
    serialNumber: toHex(unsignedIntBytes(cert.serialNumber)),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    keyUsageBits: Array.from({ length: 9 }, (_, i) =>
      Boolean((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))),
    ).flatMap((on, i) => (on ? [i] : [])),
    extendedKeyUsage: eku instanceof pkijs.ExtKeyUsage ? eku.keyPurposes.length : 0,
    isCa: bc instanceof pkijs.BasicConstraints ? Boolean(bc.cA) : false,
    basicConstraints: ext('2.5.29.19') !== undefined,
    selfIssued: sameName(cert.subject, cert.issuer),
    spki: toHex(new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false))),
  };
}

const KU = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

async function ourFacts(der: Uint8Array) {
  const read = await certificateFromDer(der);
  if (!read.ok) return undefined;
  const c = read.value;
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    keyUsageBits: c.keyUsage.map((u) => KU.indexOf(u)),
    extendedKeyUsage: c.extendedKeyUsage.length,
    isCa: c.isCa,
    basicConstraints: c.basicConstraints,
    selfIssued: c.selfIssued,
    spki: toHex(c.spki),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pki-cert-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const openssl = (...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** Certificates OpenSSL makes that our generator never does. */
function unusualCertificates(): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const make = (name: string, ...args: string[]) => {
    openssl(...args, '-out', `${name}.der`, '-outform', 'DER');
    out[name] = new Uint8Array(readFileSync(join(dir, `${name}.der`)));
  };
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'k.pem');
  openssl('genpkey', '-algorithm', 'ED25519', '-out', 'ed.pem');
  make(
    'utf8-multivalued',
    'req',
    '-x509',
    '-new',
    '-key',
    'k.pem',
    '-utf8',
    '-multivalue-rdn',
    '-subj',
    '/CN=Jörg Müller+UID=jm/O=Ä, Ö & Ü "GmbH"/C=DE',
    '-days',
    '30',
  );
  make(
    'generalized-time',
    'req',
    '-x509',
    '-new',
    '-key',
    'k.pem',
    '-subj',
    '/CN=far future',
    '-days',
    '12000',
  );
  make(
    'spaces-and-escapes',
    'req',
    '-x509',
    '-new',
    '-key',
    'k.pem',
    '-subj',
    '/CN= lead  and  trail /OU=a\\,b;c/O=#hash',
    '-days',
    '30',
  );
  make('ed25519', 'req', '-x509', '-new', '-key', 'ed.pem', '-subj', '/CN=ed', '-days', '30');
  make(
    'extensions',
    'req',
    '-x509',
    '-new',
    '-key',
    'k.pem',
    '-subj',
    '/CN=ext',
    '-days',
    '30',
    '-addext',
    'keyUsage=critical,digitalSignature,nonRepudiation,keyCertSign,decipherOnly',
    '-addext',
    'extendedKeyUsage=codeSigning,1.2.3.4.5',
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'subjectAltName=DNS:example.com',
  );
  // Version 1 (no extensions): a certificate request signed by x509 -req.
  openssl('req', '-new', '-key', 'k.pem', '-subj', '/CN=v1', '-out', 'v1.csr');
  make('version-1', 'x509', '-req', '-in', 'v1.csr', '-key', 'k.pem', '-days', '30');
  return out;
}

describe('certificate reader (asn1js) against pkijs', () => {
  const certificates: Record<string, Uint8Array> = {};
  before(async () => {
    for (const name of Object.keys(FIXTURES)) {
      if (name.endsWith('.der') && name.includes('crt'))
        certificates[name] = new Uint8Array(Buffer.from(FIXTURES[name], 'base64'));
      if (!name.endsWith('.pem')) continue;
      const blocks = parsePemBlocks(fixtureText(name));
      if (!blocks.ok) continue;
      blocks.value
        .filter((b) => b.label === 'CERTIFICATE')
        .forEach((b, i) => (certificates[`${name}#${i}`] = b.der));
    }
    const ca = await generateCa({ dn: 'CN=JS7 SSL CA,O=JS7' });
    assert.ok(ca.ok);
    for (const algorithm of ['ECDSA', 'RSA'] as const) {
      const self = await generateSigningPair({
        algorithm,
        dn: 'CN=root,OU=JOC,O=JS7',
        notAfter: new Date(Date.now() + 86_400_000 * 365),
      });
      const issued = await generateSigningPair({
        algorithm,
        dn: 'CN=issued,O=JS7',
        notAfter: new Date(Date.now() + 86_400_000 * 30),
        issuer: { privateKey: ca.value.privateKey.pem, certificate: ca.value.certificate.pem },
      });
      assert.ok(self.ok && issued.ok);
      certificates[`generated ${algorithm} self-signed`] = self.value.certificate.der;
      certificates[`generated ${algorithm} CA-issued`] = issued.value.certificate.der;
    }
    certificates['generated CA'] = ca.value.certificate.der;
    Object.assign(certificates, unusualCertificates());
  });

  it('gives the same facts as pkijs for every certificate we have', async () => {
    assert.ok(
      Object.keys(certificates).length >= 15,
      `only ${Object.keys(certificates).length} certificates`,
    );
    for (const [name, der] of Object.entries(certificates)) {
      const theirs = pkijsFacts(der);
      assert.ok(theirs, `pkijs reads ${name}`);
      assert.deepEqual(await ourFacts(der), theirs, name);
    }
  });

  it('reads the unusual ones as OpenSSL writes them', async () => {
    const facts = async (name: string) =>
      (await certificateFromDer(certificates[name])).ok &&
      (await certificateFromDer(certificates[name]));
    const utf8 = await certificateFromDer(certificates['utf8-multivalued']);
    assert.ok(utf8.ok);
    assert.match(utf8.value.subject, /Jörg Müller/);
    assert.match(utf8.value.subject, /O=Ä\\, Ö & Ü \\"GmbH\\"/);
    const far = await certificateFromDer(certificates['generalized-time']);
    assert.ok(far.ok && far.value.notAfter.getUTCFullYear() > 2050);
    const ext = await certificateFromDer(certificates['extensions']);
    assert.ok(ext.ok);
    assert.deepEqual(ext.value.keyUsage, [
      'digitalSignature',
      'nonRepudiation',
      'keyCertSign',
      'decipherOnly',
    ]);
    assert.deepEqual(ext.value.extendedKeyUsage, ['codeSigning', '1.2.3.4.5']);
    assert.equal(ext.value.isCa, true);
    const ed = await certificateFromDer(certificates['ed25519']);
    assert.ok(ed.ok);
    assert.equal(ed.value.publicKey.algorithm, '1.3.101.112');
    assert.equal(ed.value.publicKey.label, 'Ed25519');
    assert.ok(await facts('version-1'));
  });

  it('labels a key JS7 cannot sign with by its name, or by its OID without one', async () => {
    // The Ed25519 certificate with its key's OID (1.3.101.112) turned into 1.3.101.127.
    const der = certificates['ed25519'].slice();
    const spki = Buffer.from(der).indexOf(Buffer.from('300506032b6570032100', 'hex'));
    assert.ok(spki > 0);
    der[spki + 6] = 0x7f;
    const unknown = await certificateFromDer(der);
    assert.ok(unknown.ok);
    assert.equal(unknown.value.publicKey.label, '1.3.101.127');
  });

  it('refuses a certificate with an extension twice, as Java does', async () => {
    // The extensions certificate with its subjectKeyIdentifier's OID (2.5.29.14) turned into a
    // second basicConstraints (2.5.29.19): pkijs takes the first, which says nothing of CA.
    const der = certificates['extensions'].slice();
    const ski = Buffer.from(der).indexOf(Buffer.from('0603551d0e', 'hex'));
    assert.ok(ski > 0);
    der[ski + 4] = 0x13;
    const read = await certificateFromDer(der);
    assert.equal(read.ok, false);
    assert.equal(!read.ok && read.code, 'certificateStructure');
    assert.ok((await certificateFromDer(certificates['extensions'])).ok);
  });

  it('refuses a basicConstraints that is not { cA, pathLen }, as Java does (no CA read from it)', async () => {
    // The extensions certificate's basicConstraints { TRUE, 0 } with the pathLen's INTEGER tag
    // turned into [20]: pkijs drops the extension (not a CA), Java refuses the certificate.
    const der = certificates['extensions'].slice();
    const constraints = Buffer.from(der).indexOf(Buffer.from('30060101ff020100', 'hex'));
    assert.ok(constraints > 0);
    der[constraints + 5] = 0x94;
    const read = await certificateFromDer(der);
    assert.equal(read.ok, false);
    assert.equal(!read.ok && read.code, 'certificateStructure');
  });

  it('never throws on mutated certificates, and agrees with pkijs whenever both read one', async () => {
    const seeds = Object.values(certificates);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let bothRead = 0;
    for (let n = 0; n < 3000; n++) {
      const base = seeds[n % seeds.length];
      const der = base.slice();
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++)
        der[Math.floor(random() * der.length)] = Math.floor(random() * 256);
      const ours = await ourFacts(der);
      const theirs = pkijsFacts(der);
      if (ours && theirs) {
        bothRead++;
        assert.deepEqual(ours, theirs, `mutation ${n}`);
      }
    }
    assert.ok(bothRead > 100, `both read only ${bothRead} mutated certificates`);
  });
});
