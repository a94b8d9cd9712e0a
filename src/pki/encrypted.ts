/**
 * Encrypted inputs: PKCS#8 `ENCRYPTED PRIVATE KEY`, legacy `Proc-Type: 4,ENCRYPTED` PEM, and
 * PKCS#12. node-forge does the decryption (pkijs/WebCrypto lack MD5-based key derivation, 3DES
 * and RC2, which legacy files use); it is loaded on first use only, so it stays out of any
 * bundle that never opens an encrypted file.
 */
import { decodeDer, type Subject } from './asn1';
import { DerivationBudget, KdfLimitError, iterationsFailure, limitFailure } from './kdf-limits';
import { fail, succeed } from './result';
import { PASSPHRASE_NEEDED, type PemBlock } from './pem';
import type { InspectedItem, Result } from './types';

type Forge = typeof import('node-forge');

let forgePromise: Promise<Forge> | undefined;
function loadForge(): Promise<Forge> {
  forgePromise ??= import('node-forge').then((m) =>
    guardDerivations(((m as unknown as { default?: Forge }).default ?? m) as Forge),
  );
  return forgePromise;
}

type Pbkdf2 = (p: string, s: string, c: number, dkLen: number, md?: unknown) => string;
type Pkcs12Kdf = (...args: [unknown, unknown, number, number, ...unknown[]]) => unknown;
interface ForgeKdfs {
  pbkdf2: Pbkdf2;
  pkcs5: { pbkdf2: Pbkdf2 };
  pbe: { generatePkcs12Key: Pkcs12Kdf };
  pkcs12: { generateKey: Pkcs12Kdf };
}
/** Digests whose forge and Node names agree. */
const NATIVE_DIGESTS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);

/**
 * The budget of the file being opened. forge derives keys inside synchronous calls, so one
 * module-wide slot, set around each such call by {@link withBudget}, belongs to that file alone.
 */
let budget: DerivationBudget | undefined;
function withBudget<T>(open: () => T): T {
  budget = new DerivationBudget();
  try {
    return open();
  } finally {
    budget = undefined;
  }
}

const guarded = new WeakSet<object>();

/**
 * Wraps node-forge's key derivations (once; forge is a shared module object):
 * - every derivation is charged to the file's budget before it runs, so counts that only
 *   decryption reveals (a shrouded key inside an encrypted PKCS#12 SafeContents) are capped too;
 * - PBKDF2 is given its digest by name: forge passes a digest object, which makes it run its own
 *   JavaScript HMAC even in Node, where a name lets it use Node's native crypto (about 35 times
 *   faster here: 1,000,000 SHA-256 iterations 0.3 s instead of 10 s). Browsers still run forge's
 *   JavaScript, with the same result.
 * - PBKDF2 gets the passphrase's UTF-8 bytes, as OpenSSL and Java derive them: forge would take
 *   each character's low byte, so "Schlüssel" or "鍵" never matched. Every passphrase reaches forge
 *   as a JavaScript string, so nothing is encoded twice. The PKCS#12 KDF keeps forge's own
 *   conversion (to BMPString, as the standard and OpenSSL do).
 * The PKCS#12 KDF (MAC, PKCS#12 PBE) has no native counterpart and stays forge's.
 */
function guardDerivations(forge: Forge): Forge {
  const kdfs = forge as unknown as ForgeKdfs;
  if (guarded.has(kdfs.pkcs5.pbkdf2)) return forge;
  const pbkdf2 = kdfs.pkcs5.pbkdf2;
  const byName: Pbkdf2 = (p, s, c, dkLen, md) => {
    budget?.charge(c);
    const name = (md as { algorithm?: unknown } | undefined)?.algorithm;
    const digest = typeof name === 'string' && NATIVE_DIGESTS.has(name) ? name : md;
    return pbkdf2(forge.util.encodeUtf8(p), s, c, dkLen, digest);
  };
  const pkcs12Kdf = kdfs.pbe.generatePkcs12Key;
  const checkedPkcs12Kdf: Pkcs12Kdf = (...args) => {
    budget?.charge(args[3]);
    return pkcs12Kdf(...args);
  };
  kdfs.pkcs5.pbkdf2 = kdfs.pbkdf2 = byName;
  kdfs.pbe.generatePkcs12Key = kdfs.pkcs12.generateKey = checkedPkcs12Kdf;
  guarded.add(byName);
  return forge;
}

