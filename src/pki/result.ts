import type { PkiCode } from './codes';
import type { Failure, FailureReason, PkiField, PkiParams, Success, Warning } from './types';

/** Builds a failure for a person to read: its code and values, and its English text. */
export function fail(
  reason: FailureReason,
  code: PkiCode,
  message: string,
  params: PkiParams = {},
): Failure {
  return { ok: false, reason, code, params, message };
}

/** Builds a warning: its code and values, and its English text. */
export function warn(code: PkiCode, message: string, params: PkiParams = {}): Warning {
  return { code, params, message };
}

/** Builds a success, optionally with warnings a person should see. */
export function succeed<T>(value: T, warnings: readonly Warning[] = []): Success<T> {
  return { ok: true, value, warnings };
}

/** The field names in English, as the field prefix writes them. */
const FIELDS: Record<PkiField, string> = {
  certificate: 'Certificate',
  privateKey: 'Private key',
  publicKey: 'Public key',
};

/**
 * Prefixes a failure's message with the field it concerns ("Certificate: ..."), so a message
 * shown away from its field (a 420 answer, the audit of a failed call) still says where it is.
 * The code and values stay the inner message's; `field` names the prefix.
 */
export function inField(field: PkiField, failure: Failure): Failure {
  const m = failure.message;
  const lowered = /^(This|The|No|Nothing|It)\b/.test(m) ? m[0].toLowerCase() + m.slice(1) : m;
  return { ...failure, field, message: `${FIELDS[field]}: ${lowered}` };
}

/** `2021-01-01 12:00 UTC`: the date form used in every message. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
