/**
 * `/profile/key/check` (ours): is the stored key ready for deployments? The same checks the
 * console runs in the browser against a real JOC Cockpit: key and certificate belong together,
 * valid now and beyond the warning threshold, issuer available, valid and directly signing the
 * certificate, and a sample document signed and verified as deployment does.
 */
import { X509Certificate } from 'node:crypto';
import type { KeyCheck } from '../../src/contract';
import {
  certificateStatus,
  keyMatchesCertificate,
  readCertificates,
  readPrivateKey,
  readPublicKey,
  signDocument,
  verifyDocument,
  type Certificate,
  type PrivateKey,
  type PublicKey,
} from '../../src/pki';
import type { KeyPolicy } from './key-policy';
import type { StoredCa, StoredPair } from './store';

/** Days before expiry from which the certificate counts as expiring. */
export const WARN_DAYS = 30;

const day = (d: Date) => d.toISOString().slice(0, 10);

function issuerCheck(leaf: Certificate, chain: readonly Certificate[], ca: StoredCa | undefined, now: Date): KeyCheck {
  const leafX = new X509Certificate(Buffer.from(leaf.der));
  if (leaf.selfIssued) {
    return leafX.verify(leafX.publicKey)
      ? { id: 'issuer', ok: true, message: 'The certificate is self-signed and its signature verifies: trust this certificate itself on Controllers and Agents.' }
      : { id: 'issuer', ok: false, message: 'The certificate claims to be self-signed, but its signature does not verify with its own key.' };
  }
  // The issuer: the next certificate of the stored chain, or the SSL CA.
  const pool = [...chain.slice(1).map((c) => new X509Certificate(Buffer.from(c.der))), ...(ca?.certificate ? [new X509Certificate(ca.certificate)] : [])];
  const issuer = pool.find((c) => c.subject === leafX.issuer && leafX.verify(c.publicKey));
  if (!issuer) {
    const named = pool.some((c) => c.subject === leafX.issuer);
    return named
      ? { id: 'issuer', ok: false, message: `The issuer "${leaf.issuer}" did not sign this certificate: its signature does not verify.` }
      : { id: 'issuer', ok: false, message: `The issuer "${leaf.issuer}" is not available: store the certificate with its CA chain, or use the SSL CA.` };
  }
  const from = new Date(issuer.validFrom);
  const to = new Date(issuer.validTo);
  if (now < from || now > to) {
    return { id: 'issuer', ok: false, message: `The issuer "${leaf.issuer}" is not valid now (valid ${day(from)} to ${day(to)}).` };
  }
  if (!issuer.ca) return { id: 'issuer', ok: false, message: `The issuer "${leaf.issuer}" is not a CA certificate.` };
  return { id: 'issuer', ok: true, message: `Issued and signed by "${leaf.issuer}", valid until ${day(to)}.` };
}

export async function keyChecks(pair: StoredPair | undefined, policy: KeyPolicy, ca: StoredCa | undefined, now: Date): Promise<KeyCheck[]> {
  const checks: KeyCheck[] = [];
  let privateKey: PrivateKey | undefined;
  let publicKey: PublicKey | undefined;
  if (pair?.privateKey) {
    const read = await readPrivateKey(pair.privateKey);
    if (read.ok) privateKey = read.value;
  }
  if (pair?.publicKey) {
    const read = await readPublicKey(pair.publicKey);
    if (read.ok) publicKey = read.value;
  }
  const chainRead = pair?.certificate ? await readCertificates(pair.certificate) : undefined;
  const chain = chainRead?.ok ? chainRead.value : [];
  const leaf = chain[0];

  if (policy.storesPrivateKey) {
    checks.push(
      privateKey
        ? { id: 'key-present', ok: true, message: `A private key is stored (${privateKey.label}).` }
        : { id: 'key-present', ok: false, message: 'No private key is stored: generate, store or import one.' },
    );
  } else {
    checks.push(
      publicKey || leaf
        ? { id: 'key-present', ok: true, message: 'A public key or certificate is stored; signing happens outside JOC Cockpit.' }
        : { id: 'key-present', ok: false, message: 'No public key or certificate is stored.' },
    );
  }
  checks.push(
    leaf
      ? { id: 'certificate-present', ok: true, message: `A certificate is stored: ${leaf.subject}.` }
      : { id: 'certificate-present', ok: false, message: 'No certificate is stored: Controllers and Agents verify deployments with it.' },
  );
  const key = privateKey ?? publicKey;
  if (key && leaf) {
    checks.push(
      keyMatchesCertificate(key, leaf)
        ? { id: 'pair-match', ok: true, message: 'The key and the certificate belong together.' }
        : { id: 'pair-match', ok: false, message: 'The certificate does not belong to the key.' },
    );
  } else {
    checks.push({ id: 'pair-match', ok: false, message: 'A key and a certificate are both needed to check that they belong together.' });
  }
  if (leaf) {
    const status = certificateStatus(leaf, now, WARN_DAYS);
    checks.push(
      status.state === 'expired'
        ? { id: 'valid-now', ok: false, message: `The certificate expired on ${day(leaf.notAfter)}.` }
        : status.state === 'not-yet-valid'
          ? { id: 'valid-now', ok: false, message: `The certificate is not valid until ${day(leaf.notBefore)}.` }
          : { id: 'valid-now', ok: true, message: `The certificate is valid until ${day(leaf.notAfter)}.` },
    );
    checks.push(
      status.state === 'valid'
        ? { id: 'valid-beyond-warning', ok: true, message: `${status.daysLeft} days left (warning from ${WARN_DAYS} days).` }
        : { id: 'valid-beyond-warning', ok: false, message: `Only ${Math.max(status.daysLeft, 0)} days left: renew the certificate.` },
    );
    checks.push(issuerCheck(leaf, chain, ca, now));
  } else {
    checks.push({ id: 'valid-now', ok: false, message: 'No certificate to check.' });
    checks.push({ id: 'valid-beyond-warning', ok: false, message: 'No certificate to check.' });
    checks.push({ id: 'issuer', ok: false, message: 'No certificate to check.' });
  }
  if (policy.storesPrivateKey) {
    if (privateKey && leaf) {
      const sample = new TextEncoder().encode(`{"TYPE":"Workflow","path":"readiness-check","signed":"${now.toISOString()}"}`);
      const signature = await signDocument(privateKey, sample);
      const verified = await verifyDocument(leaf, sample, signature);
      checks.push(
        verified
          ? { id: 'sign-verify', ok: true, message: 'A sample document was signed and verified with the certificate, as deployment does.' }
          : { id: 'sign-verify', ok: false, message: 'A sample document signed with the key does not verify with the certificate.' },
      );
    } else {
      checks.push({ id: 'sign-verify', ok: false, message: 'Signing needs a private key and its certificate.' });
    }
  }
  return checks;
}
