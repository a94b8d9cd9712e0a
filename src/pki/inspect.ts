import {
  OID,
  classifyDer,
  decodeDer,
  pbes2KdfOid,
  subjectParams,
  subjectText,
  type Subject,
} from './asn1';
import { bytesToText, textToBytes } from './bytes';
import { certificateFromDer } from './certificate';
import { javaKeyStoreFailure, pkcs7BundleFailure, scryptFailure } from './commands';
import type * as Encrypted from './encrypted';
import { ecCurveOf, isCompressedEcKey, privateKeyFromDer, publicKeyFromDer } from './key';
import {
  MAX_INPUT_BYTES,
  PASSPHRASE_NEEDED,
  TOO_LARGE_MESSAGE,
  headerlessBase64,
  parsePemBlocks,
  type PemBlock,
} from './pem';
import { opensWithoutPassword } from './pkcs12';
import { fail, formatUtc, succeed, warn } from './result';
import type {
  Certificate,
  Failure,
  InspectedItem,
  PrivateKey,
  PrivateKeyFormat,
  PublicKey,
  Result,
} from './types';

/**
 * Decryption (encrypted PKCS#8, legacy encrypted PEM, PKCS#12, and the key-derivation limits) is
 * loaded when a file is encrypted: every load of a key tab reads plain stored PEM, and the
 * browser then fetches and compiles none of it.
 */
const decryption = (): Promise<typeof Encrypted> => import('./encrypted');

/** What one text or file holds, once read: the parts a key pair is made of. */
export interface KeyMaterial {
  readonly privateKey?: PrivateKey;
  readonly publicKey?: PublicKey;
  /** Leaf first, as given. */
  readonly certificates: readonly Certificate[];
}

/**
 * The most PEM blocks one text may hold: a key, its EC parameters, a public key, a certificate
 * and its chain. Every block is decoded, every key imported and every certificate parsed on the
 * caller's thread, so a megabyte of thousands of small blocks would take seconds.
 */
export const MAX_PEM_BLOCKS = 16;

/** How many PEM blocks `text` begins, counted without reading any. */
function pemBlockCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('-----BEGIN '); at >= 0; at = text.indexOf('-----BEGIN ', at + 11))
    count++;
  return count;
}

interface Options {
  /** Passphrase of an encrypted private key, or password of a PKCS#12 file. */
  readonly password?: string;
  /**
   * The file's name, when the input is a file: the commands some failures give (converting a
   * Java KeyStore, say) then name it instead of a placeholder.
   */
  readonly name?: string;
}

/**
 * Tells what a text or file is: every key, certificate, CSR, encrypted key or PKCS#12 it holds.
 * Encrypted parts are opened when a password is given. Fails with a specific message when the
 * input is empty, too large, damaged, binary noise, or holds nothing of these.
 */
export async function inspect(
  input: string | Uint8Array,
  options: Options = {},
): Promise<Result<InspectedItem[]>> {
  // Browsers withhold WebCrypto from pages served over plain HTTP to another machine: without it
  // no key or certificate can be read, which is not the input's fault.
  if (!globalThis.crypto?.subtle) return noWebCrypto();
  try {
    return await inspectInput(input, options);
  } catch {
    // Every cause we know has its own message above; this is the net under the libraries.
    return fail(
      'corrupted',
      'inputDamaged',
      'The input is damaged: it could not be read as a key or certificate.',
    );
  }
}

async function inspectInput(
  input: string | Uint8Array,
  options: Options,
): Promise<Result<InspectedItem[]>> {
  const size =
    typeof input === 'string'
      ? input.length > MAX_INPUT_BYTES / 4
        ? textToBytes(input).length
        : input.length
      : input.length;
  if (size > MAX_INPUT_BYTES) {
    return fail('too-large', 'tooLarge', TOO_LARGE_MESSAGE);
  }
  if (typeof input !== 'string') {
    if (input.length === 0) return fail('empty', 'fileEmpty', 'The file is empty.');
    const text = bytesToText(input.slice(0, 64 * 1024));
    if (text.includes('-----BEGIN ')) return inspectText(bytesToText(input), options);
    // A text file without PEM lines (blank, prose, bare base64) is judged as text; the rest as DER.
    // eslint-disable-next-line no-control-regex
    if (input[0] !== 0x30 && !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text))
      return inspectText(bytesToText(input), options);
    return inspectDer(input, options, true);
  }
  return inspectText(input, options);
}

