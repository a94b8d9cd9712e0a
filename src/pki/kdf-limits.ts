/**
 * Iteration caps for the key derivations of encrypted files (PKCS#8 PBES2/PBKDF2, PKCS#5 v1.5
 * and PKCS#12 PBE, the PKCS#12 MAC). A file names its own iteration count, up to 2^31 and more:
 * without a cap a 1 KB file makes the reader hash for hours. The counts are read from the
 * ASN.1 before any key is derived, so a refused file costs microseconds.
 *
 * Why the cap is 1,000,000: every tool writes far fewer by default. OpenSSL 1.1 and 3.x write
 * 2,048 (pkcs8, pkcs12 encryption and MAC); Windows' PFX export 2,000; Java keytool 10,000 for
 * PBE and MAC (JDK 8u301 and later; the legacy settings 50,000 PBE and 100,000 MAC); Python's
 * cryptography and Bouncy Castle stay in the tens of thousands. The highest count a person is
 * advised to choose is OWASP's 600,000 for PBKDF2-HMAC-SHA256. 1,000,000 opens all of these with
 * room to spare, and keeps the worst file at the cap to seconds of work (the README gives the
 * measured times). Java itself refuses more than 5,000,000.
 */
import * as asn1js from 'asn1js';
import { OID, childNodes, children, decodeDer, isContext, octetBytes } from './asn1';
import { fail } from './result';
import type { Failure } from './types';

/** The most iterations one key derivation of a file may ask for. */
export const MAX_KDF_ITERATIONS = 1_000_000;
/**
 * The most iterations all derivations of one file may add up to: five at the cap, the most a real
 * layout derives (a legacy PKCS#12: the MAC, then key and IV for the key bag and again for the
 * certificates). A file of many bags at the cap is refused here rather than by the time limit.
 */
export const MAX_KDF_ITERATIONS_PER_FILE = 5 * MAX_KDF_ITERATIONS;

const PBKDF2 = '1.2.840.113549.1.5.12';
/** PKCS#5 v1.5 PBES1 (pbeWithMD2/MD5/SHA1And…) and PKCS#12 PBE (pbeWithSHAAnd…): params are { salt, iterationCount }. */
const SALT_COUNT_PBE = new Set([
  '1.2.840.113549.1.5.1',
  '1.2.840.113549.1.5.3',
  '1.2.840.113549.1.5.4',
  '1.2.840.113549.1.5.6',
  '1.2.840.113549.1.5.10',
  '1.2.840.113549.1.5.11',
  '1.2.840.113549.1.12.1.1',
  '1.2.840.113549.1.12.1.2',
  '1.2.840.113549.1.12.1.3',
  '1.2.840.113549.1.12.1.4',
  '1.2.840.113549.1.12.1.5',
  '1.2.840.113549.1.12.1.6',
]);
/** How deep PKCS#12 nests `data` inside `data` before the walk stops looking (real files: 2). */
const MAX_DEPTH = 16;

/** The file, as a message value: a PKCS#12 file or an encrypted private key. */
export type EncryptedKind = 'pkcs12' | 'privateKey';

/** What the message calls the file. */
const NAMES: Record<EncryptedKind, string> = {
  pkcs12: 'PKCS#12 file',
  privateKey: 'private key',
};

/** The command that makes the file again with a default count. */
const REMEDY: Record<EncryptedKind, string> = {
  pkcs12: 'export it again with fewer, e.g. "openssl pkcs12 -export -iter 2048"',
  privateKey: 'encrypt it again with fewer, e.g. "openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 2048"',
};

