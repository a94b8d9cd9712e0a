/**
 * Encrypted files crafted for the iteration-cap tests (src/pki/kdf-limits.test.ts and the
 * server's import-stall test): the committed fixtures with their iteration INTEGERs rewritten
 * (node-forge's ASN.1 re-encodes the lengths), and files really encrypted at a given count with
 * Node's crypto; RSA keys whose numbers do not belong together. Node only; never imported by the app.
 */
import { createCipheriv, pbkdf2Sync } from 'node:crypto';
import forge from 'node-forge';
import { base64Decode } from '../bytes';
import { fixtureBytes, fixtureText } from '../testing';

type Node = forge.asn1.Asn1;
const asn1 = forge.asn1;
const OIDS = {
  pbes2: '1.2.840.113549.1.5.13',
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
};

const parse = (bytes: Uint8Array): Node => asn1.fromDer(forge.util.binary.raw.encode(bytes));
const encode = (node: Node): Uint8Array =>
  forge.util.binary.raw.decode(asn1.toDer(node).getBytes());
const kids = (node: Node): Node[] => node.value as Node[];
const oidOf = (node: Node): string => asn1.derToOid(kids(node)[0].value as string);

/** A DER INTEGER's content octets for any count (two's complement, minimal). */
export function integerOctets(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex[0], 16) >= 8) hex = '00' + hex;
  return forge.util.hexToBytes(hex);
}
function setCount(algorithm: Node, count: bigint): void {
  const params = kids(algorithm)[1];
  // PBES2 { { PBKDF2, { salt, iterationCount } }, … }; PKCS#12 PBE { salt, iterations }
  const integer =
    oidOf(algorithm) === OIDS.pbes2 ? kids(kids(kids(params)[0])[1])[1] : kids(params)[1];
  integer.value = integerOctets(count);
}

export function pemDer(pem: string): Uint8Array {
  return base64Decode(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''))!;
}

/** ec256.encrypted.pem (OpenSSL 3: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) with another count. */
export function pkcs8With(count: bigint): Uint8Array {
  const epki = parse(pemDer(fixtureText('ec256.encrypted.pem')));
  setCount(kids(epki)[0], count);
  return encode(epki);
}

