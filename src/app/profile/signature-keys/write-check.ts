import type { JocKeyPairAnswer, JocSecurityLevel } from '../../../contract';
import { hasKeyPair } from '../../core/session/signing-key';

/** The first certificate of PEM text as bare base64: equal for the same certificate however wrapped. */
function firstCertificate(pem: string | undefined): string | undefined {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem ?? '');
  return match ? match[1].replace(/\s+/g, '') : undefined;
}

/** Why the key read back is not the one sent: facts, put into words where shown. */
export interface NotApplied {
  readonly what: 'pasted' | 'imported';
  readonly found: 'noKey' | 'different' | 'noCertificate';
  /** JOC Cockpit 2.9.0 at security level LOW: the known cause. */
  readonly low: boolean;
}

/**
 * After Update or Import answered "ok": whether reading the key back shows the certificate that was
 * sent. JOC Cockpit 2.9.0 at LOW writes those two calls to the caller's own (MEDIUM) key while
 * Show, Generate, Delete and deployments use the default account's, so its "ok" changed nothing
 * that signs. Undefined when the key read back is the one sent; otherwise what to tell the person.
 */
export function notApplied(
  action: 'update' | 'import',
  sentCertificate: string,
  readBack: JocKeyPairAnswer | undefined,
  level: JocSecurityLevel | undefined,
): NotApplied | undefined {
  const sent = firstCertificate(sentCertificate);
  const stored = hasKeyPair(readBack) ? firstCertificate(readBack.certificate) : undefined;
  if (!sent || sent === stored) return undefined;
  return {
    what: action === 'update' ? 'pasted' : 'imported',
    found: !hasKeyPair(readBack) ? 'noKey' : stored ? 'different' : 'noCertificate',
    low: level === 'LOW',
  };
}

/** The person's words for it (`t` reads the language, so call it where the text is shown). */
export function notAppliedText(
  why: NotApplied,
  t: (key: string, params?: Record<string, unknown>) => string,
): string {
  const head = t('sig.notApplied.head', { what: why.what, found: why.found });
  return `${head} ${t(why.low ? 'sig.notApplied.low' : 'sig.notApplied.other')}`;
}
