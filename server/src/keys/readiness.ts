/**
 * `/profile/key/check` (ours): is the stored key ready for deployments? The checks live in src/pki
 * (storedKeyReadiness), so the console runs exactly the same ones in the browser against a real
 * JOC Cockpit, which lacks this call.
 */
import type { KeyCheckResponse } from '../../../src/contract';
import type { DayNumber } from '../../../src/pki/days';
import { readCertificate } from '../../../src/pki/inspect';
import { storedKeyReadiness } from '../../../src/pki/readiness';
import type { StoredCa, StoredPair } from '../store';
import type { KeyRules } from './key-rules';

export const KEY_CHECK_BUSY_MESSAGE =
  'The server is checking other keys right now: try again in a minute.';

/** Days before expiry from which a certificate counts as expiring, when the caller names none. */
export const DEFAULT_WARN_DAYS = 60;

/**
 * The checks of what is stored, with the fingerprint of the certificate they judged; the sample
 * signature only where private keys are stored (not at HIGH).
 */
export async function keyChecks(
  pair: StoredPair | undefined,
  rules: KeyRules,
  ca: StoredCa | undefined,
  now: Date,
  warnDays = DEFAULT_WARN_DAYS,
  dayNumber?: DayNumber,
): Promise<KeyCheckResponse> {
  const stored = {
    privateKey: pair?.privateKey,
    publicKey: pair?.publicKey,
    certificate: pair?.certificate,
    caCertificate: ca?.certificate,
  };
  const checks = await storedKeyReadiness(stored, {
    now,
    warnDays,
    signsHere: rules.storesPrivateKey,
    dayNumber,
  });
  const certificate = pair?.certificate ? await readCertificate(pair.certificate) : undefined;
  return certificate?.ok
    ? { checks, fingerprint: certificate.value.fingerprintSha256 }
    : { checks };
}