/** The same key really encrypted at `count` iterations (Node's PBKDF2 and AES). */
export function pkcs8EncryptedAt(count: number, passphrase: string): Uint8Array {
  const epki = parse(pemDer(fixtureText('ec256.encrypted.pem')));
  const algorithm = kids(epki)[0];
  setCount(algorithm, BigInt(count));
  const pbes2 = kids(kids(algorithm)[1]);
  const salt = Buffer.from(kids(kids(pbes2[0])[1])[0].value as string, 'binary');
  const iv = Buffer.from(kids(pbes2[1])[1].value as string, 'binary');
  const key = pbkdf2Sync(passphrase, salt, count, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const plain = pemDer(fixtureText('ec256.pkcs8.pem'));
  kids(epki)[1].value = Buffer.concat([cipher.update(plain), cipher.final()]).toString('binary');
  return encode(epki);
}

export type P12Part = 'mac' | 'keyBag' | 'certificates';

/** A committed PKCS#12 with one part's count rewritten (its MAC then no longer verifies). */
export function p12With(fixture: string, part: P12Part, count: bigint, keyBags = 1): Uint8Array {
  const pfx = parse(fixtureBytes(fixture));
  if (part === 'mac') {
    kids(kids(pfx)[2])[2].value = integerOctets(count);
    return encode(pfx);
  }
  const authSafeOctets = kids(kids(kids(pfx)[1])[1])[0];
  const authSafe = asn1.fromDer(authSafeOctets.value as string);
  for (const contentInfo of kids(authSafe)) {
    const content = kids(kids(contentInfo)[1])[0];
    if (part === 'certificates' && oidOf(contentInfo) === OIDS.encryptedData) {
      setCount(kids(kids(content)[1])[1], count);
    }
    if (part === 'keyBag' && oidOf(contentInfo) === OIDS.data) {
      const safeContents = asn1.fromDer(content.value as string);
      const bag = kids(safeContents).find((b) => oidOf(b) === OIDS.shroudedKeyBag)!;
      setCount(kids(kids(kids(bag)[1])[0])[0], count);
      for (let i = 1; i < keyBags; i++) kids(safeContents).push(bag);
      content.value = asn1.toDer(safeContents).getBytes();
    }
  }
  authSafeOctets.value = asn1.toDer(authSafe).getBytes();
  return encode(pfx);
}

/**
 * A PKCS#12 without MAC whose only content is an EncryptedData (PBES2 at 2,048) holding a
 * shrouded key bag at `keyCount`: that count is visible only after decryption.
 */
export function p12WithHiddenKeyBag(keyCount: bigint): Uint8Array {
  const { CONTEXT_SPECIFIC, UNIVERSAL } = asn1.Class;
  const T = asn1.Type;
  const seq = (...v: Node[]) => asn1.create(UNIVERSAL, T.SEQUENCE, true, v);
  const oid = (o: string) => asn1.create(UNIVERSAL, T.OID, false, asn1.oidToDer(o).getBytes());
  const explicit0 = (v: Node) => asn1.create(CONTEXT_SPECIFIC, 0, true, [v]);
  const octets = (s: string) => asn1.create(UNIVERSAL, T.OCTETSTRING, false, s);

  const bag = seq(oid(OIDS.shroudedKeyBag), explicit0(parse(pkcs8With(keyCount))));
  const safeContents = asn1.toDer(seq(bag)).getBytes();
  const algorithm = kids(parse(pkcs8With(2048n)))[0];
  const pbes2 = kids(kids(algorithm)[1]);
  const salt = Buffer.from(kids(kids(pbes2[0])[1])[0].value as string, 'binary');
  const iv = Buffer.from(kids(pbes2[1])[1].value as string, 'binary');
  const cipher = createCipheriv('aes-256-cbc', pbkdf2Sync('secret', salt, 2048, 32, 'sha256'), iv);
  const encrypted = Buffer.concat([
    cipher.update(Buffer.from(safeContents, 'binary')),
    cipher.final(),
  ]).toString('binary');
  const encryptedData = seq(
    asn1.create(UNIVERSAL, T.INTEGER, false, integerOctets(0n)),
    seq(oid(OIDS.data), algorithm, asn1.create(CONTEXT_SPECIFIC, 0, false, encrypted)),
  );
  const authSafe = seq(seq(oid(OIDS.encryptedData), explicit0(encryptedData)));
  return encode(
    seq(
      asn1.create(UNIVERSAL, T.INTEGER, false, integerOctets(3n)),
      seq(oid(OIDS.data), explicit0(octets(asn1.toDer(authSafe).getBytes()))),
    ),
  );
}


/** The numbers of a PKCS#1 RSAPrivateKey, in order: version, n, e, d, p, q, dp, dq, qi. */
export type RsaNumbers = bigint[];

/** An RSA PKCS#8 PEM (by default rsa2048.pkcs8.pem) with its numbers changed by `edit`. */
export function rsaKeyWith(
  edit: (numbers: RsaNumbers) => RsaNumbers,
  pem = fixtureText('rsa2048.pkcs8.pem'),
): string {
  const pkcs8 = parse(pemDer(pem));
  const octets = kids(pkcs8)[2];
  const inner = asn1.fromDer(octets.value as string);
  const numbers = edit(
    kids(inner).map((n) => BigInt('0x' + (forge.util.bytesToHex(n.value as string) || '0'))),
  );
  kids(inner).forEach((n, i) => (n.value = integerOctets(numbers[i])));
  octets.value = asn1.toDer(inner).getBytes();
  const base64 = Buffer.from(encode(pkcs8)).toString('base64');
  const lines = base64.match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PRIVATE KEY-----\n${lines}\n-----END PRIVATE KEY-----\n`;
}
