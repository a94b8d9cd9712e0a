import type { JocKeyPair } from '../../contract';
// Deep imports: certificates are read with asn1js; pkijs loads only to check a CA near its end.
import { readCertificate, readCertificates } from '../../pki/inspect';
import type { DayNumber } from '../../pki/days';
import type { SslCaCertificate } from '../core/session/ssl-ca';
import { issuerExpiry, type IssuerExpiry } from '../profile/key-tab/issuer-expiry';
import { foreignAlgorithm } from '../profile/key-tab/key-summary';

/** What the banner says beyond `validUntil`, from the certificate itself and its CA. */
export interface SigningAlerts {
  /** The certificate's start, while it is still ahead: deployments fail until then where certificate dates are checked. */
  readonly startsAt?: Date;
  /** The CA that issued the certificate, once it has expired or ends within the threshold. */
  readonly issuer?: IssuerExpiry;
}

/**
 * Reads the stored certificate (and the SSL CA, through `readCa`, only for a certificate that a
 * CA issued) for the banner. The CA it names is the one the tab names: the trust path's anchor,
 * the CA certificate whose key signed it.
 */
export async function signingAlerts(
  pair: JocKeyPair,
  readCa: () => Promise<SslCaCertificate>,
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): Promise<SigningAlerts> {
  // PGP and ML-DSA keys carry no X.509 certificate that could be read here.
  if (!pair.certificate || foreignAlgorithm(pair)) return {};
  const read = await readCertificates(pair.certificate);
  if (!read.ok || !read.value.length) return {};
  const certificates = read.value;
  const leaf = certificates[0];
  const startsAt = leaf.notBefore.getTime() > now.getTime() ? leaf.notBefore : undefined;
  const alerts: SigningAlerts = startsAt ? { startsAt } : {};
  if (leaf.selfIssued) return alerts;
  const caText = (await readCa()).certificate;
  const ca = caText ? await readCertificate(caText) : undefined;
  const sslCa = ca?.ok ? ca.value : undefined;
  // Only a CA that ends soon or has ended is worth the signature check (and loading pkijs).
  const candidates = [...certificates.slice(1), ...(sslCa ? [sslCa] : [])];
  const ending = candidates.some(
    (c) => c.subject === leaf.issuer && issuerExpiry(c, 'chain', now, warnDays, dayNumber),
  );
  if (!ending) return alerts;
  const { trustPath } = await import('../../pki/readiness');
  const path = await trustPath(certificates, sslCa);
  if (path?.kind !== 'issued' || path.anchor === leaf) return alerts;
  const source =
    sslCa && path.anchor.fingerprintSha256 === sslCa.fingerprintSha256 ? 'ssl-ca' : 'chain';
  const issuer = issuerExpiry(path.anchor, source, now, warnDays, dayNumber);
  return issuer ? { ...alerts, issuer } : alerts;
}