function toBinaryString(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

function fromBinaryString(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const WRONG_PASSPHRASE = 'The passphrase is wrong: the private key could not be decrypted with it.';
const WRONG_PASSWORD = 'The password is wrong: the PKCS#12 file could not be opened with it.';

/**
 * Decrypts a PKCS#8 EncryptedPrivateKeyInfo into plain PKCS#8 DER. Keys encrypted with scrypt
 * are refused before (inspect.ts): forge derives with PBKDF2 only.
 */
export async function decryptPkcs8(
  der: Uint8Array,
  passphrase: string,
): Promise<Result<Uint8Array>> {
  if (passphrase === '') return fail('wrong-passphrase', 'passphraseNeeded', PASSPHRASE_NEEDED);
  const tooCostly = iterationsFailure(der, 'privateKey');
  if (tooCostly) return tooCostly;
  const forge = await loadForge();
  try {
    const encrypted = forge.asn1.fromDer(toBinaryString(der));
    const info = withBudget(() => forge.pki.decryptPrivateKeyInfo(encrypted, passphrase));
    if (!info) return fail('wrong-passphrase', 'wrongPassphrase', WRONG_PASSPHRASE);
    return succeed(fromBinaryString(forge.asn1.toDer(info).getBytes()));
  } catch (e) {
    if (e instanceof KdfLimitError) return limitFailure(e, 'privateKey');
    const message = e instanceof Error ? e.message : '';
    if (/unsupported|cannot read encrypted/i.test(message)) {
      return fail(
        'unsupported-algorithm',
        'pkcs8CipherUnsupported',
        'This private key is encrypted with a method that is not supported: re-encrypt it with AES (openssl pkcs8 -topk8 -v2 aes-256-cbc).',
      );
    }
    return fail('wrong-passphrase', 'wrongPassphrase', WRONG_PASSPHRASE);
  }
}

const LEGACY_CIPHERS: Record<
  string,
  { cipher: 'AES-CBC' | '3DES-CBC' | 'DES-CBC'; keyLength: number }
> = {
  'AES-128-CBC': { cipher: 'AES-CBC', keyLength: 16 },
  'AES-192-CBC': { cipher: 'AES-CBC', keyLength: 24 },
  'AES-256-CBC': { cipher: 'AES-CBC', keyLength: 32 },
  'DES-EDE3-CBC': { cipher: '3DES-CBC', keyLength: 24 },
  'DES-CBC': { cipher: 'DES-CBC', keyLength: 8 },
};

/** Decrypts a legacy OpenSSL `Proc-Type: 4,ENCRYPTED` PEM body into the plain key DER. */
export async function decryptLegacyPem(
  block: PemBlock,
  passphrase: string,
): Promise<Result<Uint8Array>> {
  if (passphrase === '') return fail('wrong-passphrase', 'passphraseNeeded', PASSPHRASE_NEEDED);
  const [algorithm, ivHex] = (block.headers['DEK-Info'] ?? '').split(',').map((s) => s.trim());
  const spec = LEGACY_CIPHERS[algorithm?.toUpperCase() ?? ''];
  if (!spec || !ivHex || !/^[0-9A-Fa-f]+$/.test(ivHex)) {
    return algorithm
      ? fail(
          'unsupported-algorithm',
          'legacyCipherUnsupported',
          `This private key is encrypted with "${algorithm}", which is not supported: re-encrypt it with AES-256-CBC.`,
          { cipher: algorithm },
        )
      : fail(
          'unsupported-algorithm',
          'legacyCipherMissing',
          'This private key is encrypted with "an unnamed cipher", which is not supported: re-encrypt it with AES-256-CBC.',
        );
  }
  const blockSize = spec.cipher === 'AES-CBC' ? 16 : 8;
  if (ivHex.length !== blockSize * 2) {
    return fail(
      'corrupted',
      'legacyIvLength',
      `The private key's "DEK-Info" line is damaged: its IV must have ${blockSize * 2} hex digits, it has ${ivHex.length}.`,
      { expected: blockSize * 2, actual: ivHex.length },
    );
  }
  if (block.der.length === 0 || block.der.length % blockSize !== 0) {
    return fail(
      'truncated',
      'legacyBlockLength',
      'The encrypted private key is cut off: its length is not a whole number of cipher blocks.',
    );
  }
  const forge = await loadForge();
  const iv = forge.util.hexToBytes(ivHex);
  // OpenSSL's EVP_BytesToKey with MD5, one round, the first 8 IV bytes as salt.
  const key = (
    forge as unknown as {
      pbe: { opensslDeriveBytes(p: string, s: string, n: number, md: unknown): string };
    }
  ).pbe.opensslDeriveBytes(
    // OpenSSL derives from the passphrase's bytes as typed: UTF-8.
    forge.util.encodeUtf8(passphrase),
    iv.slice(0, 8),
    spec.keyLength,
    forge.md.md5.create(),
  );
  const decipher = forge.cipher.createDecipher(spec.cipher, key);
  decipher.start({ iv });
  decipher.update(forge.util.createBuffer(toBinaryString(block.der)));
  if (!decipher.finish()) return fail('wrong-passphrase', 'wrongPassphrase', WRONG_PASSPHRASE);
  const plain = fromBinaryString(decipher.output.getBytes());
  return decodeDer(plain).ok
    ? succeed(plain)
    : fail('wrong-passphrase', 'wrongPassphrase', WRONG_PASSPHRASE);
}

type DerReader = (
  der: Uint8Array,
  options: { password?: string },
  ecParameters: string | undefined,
  what: Subject,
) => Promise<Result<InspectedItem[]>>;

/** Opens a PKCS#12 file (modern AES/PBES2 or legacy 3DES/RC2) and reads its keys and certificates. */
export async function openPkcs12(
  der: Uint8Array,
  password: string,
  read: DerReader,
): Promise<Result<InspectedItem[]>> {
  const tooCostly = iterationsFailure(der, 'pkcs12');
  if (tooCostly) return tooCostly;
  const forge = await loadForge();
  let p12: ReturnType<Forge['pkcs12']['pkcs12FromAsn1']>;
  try {
    p12 = withBudget(() =>
      forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(toBinaryString(der)), false, password),
    );
  } catch (e) {
    if (e instanceof KdfLimitError) return limitFailure(e, 'pkcs12');
    const message = e instanceof Error ? e.message : '';
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message))
      return fail('wrong-passphrase', 'wrongPassword', WRONG_PASSWORD);
    if (/unsupported/i.test(message)) {
      return fail(
        'unsupported-algorithm',
        'pkcs12MethodUnsupported',
        'This PKCS#12 file is protected with a method that is not supported: export it again with AES-256 (openssl pkcs12 -export).',
      );
    }
    return fail('corrupted', 'pkcs12Damaged', 'The PKCS#12 file is damaged: it could not be read.');
  }
  const oids = forge.pki.oids;
  const items: InspectedItem[] = [];
  for (const bagType of [oids['pkcs8ShroudedKeyBag'], oids['keyBag']]) {
    for (const bag of p12.getBags({ bagType })[bagType] ?? []) {
      const asn1 = bag.key
        ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
        : bag.asn1;
      if (!asn1) continue;
      const keyItems = await read(
        fromBinaryString(forge.asn1.toDer(asn1).getBytes()),
        {},
        undefined,
        { what: 'pkcs12Key' },
      );
      if (!keyItems.ok) return keyItems;
      // A keystore of several entries: each key keeps its entry's name, for the dialog to say which.
      const alias: unknown = bag.attributes?.['friendlyName']?.[0];
      items.push(
        ...keyItems.value.map((i) =>
          i.kind === 'private-key'
            ? {
                ...i,
                key: { ...i.key, format: 'PKCS#12' as const },
                ...(typeof alias === 'string' && alias ? { alias } : {}),
              }
            : i,
        ),
      );
    }
  }
  const certBag = oids['certBag'];
  for (const bag of p12.getBags({ bagType: certBag })[certBag] ?? []) {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
    if (!asn1) continue;
    const certItems = await read(
      fromBinaryString(forge.asn1.toDer(asn1).getBytes()),
      {},
      undefined,
      { what: 'pkcs12Certificate' },
    );
    if (!certItems.ok) return certItems;
    items.push(...certItems.value);
  }
  if (items.length === 0)
    return fail('not-pem', 'pkcs12Empty', 'The PKCS#12 file holds no key and no certificate.');
  return succeed(orderLeafFirst(items));
}

/** PKCS#12 files list the CA before the leaf as often as after: put the key's certificate first. */
function orderLeafFirst(items: InspectedItem[]): InspectedItem[] {
  const certificates = items.filter((i) => i.kind === 'certificate');
  const leaf = certificates.find((c) => !c.certificate.isCa) ?? certificates[0];
  return leaf
    ? [
        ...items.filter((i) => i !== leaf && i.kind !== 'certificate'),
        leaf,
        ...certificates.filter((c) => c !== leaf),
      ]
    : items;
}
