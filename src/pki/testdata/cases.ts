/**
 * The inputs people paste or upload where a private key belongs (contract section 8), with what
 * must come of each: one table, run against src/pki in Node, against the server's store and
 * import, and in Chromium, so that the three give the same answer.
 */
import { fixtureBytes, fixtureText } from '../testing';
import type { FailureReason } from '../types';

export interface InputCase {
  readonly name: string;
  readonly input: () => string | Uint8Array;
  /** Passphrase of an encrypted key, or password of a PKCS#12 file. */
  readonly passphrase?: string;
}

export interface AcceptedKeyCase extends InputCase {
  readonly label: string;
  readonly format: string;
}

export interface RejectedKeyCase extends InputCase {
  readonly reason: FailureReason;
  readonly message: RegExp;
}

const ec = () => fixtureText('ec256.pkcs8.pem');
const body = (pem: string) =>
  pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');

export const ACCEPTED_PRIVATE_KEYS: readonly AcceptedKeyCase[] = [
  { name: 'PKCS#8 PEM', input: ec, label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: 'SEC1 EC PRIVATE KEY', input: () => fixtureText('ec256.sec1.pem'), label: 'ECDSA P-256', format: 'SEC1' },
  { name: 'SEC1 after an EC PARAMETERS block', input: () => fixtureText('ec256.sec1-params.pem'), label: 'ECDSA P-256', format: 'SEC1' },
  { name: 'SEC1 without its public point', input: () => fixtureText('ec256.sec1-nopub.pem'), label: 'ECDSA P-256', format: 'SEC1' },
  { name: 'SEC1 with its public point compressed', input: () => fixtureText('ec256.sec1-compressed.pem'), label: 'ECDSA P-256', format: 'SEC1' },
  { name: 'PKCS#1 RSA PRIVATE KEY', input: () => fixtureText('rsa2048.pkcs1.pem'), label: 'RSA 2048', format: 'PKCS#1' },
  { name: 'PKCS#8 RSA', input: () => fixtureText('rsa2048.pkcs8.pem'), label: 'RSA 2048', format: 'PKCS#8' },
  { name: 'P-384', input: () => fixtureText('ec384.pkcs8.pem'), label: 'ECDSA P-384', format: 'PKCS#8' },
  { name: 'P-521', input: () => fixtureText('ec521.pkcs8.pem'), label: 'ECDSA P-521', format: 'PKCS#8' },
  { name: 'DER file', input: () => fixtureBytes('ec256.pkcs8.der'), label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: 'PEM file as bytes', input: () => fixtureBytes('ec256.pkcs8.pem'), label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: 'CRLF line ends', input: () => ec().replace(/\n/g, '\r\n'), label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: 'blank lines and spaces around', input: () => `\n\n   ${ec().split('\n').join('  \n  ')}\n\n`, label: 'ECDSA P-256', format: 'PKCS#8' },
  {
    name: 'OpenSSL Bag Attributes preamble',
    input: () => `Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: js7\nKey Attributes: <No Attributes>\n${ec()}`,
    label: 'ECDSA P-256',
    format: 'PKCS#8',
  },
  { name: 'base64 on one line', input: () => `-----BEGIN PRIVATE KEY-----\n${body(ec())}\n-----END PRIVATE KEY-----`, label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: 'everything on one line', input: () => `-----BEGIN PRIVATE KEY-----${body(ec())}-----END PRIVATE KEY-----`, label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: 'headerless base64', input: () => body(ec()), label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: "JOC's EC PRIVATE KEY header around PKCS#8", input: () => ec().replace(/PRIVATE KEY/g, 'EC PRIVATE KEY'), label: 'ECDSA P-256', format: 'PKCS#8' },
  {
    name: "JOC's RSA PRIVATE KEY header around PKCS#8",
    input: () => fixtureText('rsa2048.pkcs8.pem').replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY'),
    label: 'RSA 2048',
    format: 'PKCS#8',
  },
  { name: 'key + certificate bundle', input: () => fixtureText('ec256.bundle.pem'), label: 'ECDSA P-256', format: 'PKCS#8' },
  { name: 'encrypted PKCS#8 (EC)', input: () => fixtureText('ec256.encrypted.pem'), passphrase: 'secret', label: 'ECDSA P-256', format: 'encrypted PKCS#8' },
  { name: 'encrypted PKCS#8 (RSA)', input: () => fixtureText('rsa2048.encrypted.pem'), passphrase: 'secret', label: 'RSA 2048', format: 'encrypted PKCS#8' },
  { name: 'legacy encrypted RSA (AES)', input: () => fixtureText('rsa2048.legacy-encrypted.pem'), passphrase: 'secret', label: 'RSA 2048', format: 'legacy encrypted PEM' },
  { name: 'legacy encrypted RSA (3DES)', input: () => fixtureText('rsa2048.legacy-3des.pem'), passphrase: 'secret', label: 'RSA 2048', format: 'legacy encrypted PEM' },
  { name: 'legacy encrypted EC', input: () => fixtureText('ec256.legacy-encrypted.pem'), passphrase: 'secret', label: 'ECDSA P-256', format: 'legacy encrypted PEM' },
  { name: 'PKCS#12 modern (EC)', input: () => fixtureBytes('ec256.p12'), passphrase: 'secret', label: 'ECDSA P-256', format: 'PKCS#12' },
  { name: 'PKCS#12 modern (RSA)', input: () => fixtureBytes('rsa2048.p12'), passphrase: 'secret', label: 'RSA 2048', format: 'PKCS#12' },
  { name: 'PKCS#12 legacy 3DES (RSA)', input: () => fixtureBytes('rsa2048.legacy.p12'), passphrase: 'secret', label: 'RSA 2048', format: 'PKCS#12' },
  { name: 'PKCS#12 legacy 3DES (EC)', input: () => fixtureBytes('ec256.legacy.p12'), passphrase: 'secret', label: 'ECDSA P-256', format: 'PKCS#12' },
  { name: 'PKCS#12 without encryption or MAC (-keypbe NONE -certpbe NONE -nomac)', input: () => fixtureBytes('ec256.unprotected.p12'), passphrase: '', label: 'ECDSA P-256', format: 'PKCS#12' },
];