async function inspectText(text: string, options: Options): Promise<Result<InspectedItem[]>> {
  if (text.trim() === '')
    return fail('empty', 'textEmpty', 'Nothing was given: the text is empty.');
  if (!text.includes('-----BEGIN ')) {
    const der = headerlessBase64(text);
    if (der) return inspectDer(der, options, false);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) {
      return fail(
        'binary',
        'binaryText',
        'This is binary data, not text: choose the file with Import instead of pasting it.',
      );
    }
    return fail(
      'not-pem',
      'noPemBlock',
      'No PEM block was found: a key or certificate starts with a line such as "-----BEGIN PRIVATE KEY-----".',
    );
  }
  const count = pemBlockCount(text);
  if (count > MAX_PEM_BLOCKS)
    return fail(
      'too-large',
      'tooManyBlocks',
      `The text holds ${count} PEM blocks; a key with its certificate and chain has at most ${MAX_PEM_BLOCKS}.`,
      { count, max: MAX_PEM_BLOCKS },
    );
  const blocks = parsePemBlocks(text);
  if (!blocks.ok) return blocks;
  const items: InspectedItem[] = [];
  let ecParameters: string | undefined;
  for (const block of blocks.value) {
    if (block.label === 'EC PARAMETERS') {
      const node = decodeDer(block.der, { what: 'ecParameters' });
      if (node.ok) ecParameters = ecCurveOf(node.value);
      continue;
    }
    const item = await inspectBlock(block, ecParameters, options);
    if (!item.ok) return item;
    items.push(...item.value);
  }
  if (items.length === 0)
    return fail(
      'not-pem',
      'onlyEcParameters',
      'The text holds only EC parameters, no key or certificate.',
    );
  return succeed(items);
}

const UNSUPPORTED_LABELS: ReadonlyArray<
  readonly [RegExp, 'pgpKey' | 'opensshKey' | 'dsaKey', string]
> = [
  [
    /PGP/,
    'pgpKey',
    'PGP keys are not supported here: JS7 X.509 signing uses ECDSA or RSA keys with a certificate.',
  ],
  [
    /OPENSSH PRIVATE KEY/,
    'opensshKey',
    'OpenSSH\'s own key format is not supported: convert it with "ssh-keygen -p -m PKCS8 -f KEYFILE".',
  ],
  [/^DSA /, 'dsaKey', 'DSA keys are not supported: JS7 signs with ECDSA or RSA keys.'],
];

async function inspectBlock(
  block: PemBlock,
  ecParameters: string | undefined,
  options: Options,
): Promise<Result<InspectedItem[]>> {
  const unsupported = UNSUPPORTED_LABELS.find(([re]) => re.test(block.label));
  if (unsupported) return fail('unsupported-algorithm', unsupported[1], unsupported[2]);
  if (/ENCRYPTED/.test(block.headers['Proc-Type'] ?? '')) {
    if (options.password === undefined)
      return succeed([{ kind: 'encrypted-private-key', format: 'legacy encrypted PEM' }]);
    const der = await (await decryption()).decryptLegacyPem(block, options.password);
    if (!der.ok) return der;
    return keyItem(
      await privateKeyFromDer(der.value, 'legacy encrypted PEM', ecParameters, options.name),
    );
  }
  if (/CERTIFICATE REQUEST/.test(block.label)) return succeed([{ kind: 'csr' }]);
  return derItems(block.der, options, ecParameters, { what: 'block', label: block.label });
}

async function inspectDer(
  der: Uint8Array,
  options: Options,
  isFile: boolean,
): Promise<Result<InspectedItem[]>> {
  const noise = isFile
    ? fail(
        'binary',
        'binaryFile',
        'This file is not a key or certificate: it is neither PEM text, DER nor PKCS#12.',
      )
    : fail('binary', 'binaryBase64', 'This text is not a key or certificate.');
  if (isJavaKeyStore(der)) return javaKeyStoreFailure(options.name);
  if (der[0] !== 0x30) return noise;
  const items = await derItems(der, options, undefined, { what: isFile ? 'file' : 'text' });
  return !items.ok && items.reason === 'corrupted' && classifyOrUnknown(der) === 'unknown'
    ? noise
    : items;
}

/**
 * Java's own keystore formats, by their magic number: JKS (FE ED FE ED) and JCEKS (CE CE CE CE).
 * keytool writes them on request (JKS by default up to Java 8); neither is DER.
 */
function isJavaKeyStore(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  return magic === 0xfeedfeed || magic === 0xcececece;
}

function classifyOrUnknown(der: Uint8Array): string {
  const node = decodeDer(der);
  return node.ok ? classifyDer(node.value) : 'unknown';
}

