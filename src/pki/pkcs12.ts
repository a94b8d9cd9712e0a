/**
 * What a PKCS#12 file asks of its reader before it is opened, judged from its structure alone:
 * no key is derived and node-forge is not loaded.
 */
import * as asn1js from 'asn1js';
import { OID, childNodes, children, decodeDer, isContext, octetBytes } from './asn1';

/** SafeBag types that hold their content in the clear: key, certificate, CRL, secret. */
const PLAIN_BAGS = new Set([
  '1.2.840.113549.1.12.10.1.1',
  '1.2.840.113549.1.12.10.1.3',
  '1.2.840.113549.1.12.10.1.4',
  '1.2.840.113549.1.12.10.1.5',
]);

const oidOf = (node: asn1js.AsnType | undefined): string | undefined =>
  node instanceof asn1js.ObjectIdentifier ? node.valueBlock.toString() : undefined;

/** The items inside a ContentInfo of type `data`; undefined for any other type (encrypted ones). */
function dataItems(contentInfo: asn1js.AsnType | undefined): asn1js.AsnType[] | undefined {
  const [type, content] = childNodes(contentInfo);
  if (oidOf(type) !== OID.pkcs7Data || !isContext(content, 0)) return undefined;
  const octets = octetBytes(childNodes(content)[0]);
  const decoded = octets && decodeDer(octets);
  return decoded && decoded.ok ? children(decoded.value) : undefined;
}

/**
 * Whether a PKCS#12 file (its PFX, decoded) opens without any password: it has no MAC, and
 * nothing in it is encrypted (every content is plain `data`, every bag a plain key, certificate,
 * CRL or secret). `openssl pkcs12 -export -keypbe NONE -certpbe NONE -nomac` writes such files,
 * and Java its truststores without MAC and certificate protection. Anything else (a MAC, even
 * one made with the empty password; an encrypted or shrouded part; a layout not recognised)
 * needs its password.
 */
export function opensWithoutPassword(pfx: asn1js.AsnType): boolean {
  const [, authSafe, macData] = children(pfx);
  if (macData !== undefined) return false;
  const contents = dataItems(authSafe);
  if (!contents?.length) return false;
  return contents.every((contentInfo) =>
    dataItems(contentInfo)?.every((bag) => PLAIN_BAGS.has(oidOf(childNodes(bag)[0]) ?? '')),
  );
}