/** Over the 1 MiB limit (built on demand: it is large). */
const oversized = () => `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(1024 * 1024 + 10)}\n-----END PRIVATE KEY-----\n`;

export const REJECTED_PRIVATE_KEYS: readonly RejectedKeyCase[] = [
  { name: 'empty text', input: () => '', reason: 'empty', message: /empty/ },
  { name: 'only whitespace', input: () => ' \n\t\n', reason: 'empty', message: /empty/ },
  { name: 'empty file', input: () => new Uint8Array(), reason: 'empty', message: /empty/ },
  { name: 'public key', input: () => fixtureText('ec256.pub.pem'), reason: 'public-key-not-private', message: /public key; a private key is expected/ },
  { name: 'PKCS#1 public key', input: () => fixtureText('rsa2048.pkcs1pub.pem'), reason: 'public-key-not-private', message: /public key/ },
  { name: 'certificate', input: () => fixtureText('ec256.crt.pem'), reason: 'certificate-not-key', message: /certificate; a private key is expected/ },
  { name: 'CSR', input: () => fixtureText('ec256.csr.pem'), reason: 'csr', message: /certificate signing request/ },
  { name: 'Ed25519', input: () => fixtureText('ed25519.pkcs8.pem'), reason: 'unsupported-algorithm', message: /Ed25519 keys are not supported/ },
  { name: 'Ed448', input: () => fixtureText('ed448.pkcs8.pem'), reason: 'unsupported-algorithm', message: /Ed448/ },
  { name: 'DSA', input: () => fixtureText('dsa.pkcs8.pem'), reason: 'unsupported-algorithm', message: /DSA keys are not supported/ },
  { name: 'secp256k1', input: () => fixtureText('secp256k1.pkcs8.pem'), reason: 'unsupported-algorithm', message: /secp256k1/ },
  { name: 'EC key with explicit curve parameters (ecparam -param_enc explicit)', input: () => fixtureText('ec256.explicit.pem'), reason: 'unsupported-algorithm', message: /spells out its curve's parameters .*"openssl ec -in KEYFILE -param_enc named_curve -out NEWFILE"/ },
  { name: 'RSA 1024', input: () => fixtureText('rsa1024.pkcs8.pem'), reason: 'rsa-too-small', message: /1024 bits; at least 2048/ },
  { name: 'truncated PEM (no END line)', input: () => ec().slice(0, ec().length / 2), reason: 'truncated', message: /cut off.*END PRIVATE KEY/ },
  { name: 'truncated base64 body', input: () => ec().replace(/\n[^\n]*\n-----END/, '\n-----END'), reason: 'truncated', message: /cut off|ends before/ },
  { name: 'broken base64', input: () => ec().replace(/\n(.)/, '\n%'), reason: 'corrupted', message: /"%".*not a base64 character/ },
  { name: 'mismatched END label', input: () => ec().replace('END PRIVATE KEY', 'END PUBLIC KEY'), reason: 'corrupted', message: /same thing/ },
  { name: 'plain prose', input: () => 'this is my key, trust me', reason: 'not-pem', message: /No PEM block/ },
  {
    name: 'binary noise as file',
    input: () => new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 256)),
    reason: 'binary',
    message: /not a key or certificate/,
  },
  { name: 'binary pasted as text', input: () => '\u0001\u0002\u0003garbage\u0000', reason: 'binary', message: /binary data/ },
  { name: 'truncated DER file', input: () => fixtureBytes('ec256.pkcs8.der').slice(0, 40), reason: 'truncated', message: /cut off/ },
  { name: 'over 1 MiB', input: oversized, reason: 'too-large', message: /larger than 1 MiB/ },
  { name: 'encrypted key without passphrase', input: () => fixtureText('ec256.encrypted.pem'), reason: 'encrypted-key', message: /encrypted: give its passphrase/ },
  { name: 'encrypted key, wrong passphrase', input: () => fixtureText('ec256.encrypted.pem'), passphrase: 'nope', reason: 'wrong-passphrase', message: /passphrase is wrong/ },
  { name: 'legacy encrypted, wrong passphrase', input: () => fixtureText('rsa2048.legacy-encrypted.pem'), passphrase: 'nope', reason: 'wrong-passphrase', message: /passphrase is wrong/ },
  { name: 'legacy encrypted without passphrase', input: () => fixtureText('rsa2048.legacy-encrypted.pem'), reason: 'encrypted-key', message: /passphrase/ },
  { name: 'PKCS#12 without password', input: () => fixtureBytes('ec256.p12'), reason: 'pkcs12', message: /PKCS#12 file: give its password/ },
  { name: 'PKCS#12, wrong password', input: () => fixtureBytes('rsa2048.p12'), passphrase: 'nope', reason: 'wrong-passphrase', message: /password is wrong/ },
  { name: 'PKCS#8 encrypted with scrypt', input: () => fixtureText('ec256.scrypt.pem'), passphrase: 'secret', reason: 'unsupported-algorithm', message: /encrypted with scrypt, which is not supported: .*"openssl pkcs8 -topk8 -v2 aes-256-cbc / },
  { name: 'PKCS#8 encrypted with scrypt, before any passphrase', input: () => fixtureText('ec256.scrypt.pem'), reason: 'unsupported-algorithm', message: /encrypted with scrypt, which is not supported: .*"openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEYFILE -out NEWFILE"/ },
  { name: 'Java KeyStore (JKS)', input: () => fixtureBytes('ca.jks'), reason: 'java-keystore', message: /Java KeyStore \(JKS \/ JCEKS\): convert it with "keytool -importkeystore / },
  { name: 'Java KeyStore (JCEKS)', input: () => fixtureBytes('ca.jceks'), reason: 'java-keystore', message: /Java KeyStore \(JKS \/ JCEKS\)/ },
  {
    name: 'PGP armor',
    input: () => '-----BEGIN PGP PRIVATE KEY BLOCK-----\nabc\n-----END PGP PRIVATE KEY BLOCK-----',
    reason: 'unsupported-algorithm',
    message: /PGP keys are not supported/,
  },
];
