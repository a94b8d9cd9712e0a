import type { JocKeyPairAnswer, JocSecurityLevel } from '../../../contract';
import { hasKeyPair } from '../../core/session/signing-key';

/** The first certificate of PEM text as bare base64: equal for the same certificate however wrapped. */
function firstCertificate(pem: string | undefined): string | undefined {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem ?? '');
  return match ? match[1].replace(/\s+/g, '') : undefined;
}

/**
 * After Update or Import answered "ok": whether reading the key back shows the certificate that was
 * sent. JOC Cockpit 2.9.0 at LOW writes those two calls to the caller's own (MEDIUM) key while
 * Show, Generate, Delete and deployments use the default account's, so its "ok" changed nothing
 * that signs. Undefined when the key read back is the one sent; otherwise what to tell the person.
 */
export function notAppliedMessage(
  action: 'update' | 'import',
  sentCertificate: string,
  readBack: JocKeyPairAnswer | undefined,
  level: JocSecurityLevel | undefined,
): string | undefined {
  const sent = firstCertificate(sentCertificate);
  const stored = hasKeyPair(readBack) ? firstCertificate(readBack.certificate) : undefined;
  if (!sent || sent === stored) return undefined;
  const what = action === 'update' ? 'pasted' : 'imported';
  const found = !hasKeyPair(readBack)
    ? 'no key at all'
    : stored
      ? 'a different certificate'
      : 'no certificate';
  const head = `The server answered that the ${what} key was stored, but reading the key back shows ${found}: the key shown here is not the one you sent.`;
  return level === 'LOW'
    ? `${head} JOC Cockpit 2.9.0 at security level LOW stores Update and Import under your own account instead of the key that signs deployments. Use Generate instead, or upgrade JOC Cockpit.`
    : `${head} Reload the page to read it again; if it stays so, use Generate instead.`;
}