async function derItems(
  der: Uint8Array,
  options: Options,
  ecParameters: string | undefined,
  what: Subject,
): Promise<Result<InspectedItem[]>> {
  const node = decodeDer(der, what);
  if (!node.ok) return node;
  const kind = classifyDer(node.value);
  switch (kind) {
    case 'certificate': {
      const certificate = await certificateFromDer(der, node.value);
      if (!certificate.ok) return certificate;
      // Refused wherever a certificate is read (store, import, both dialogs; a stored one's row
      // then says why): JOC Cockpit and the Controllers fail on it, so nothing may call it usable.
      if (
        certificate.value.publicKey.algorithm === 'ECDSA' &&
        isCompressedEcKey(certificate.value.spki)
      )
        return fail(
          'unsupported-algorithm',
          'certificateKeyCompressed',
          "The certificate's EC public key is in compressed form, which JOC Cockpit and the Controllers (Java) cannot read: have it issued again with the key in uncompressed form.",
        );
      return succeed([{ kind: 'certificate', certificate: certificate.value }]);
    }
    case 'csr':
      return succeed([{ kind: 'csr' }]);
    case 'pkcs8':
    case 'pkcs1-private':
    case 'sec1':
      return keyItem(await privateKeyFromDer(der, FORMATS[kind], ecParameters, options.name));
    case 'encrypted-pkcs8': {
      // openssl pkcs8 -scrypt writes these; no passphrase would open them here, so none is
      // asked for: the answer comes at once, with the command that re-encrypts the key.
      if (pbes2KdfOid(node.value) === OID.scrypt) return scryptFailure(options.name);
      if (options.password === undefined)
        return succeed([{ kind: 'encrypted-private-key', format: 'encrypted PKCS#8' }]);
      const plain = await (await decryption()).decryptPkcs8(der, options.password);
      if (!plain.ok) return plain;
      return keyItem(
        await privateKeyFromDer(plain.value, 'encrypted PKCS#8', undefined, options.name),
      );
    }
    case 'spki':
    case 'pkcs1-public': {
      const key = publicKeyFromDer(der);
      return key.ok ? succeed([{ kind: 'public-key', key: key.value }]) : key;
    }
    case 'pkcs12':
      // A file without MAC or encryption is read at once (no key is derived); any other waits
      // for its password, which may be the empty one.
      if (options.password === undefined && !opensWithoutPassword(node.value))
        return succeed([{ kind: 'pkcs12' }]);
      return (await decryption()).openPkcs12(der, options.password ?? '', derItems);
    case 'ec-parameters':
      return succeed([]);
    case 'pkcs7':
      return pkcs7BundleFailure(what.what === 'block' ? 'pem' : 'der', options.name);
    default:
      return fail(
        'corrupted',
        'notKeyOrCertificate',
        `${subjectText(what)} is not a key or certificate: its structure is none of X.509, PKCS#8, PKCS#1, SEC1 or PKCS#12.`,
        subjectParams(what),
      );
  }
}

const FORMATS: Record<'pkcs8' | 'pkcs1-private' | 'sec1', PrivateKeyFormat> = {
  pkcs8: 'PKCS#8',
  'pkcs1-private': 'PKCS#1',
  sec1: 'SEC1',
};

function keyItem(key: Result<PrivateKey>): Result<InspectedItem[]> {
  return key.ok ? succeed([{ kind: 'private-key', key: key.value }], key.warnings) : key;
}

/** One line naming what an item is, as the Import dialog lists it. */
export function describeItem(item: InspectedItem): string {
  switch (item.kind) {
    case 'private-key':
      return `${item.key.label} private key, ${item.key.format}`;
    case 'public-key':
      return `${item.key.label} public key`;
    case 'certificate':
      return `Certificate for ${item.certificate.subject}, valid until ${formatUtc(item.certificate.notAfter)}`;
    case 'csr':
      return 'Certificate signing request (CSR)';
    case 'encrypted-private-key':
      return `Encrypted private key (${item.format}): needs its passphrase`;
    case 'pkcs12':
      return 'PKCS#12 file: needs its password';
  }
}

const PKCS12_NEEDS_PASSWORD = 'This is a PKCS#12 file: give its password to open it.';

/** The failure for "a private key was expected, this is what was found instead". */
function notAPrivateKey(items: readonly InspectedItem[]): Failure {
  const kinds = new Set(items.map((i) => i.kind));
  if (kinds.has('encrypted-private-key'))
    return fail('encrypted-key', 'passphraseNeeded', PASSPHRASE_NEEDED);
  if (kinds.has('pkcs12')) return fail('pkcs12', 'pkcs12NeedsPassword', PKCS12_NEEDS_PASSWORD);
  if (kinds.has('public-key'))
    return fail(
      'public-key-not-private',
      'publicKeyNotPrivate',
      'This is a public key; a private key is expected here.',
    );
  if (kinds.has('certificate'))
    return fail(
      'certificate-not-key',
      'certificateNotPrivate',
      'This is a certificate; a private key is expected here.',
    );
  if (kinds.has('csr'))
    return fail(
      'csr',
      'csrNotPrivate',
      'This is a certificate signing request (CSR); a private key is expected here.',
    );
  return fail('not-pem', 'noPrivateKey', 'No private key was found.');
}