/** 5000000 → "5,000,000". */
export function groupDigits(n: bigint | number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A count as a message value: a number, or its decimal digits when a number would round it
 * (ICU's `{count, number}` formats both exactly).
 */
function countParam(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : String(n);
}

/** The failure for one iteration count, or undefined when it is accepted. */
export function iterationFailure(count: bigint, kind: EncryptedKind): Failure | undefined {
  if (count < 1n) {
    return fail(
      'corrupted',
      'kdfNoIterations',
      `This ${NAMES[kind]} is damaged: its key derivation gives ${count} iterations (at least 1 is needed).`,
      { kind, count: String(count) },
    );
  }
  if (count > BigInt(MAX_KDF_ITERATIONS)) {
    return fail(
      'too-costly',
      'kdfTooManyIterations',
      `This ${NAMES[kind]}'s key derivation asks for ${groupDigits(count)} iterations; at most ${groupDigits(MAX_KDF_ITERATIONS)} are accepted: ${REMEDY[kind]}.`,
      { kind, count: countParam(count), max: MAX_KDF_ITERATIONS },
    );
  }
  return undefined;
}

/**
 * Every iteration count a PKCS#8 EncryptedPrivateKeyInfo or a PKCS#12 PFX shows before
 * decryption: PBES2/PBKDF2 and PBE parameters anywhere in the structure (key bags, EncryptedData,
 * `data` contents opened on the way) and the PFX's MacData. Counts inside encrypted SafeContents
 * are only visible once those are decrypted: {@link checkIterations} guards them at derivation.
 */
export function iterationCounts(der: Uint8Array): bigint[] {
  const top = decodeDer(der);
  if (!top.ok) return [];
  const counts: bigint[] = [];
  const pfx = children(top.value);
  if (pfx.length === 3 && pfx[0] instanceof asn1js.Integer) {
    // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
    const mac = children(pfx[2]);
    if (mac.length >= 2 && mac[1] instanceof asn1js.OctetString)
      counts.push(mac[2] instanceof asn1js.Integer ? integerValue(mac[2]) : 1n);
  }
  visit(top.value, 0, counts);
  return counts;
}

/** The failure for the counts {@link iterationCounts} finds (the lowest, the highest, their sum), or undefined. */
export function iterationsFailure(der: Uint8Array, kind: EncryptedKind): Failure | undefined {
  const counts = iterationCounts(der);
  const low = counts.find((c) => c < 1n);
  if (low !== undefined) return iterationFailure(low, kind);
  // A file without any count (no MAC, no PBE: an unprotected PKCS#12, or a KDF such as scrypt
  // that counts no iterations) derives nothing here, so there is nothing to refuse.
  if (counts.length === 0) return undefined;
  const high = counts.reduce((a, b) => (b > a ? b : a));
  return (
    iterationFailure(high, kind) ??
    totalFailure(
      counts.reduce((a, b) => a + b, 0n),
      kind,
    )
  );
}

/** The failure for the sum of a file's iteration counts, or undefined when it is accepted. */
export function totalFailure(total: bigint, kind: EncryptedKind): Failure | undefined {
  if (total <= BigInt(MAX_KDF_ITERATIONS_PER_FILE)) return undefined;
  return fail(
    'too-costly',
    'kdfTooManyInAll',
    `This ${NAMES[kind]}'s key derivations ask for ${groupDigits(total)} iterations in all; at most ${groupDigits(MAX_KDF_ITERATIONS_PER_FILE)} are accepted: ${REMEDY[kind]}.`,
    { kind, total: countParam(total), max: MAX_KDF_ITERATIONS_PER_FILE },
  );
}

function visit(node: asn1js.AsnType, depth: number, counts: bigint[]): void {
  if (depth > MAX_DEPTH) return;
  const v = childNodes(node);
  const oid = v[0] instanceof asn1js.ObjectIdentifier ? v[0].valueBlock.toString() : undefined;
  if (oid !== undefined && v.length >= 2) {
    const params = children(v[1]);
    if (oid === OID.pbes2) {
      // PBES2-params ::= SEQUENCE { keyDerivationFunc { PBKDF2, { salt, iterationCount, ... } }, encryptionScheme }
      const kdf = children(params[0]);
      const kdfOid = kdf[0] instanceof asn1js.ObjectIdentifier ? kdf[0].valueBlock.toString() : '';
      const kdfParams = children(kdf[1]);
      if (kdfOid === PBKDF2 && kdfParams[1] instanceof asn1js.Integer)
        counts.push(integerValue(kdfParams[1]));
      return;
    }
    if (SALT_COUNT_PBE.has(oid)) {
      if (params[1] instanceof asn1js.Integer) counts.push(integerValue(params[1]));
      return;
    }
    if (oid === OID.pkcs7Data && isContext(v[1], 0)) {
      // ContentInfo { data, [0] OCTET STRING }: the SafeContents or AuthenticatedSafe inside.
      const octets = octetBytes(childNodes(v[1])[0]);
      const inner = octets ? decodeDer(octets) : undefined;
      if (inner?.ok) visit(inner.value, depth + 1, counts);
      return;
    }
  }
  for (const child of v) visit(child, depth + 1, counts);
}

/** A DER INTEGER as a bigint (two's complement). */
function integerValue(node: asn1js.Integer): bigint {
  const bytes = node.valueBlock.valueHexView;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0] & 0x80) n -= 1n << BigInt(bytes.length * 8);
  return n;
}

/** Thrown by the derivation guard; {@link limitFailure} turns it into the answer. */
export class KdfLimitError extends Error {
  constructor(
    readonly count: bigint,
    readonly total: bigint,
  ) {
    super(`key derivation with ${count} iterations (${total} in all) refused`);
  }
}

export function limitFailure(error: KdfLimitError, kind: EncryptedKind): Failure {
  return (
    iterationFailure(error.count, kind) ??
    totalFailure(error.total, kind) ??
    fail(
      'too-costly',
      'kdfTooCostly',
      `This ${NAMES[kind]} asks for too much key derivation work.`,
      { kind },
    )
  );
}

/**
 * The guard at derivation, one per file opened: each derivation is checked before it runs,
 * including those whose counts only decryption reveals (a shrouded key bag inside an encrypted
 * SafeContents), and their sum is kept.
 */
export class DerivationBudget {
  private spent = 0n;

  charge(count: number): void {
    const n = BigInt(Number.isFinite(count) ? Math.trunc(count) : Number.MAX_SAFE_INTEGER);
    this.spent += n > 0n ? n : 0n;
    if (
      n < 1n ||
      n > BigInt(MAX_KDF_ITERATIONS) ||
      this.spent > BigInt(MAX_KDF_ITERATIONS_PER_FILE)
    )
      throw new KdfLimitError(n, this.spent);
  }
}
