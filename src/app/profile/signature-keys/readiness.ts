import type { JocKeyPairAnswer, KeyCheckId } from '../../../contract';
import type { JocApi } from '../../core/api/joc-api';
import type { ApiResult } from '../../core/api/joc-error';
import { hasKeyPair } from '../../core/session/signing-key';
import { foreignAlgorithm } from '../key-tab/key-summary';
import type { Coded } from './texts';
import type { DayNumber } from '../../../pki/days';

export type { Coded } from './texts';

/** One item of the readiness check: passed, failed with its reason, or not run here (and why). */
export interface ReadinessItem extends Coded {
  readonly id: KeyCheckId;
  readonly state: 'pass' | 'fail' | 'not-run';
}

/** The check's answer: from the server (`/profile/key/check`) or run in this browser. */
export interface Readiness {
  readonly source: 'server' | 'browser';
  readonly items: readonly ReadinessItem[];
  /** Why nothing was checked (a PGP or ML-DSA key: these checks read X.509); `items` is empty. */
  readonly notChecked?: Coded;
  /** The server's: the SHA-256 fingerprint of the certificate it checked (what is stored now). */
  readonly fingerprint?: string;
}

/**
 * What each check asks, in a person's words: `sig.readiness.checks.<key>` as a heading,
 * `sig.readiness.inline.<key>` within a sentence (lower case where the language writes it so).
 */
export const CHECK_KEYS: Record<KeyCheckId, string> = {
  'key-present': 'keyPresent',
  'certificate-present': 'certificatePresent',
  'pair-match': 'pairMatch',
  'valid-now': 'validNow',
  'valid-beyond-warning': 'validBeyondWarning',
  issuer: 'issuer',
  'issuer-valid': 'issuerValid',
  'sign-verify': 'signVerify',
};

const NO_PRIVATE_KEY: Coded = {
  code: 'sig.readiness.noPrivateKey',
  message:
    'Not checked in this browser: the server does not return the private key to this account.',
};

/** Passed, failed, or only the Controllers can tell (`notRun` from the PKI core or the server). */
const stateOf = (c: { readonly ok: boolean; readonly notRun?: boolean }): ReadinessItem['state'] =>
  c.notRun ? 'not-run' : c.ok ? 'pass' : 'fail';

/** A check's reason with the code and parameters the PKI core or the server gave it, if any. */
function reason(check: { readonly message: string }): Coded {
  const { code, params } = check as Partial<Coded>;
  return { ...(code ? { code } : {}), ...(params ? { params } : {}), message: check.message };
}

/**
 * The same checks the embedded server runs (src/pki `storedKeyReadiness`), on what `/profile/key`
 * and `/profile/ca` returned. What needs a private key the server did not return is "not run".
 */
export async function browserReadiness(
  pair: JocKeyPairAnswer | undefined,
  ca: JocKeyPairAnswer | undefined,
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): Promise<Readiness> {
  const stored = hasKeyPair(pair) ? pair : undefined;
  const caPair = hasKeyPair(ca) ? ca : undefined;
  // PGP and ML-DSA keys: these checks read X.509 and would only fail; JOC Cockpit signs with them.
  const foreign = stored && foreignAlgorithm(stored);
  if (foreign)
    return {
      source: 'browser',
      items: [],
      notChecked: {
        code: 'sig.readiness.notCheckedForeign',
        params: { algorithm: foreign },
        message: `Not checked: this console checks X.509 keys (ECDSA, RSA) only, and this is a ${foreign} key managed in JOC Cockpit.`,
      },
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
    { now, warnDays, signsHere: true, dayNumber },
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
      return { id: c.id, state: 'not-run', ...NO_PRIVATE_KEY };
    }
    return { id: c.id, state: stateOf(c), ...reason(c) };
  });
  return { source: 'browser', items };
}

/**
 * Asks the server (`/profile/key/check` with the person's warning threshold and time zone, the
 * IANA name of the zone `dayNumber` counts in); a real JOC Cockpit
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
  dayNumber?: DayNumber,
  timeZone?: string,
): Promise<ApiResult<Readiness>> {
  if (serverCheck.missing || (hasKeyPair(pair) && foreignAlgorithm(pair)))
    return { ok: true, value: await browserReadiness(pair, ca, now, warnDays, dayNumber) };
  // The server counts the days left in the zone of `dayNumber`, as the row and the banner do.
  const answer = await api.checkKey(timeZone ? { warnDays, timeZone } : { warnDays });
  if (answer.ok) {
    return {
      ok: true,
      value: {
        source: 'server',
        items: answer.value.checks.map((c) => ({
          id: c.id,
          state: stateOf(c),
          ...reason(c),
        })),
        ...(answer.value.fingerprint ? { fingerprint: answer.value.fingerprint } : {}),
      },
    };
  }
  if (answer.error.kind !== 'not-found') return answer;
  serverCheck.missing = true;
  return { ok: true, value: await browserReadiness(pair, ca, now, warnDays, dayNumber) };
}

/** The compact line on the row: its icon and tone, and its text as a message key with parameters. */
export interface ReadinessLine {
  readonly icon: string;
  readonly tone: 'ok' | 'warn' | 'error';
  readonly key: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * Failures that warn of an end still ahead (the warning threshold): deployments work until then.
 * Each carries the moment (`at`) it warns of.
 */
const EARLY_WARNINGS = new Set(['readyOnlyDaysLeft', 'readyExpiring']);

/**
 * The first failure within the row's sentence: what went wrong when it is a date ("the issuer
 * certificate expired"), else the check that failed (`sig.readiness.inline.<key>`).
 */
function firstFailure(item: ReadinessItem): string {
  const whose = item.id === 'issuer-valid' ? 'issuer' : 'certificate';
  if (item.code === 'readyExpired') return `${whose}Expired`;
  if (item.code === 'readyNotYetValid') return `${whose}NotYetValid`;
  return CHECK_KEYS[item.id];
}

/** The compact line on the row; `text` turns it into the person's language (`I18n.t`). */
export function readinessLine(readiness: Readiness): ReadinessLine {
  const failed = readiness.items.filter((i) => i.state === 'fail');
  const notRun = readiness.items.filter((i) => i.state === 'not-run');
  const total = readiness.items.length;
  const ends = failed.map((i) => (EARLY_WARNINGS.has(i.code ?? '') ? i.params?.['at'] : undefined));
  if (failed.length && ends.every((at) => typeof at === 'string')) {
    // "Not ready" would read as "deployments fail now": they fail from the earliest end on.
    const at = (ends as string[]).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    return {
      icon: 'gpp_maybe',
      key: 'sig.readiness.line.renewSoon',
      params: { at, first: firstFailure(failed[0]), more: failed.length > 1 ? 'yes' : 'no' },
      tone: 'warn',
    };
  }
  if (failed.length) {
    return {
      icon: 'gpp_bad',
      key: 'sig.readiness.line.notReady',
      params: {
        failed: failed.length,
        total,
        first: firstFailure(failed[0]),
        more: failed.length > 1 ? 'yes' : 'no',
      },
      tone: 'error',
    };
  }
  if (readiness.notChecked)
    return { icon: 'info', key: 'sig.readiness.line.notChecked', params: {}, tone: 'warn' };
  if (notRun.length)
    return {
      icon: 'gpp_maybe',
      key: 'sig.readiness.line.partly',
      params: { notRun: notRun.length, total },
      tone: 'warn',
    };
  return { icon: 'verified_user', key: 'sig.readiness.line.ready', params: { total }, tone: 'ok' };
}
