/**
 * RFC 5280 (4.1.2.5): a certificate "with no well-defined expiration date" ends at
 * 99991231235959Z. That end is no moment to count days to, warn about or write in a time zone.
 * Apart from days.ts, which the console's first screen loads.
 */
export const NO_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** Whether a certificate's end is RFC 5280's "no well-defined expiration date". */
export function hasNoExpiry(notAfter: Date | undefined): boolean {
  return notAfter?.getTime() === NO_EXPIRY_MS;
}
