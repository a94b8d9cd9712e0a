/**
 * `/profile/key/check` (ours): is the stored key ready for deployments? The checks themselves
 * live in src/pki (readinessChecks), so the console runs exactly the same ones in the browser
 * against a real JOC Cockpit, which lacks this call. Here: read what is stored, then ask.
 */
import type { KeyCheck } from '../../../src/contract';
import { readCertificate, readCertificates, readPrivateKey, readPublicKey, readinessChecks } from '../../../src/pki';
import type { StoredCa, StoredPair } from '../store';
import type { KeyRules } from './key-rules';

/** Days before expiry from which a certificate counts as expiring, when the caller names none. */
export const DEFAULT_WARN_DAYS = 60;

const valueOf = async <T>(text: string | undefined, read: (t: string) => Promise<{ ok: true; value: T } | { ok: false }>) => {
  if (!text) return undefined;
  const result = await read(text);
  return result.ok ? result.value : undefined;
};

export async function keyChecks(
  pair: StoredPair | undefined,
  rules: KeyRules,
  ca: StoredCa | undefined,
  now: Date,
  warnDays = DEFAULT_WARN_DAYS,
): Promise<KeyCheck[]> {
  return readinessChecks({
    privateKey: await valueOf(pair?.privateKey, (t) => readPrivateKey(t)),
    publicKey: await valueOf(pair?.publicKey, readPublicKey),
    certificates: (await valueOf(pair?.certificate, readCertificates)) ?? [],
    sslCa: await valueOf(ca?.certificate, readCertificate),
    now,
    warnDays,
    signsHere: rules.storesPrivateKey,
  });
}