function notACertificate(items: readonly InspectedItem[]): Failure {
  const kinds = new Set(items.map((i) => i.kind));
  if (kinds.has('csr')) {
    return fail(
      'csr',
      'csrNotCertificate',
      'This is a certificate signing request (CSR), not a certificate: have a CA sign it, or use Generate.',
    );
  }
  if (kinds.has('private-key') || kinds.has('encrypted-private-key'))
    return fail(
      'key-not-certificate',
      'privateKeyNotCertificate',
      'This is a private key; a certificate is expected here.',
    );
  if (kinds.has('public-key'))
    return fail(
      'key-not-certificate',
      'publicKeyNotCertificate',
      'This is a public key; a certificate is expected here.',
    );
  if (kinds.has('pkcs12')) return fail('pkcs12', 'pkcs12NeedsPassword', PKCS12_NEEDS_PASSWORD);
  return fail('not-pem', 'noCertificate', 'No certificate was found.');
}

/** Reads the private key a text or file holds (decrypting it with `passphrase` when given). */
export async function readPrivateKey(
  input: string | Uint8Array,
  options: { passphrase?: string } = {},
): Promise<Result<PrivateKey>> {
  const items = await inspect(input, { password: options.passphrase });
  if (!items.ok) return items;
  const keys = items.value.filter((i) => i.kind === 'private-key');
  if (keys.length === 0) return notAPrivateKey(items.value);
  const warnings =
    keys.length > 1
      ? [
          warn(
            'severalPrivateKeys',
            `The text holds ${keys.length} private keys; the first one is used.`,
            { count: keys.length },
          ),
        ]
      : [];
  return succeed(keys[0].key, warnings);
}

/** Reads every certificate a text or file holds, leaf first as given. */
export async function readCertificates(input: string | Uint8Array): Promise<Result<Certificate[]>> {
  const items = await inspect(input);
  // Where a certificate is asked for, its own first line is the example to give.
  if (!items.ok && items.code === 'noPemBlock')
    return fail(
      'not-pem',
      'noCertificatePem',
      'No PEM block was found: a certificate starts with the line "-----BEGIN CERTIFICATE-----".',
    );
  if (!items.ok) return items;
  const certificates = items.value.flatMap((i) =>
    i.kind === 'certificate' ? [i.certificate] : [],
  );
  return certificates.length ? succeed(certificates) : notACertificate(items.value);
}

/** Reads the first (leaf) certificate of a text or file. */
export async function readCertificate(input: string | Uint8Array): Promise<Result<Certificate>> {
  const all = await readCertificates(input);
  return all.ok ? succeed(all.value[0], all.warnings) : all;
}

/** Reads a public key; a certificate's key is not taken silently. */
export async function readPublicKey(input: string | Uint8Array): Promise<Result<PublicKey>> {
  const items = await inspect(input);
  if (!items.ok) return items;
  const key = items.value.find((i) => i.kind === 'public-key');
  if (key) return succeed(key.key);
  if (items.value.some((i) => i.kind === 'private-key' || i.kind === 'encrypted-private-key')) {
    return fail(
      'private-key-not-public',
      'privateKeyNotPublic',
      'This is a private key; a public key is expected here.',
    );
  }
  if (items.value.some((i) => i.kind === 'certificate'))
    return fail(
      'certificate-not-key',
      'certificateNotPublic',
      'This is a certificate; a public key is expected here.',
    );
  return fail('not-pem', 'noPublicKey', 'No public key was found.');
}

/** What one file or text holds for a key pair: its private key, public key and certificates. */
export async function readKeyMaterial(
  input: string | Uint8Array,
  options: Options = {},
): Promise<Result<KeyMaterial>> {
  const items = await inspect(input, options);
  if (!items.ok) return items;
  const privateKey = items.value.find((i) => i.kind === 'private-key')?.key;
  const publicKey = items.value.find((i) => i.kind === 'public-key')?.key;
  const certificates = items.value.flatMap((i) =>
    i.kind === 'certificate' ? [i.certificate] : [],
  );
  if (!privateKey && !publicKey && certificates.length === 0) {
    return items.value.some((i) => i.kind === 'csr')
      ? fail(
          'csr',
          'csrNotMaterial',
          'This is a certificate signing request (CSR), neither a key nor a certificate: import the private key, and the certificate a CA issued for the request.',
        )
      : notAPrivateKey(items.value);
  }
  return succeed({ privateKey, publicKey, certificates }, items.warnings);
}

/** Why nothing can be read in this page: it is not a secure context. */
export function noWebCrypto(): Failure {
  return fail(
    'no-webcrypto',
    'noWebCrypto',
    'This page has no cryptography from the browser (WebCrypto), which browsers give only to pages opened over https:// or on the machine itself (localhost): open the console that way to read keys and certificates.',
  );
}
