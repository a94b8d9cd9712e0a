/**
 * The issuing CA's end, apart from key-summary: the tab's first chunk does without it, the trust
 * panel and the banner load it with their own code.
 */
import { certificateStatus } from '../../../pki/certificate';
import type { DayNumber } from '../../../pki/days';
import type { Certificate } from '../../../pki/types';

/**
 * The CA that issued the signing certificate (the trust path's anchor), when its end concerns
 * deployments: once it has expired, Controllers and Agents that check certificate dates no longer
 * trust what the key signs.
 */
export interface IssuerExpiry {
  /** Where the CA certificate came from: the SSL CA, or the chain stored with the certificate. */
  readonly source: 'ssl-ca' | 'chain';
  readonly subject: string;
  readonly notAfter: Date;
  /**
   * `ends-first`: valid beyond the warning threshold, but ending before the certificate it
   * issued, whose own end then says too much.
   */
  readonly state: 'expiring' | 'expired' | 'ends-first';
  /** Calendar days to the CA's end date (0: today; negative once expired). */
  readonly daysLeft: number;
}

/**
 * The expiry of the issuing CA `anchor`, by the same rule as the certificate's own status;
 * undefined while it is valid beyond the warning threshold (or not valid yet) and, when the
 * certificate's end `leafEnd` is given, ends after it.
 */
export function issuerExpiry(
  anchor: Certificate,
  source: IssuerExpiry['source'],
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
  leafEnd?: Date,
): IssuerExpiry | undefined {
  const { state, daysLeft } = certificateStatus(anchor, now, warnDays, dayNumber);
  const ends =
    state === 'expired' || state === 'expiring'
      ? state
      : state === 'valid' && leafEnd && anchor.notAfter < leafEnd
        ? 'ends-first'
        : undefined;
  return (
    ends && { source, subject: anchor.subject, notAfter: anchor.notAfter, state: ends, daysLeft }
  );
}
