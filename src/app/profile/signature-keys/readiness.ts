import type { JocKeyPairAnswer, KeyCheckId } from '../../../contract';
import type { JocApi } from '../../core/api/joc-api';
import type { ApiResult } from '../../core/api/joc-error';
import { hasKeyPair } from '../../core/session/signing-key';
import { foreignAlgorithm } from '../key-tab/key-summary';

/** One item of the readiness check: passed, failed with its reason, or not run here (and why). */
export interface ReadinessItem {
  readonly id: KeyCheckId;
  readonly state: 'pass' | 'fail' | 'not-run';
  readonly message: string;
}

/** The check's answer: from the server (`/profile/key/check`) or run in this browser. */
export interface Readiness {
  readonly source: 'server' | 'browser';
  readonly items: readonly ReadinessItem[];
  /** Why nothing was checked (a PGP or ML-DSA key: these checks read X.509); `items` is empty. */
  readonly notChecked?: string;
}

/** What each check asks, in a person's words. */
export const CHECK_TITLES: Record<KeyCheckId, string> = {
  'key-present': 'Private key stored',
  'certificate-present': 'Certificate stored',
  'pair-match': 'Key and certificate belong together',
  'valid-now': 'Certificate valid now',
  'valid-beyond-warning': 'Certificate valid beyond the warning threshold',
  issuer: 'Issuer certificate available and directly signing',
  'issuer-valid': 'Issuer certificate valid beyond the warning threshold',
  'sign-verify': 'A sample workflow signed with the key verifies',
};

const NO_PRIVATE_KEY =
  'Not checked in this browser: the server does not return the private key to this account.';

/**
 * The same checks the embedded server runs (src/pki `storedKeyReadiness`), on what `/profile/key`
 * and `/profile/ca` returned. What needs a private key the server did not return is "not run".
 */
export async function browserReadiness(
  pair: JocKeyPairAnswer | undefined,
  ca: JocKeyPairAnswer | undefined,
  now: Date,
  warnDays: number,
): Promise<Readiness> {
  const stored = hasKeyPair(pair) ? pair : undefined;
  const caPair = hasKeyPair(ca) ? ca : undefined;
  // PGP and ML-DSA keys: these checks read X.509 and would only fail; JOC Cockpit signs with them.
  const foreign = stored && foreignAlgorithm(stored);
  if (foreign)
    return {
      source: 'browser',
      items: [],
      notChecked: `Not checked: this console checks X.509 keys (ECDSA, RSA) only, and this is a ${foreign} key managed in JOC Cockpit.`,
    };
  // Loaded on demand: the tab's own chunk stays free of pkijs.
  const { storedKeyReadiness } = await import('../../../pki/readiness');
  const checks = await storedKeyReadiness(
    {
      privateKey: stored?.privateKey,
      publicKey: stored?.publicKey,
      certificate: stored?.certificate,
      caCertificate: caPair?.certificate,
    },
    { now, warnDays, signsHere: true },
  );
  // The server keeps a private key it does not send ("PRIVATE" without it): only withheld from us.
  // "PUBLIC" (real JOC) or "X509" (the embedded server before) means none is stored: those fail.
  const withheld = !stored?.privateKey && stored?.keyType === 'PRIVATE' && !!stored.certificate;
  const items = checks.map((c): ReadinessItem => {
    if (
      withheld &&
      (c.id === 'key-present' ||
        c.id === 'sign-verify' ||
        (c.id === 'pair-match' && !stored?.publicKey))
    ) {
      return { id: c.id, state: 'not-run', message: NO_PRIVATE_KEY };
    }
    return { id: c.id, state: c.ok ? 'pass' : 'fail', message: c.message };
  });
  return { source: 'browser', items };
}

/**
 * Asks the server (`/profile/key/check` with the person's warning threshold); a real JOC Cockpit
 * lacks that call (`not-found`), so the checks then run in this browser. `serverCheck` remembers
 * that answer for the session: once the call is known to be missing it is not asked again.
 * PGP and ML-DSA keys are not asked about at all (see {@link browserReadiness}).
 */
export async function checkReadiness(
  api: Pick<JocApi, 'checkKey'>,
  pair: JocKeyPairAnswer | undefined,
  ca: JocKeyPairAnswer | undefined,
  warnDays: number,
  now = new Date(),
  serverCheck: { missing: boolean } = { missing: false },
): Promise<ApiResult<Readiness>> {
  if (serverCheck.missing || (hasKeyPair(pair) && foreignAlgorithm(pair)))
    return { ok: true, value: await browserReadiness(pair, ca, now, warnDays) };
  const answer = await api.checkKey({ warnDays });
  if (answer.ok) {
    return {
      ok: true,
      value: {
        source: 'server',
        items: answer.value.checks.map((c) => ({
          id: c.id,
          state: c.ok ? 'pass' : 'fail',
          message: c.message,
        })),
      },
    };
  }
  if (answer.error.kind !== 'not-found') return answer;
  serverCheck.missing = true;
  return { ok: true, value: await browserReadiness(pair, ca, now, warnDays) };
}

/** The compact line on the row. */
export function readinessLine(readiness: Readiness): {
  icon: string;
  text: string;
  tone: 'ok' | 'warn' | 'error';
} {
  const failed = readiness.items.filter((i) => i.state === 'fail');
  const notRun = readiness.items.filter((i) => i.state === 'not-run');
  if (failed.length) {
    const first = CHECK_TITLES[failed[0].id].toLowerCase();
    return {
      icon: 'gpp_bad',
      text: `Not ready to deploy: ${failed.length} of ${readiness.items.length} checks fail (${first}${failed.length > 1 ? ', …' : ''})`,
      tone: 'error',
    };
  }
  if (readiness.notChecked)
    return {
      icon: 'info',
      text: 'Deployment readiness not checked here: this console checks X.509 keys only',
      tone: 'warn',
    };
  if (notRun.length)
    return {
      icon: 'gpp_maybe',
      text: `Ready as far as checked: ${notRun.length} of ${readiness.items.length} checks could not run here`,
      tone: 'warn',
    };
  return {
    icon: 'verified_user',
    text: `Ready to deploy: all ${readiness.items.length} checks pass`,
    tone: 'ok',
  };
}
