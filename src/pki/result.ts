import type { Failure, FailureReason, Success } from './types';

/** Builds a failure for a person to read. */
export function fail(reason: FailureReason, message: string): Failure {
  return { ok: false, reason, message };
}

/** Builds a success, optionally with warnings a person should see. */
export function succeed<T>(value: T, warnings: readonly string[] = []): Success<T> {
  return { ok: true, value, warnings };
}

/**
 * Prefixes a failure's message with the field it concerns ("Certificate: ..."), so a message
 * shown away from its field (a 420 answer, the audit of a failed call) still says where it is.
 */
export function inField(field: string, failure: Failure): Failure {
  const m = failure.message;
  const lowered = /^(This|The|No|Nothing|It)\b/.test(m) ? m[0].toLowerCase() + m.slice(1) : m;
  return fail(failure.reason, `${field}: ${lowered}`);
}

/** `2021-01-01 12:00 UTC`: the date form used in every message. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
