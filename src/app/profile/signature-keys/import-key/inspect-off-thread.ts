import { InjectionToken } from '@angular/core';
import type { InspectedItem, Result } from '../../../../pki';

/** How long the dialog lets a file decrypt before it stops and says so (ms). */
export const DECRYPT_TIME_LIMIT = new InjectionToken<number>('DECRYPT_TIME_LIMIT', {
  providedIn: 'root',
  // Files open in a second or two at the iteration counts tools write; a PKCS#12 file derives up
  // to three keys at the PKI core's cap each, which takes tens of seconds on a slow machine, and
  // the page stays usable meanwhile (Stop, Cancel). Past this, the file is built to stall.
  factory: () => 60_000,
});

/** What the worker is asked. */
export interface InspectRequest {
  readonly bytes: Uint8Array;
  readonly password: string;
}

/** How a decryption ended: read (well or not), stopped, over the time limit, or never started. */
export type DecryptionEnd =
  | { readonly end: 'read'; readonly result: Result<InspectedItem[]> }
  | { readonly end: 'stopped' }
  | { readonly end: 'too-slow' }
  | { readonly end: 'failed' };

/** One running decryption. */
export interface Decryption {
  readonly answer: Promise<DecryptionEnd>;
  /** Terminates the worker at once; `answer` then ends as 'stopped'. Does nothing once ended. */
  stop(): void;
}

/**
 * Reads a file with its password (the PKI core's inspect) in a Web Worker, so that however long
 * its key derivation takes, the page keeps answering; the worker is terminated after `limitMs`.
 * One worker per decryption: terminating is the only way to end a synchronous derivation early.
 */
export function inspectOffThread(bytes: Uint8Array, password: string, limitMs: number): Decryption {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./inspect.worker', import.meta.url), { type: 'module' });
  } catch {
    return { answer: Promise.resolve({ end: 'failed' }), stop: () => undefined };
  }
  let settle!: (end: DecryptionEnd) => void;
  const answer = new Promise<DecryptionEnd>((resolve) => (settle = resolve));
  let ended = false;
  const finish = (end: DecryptionEnd) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    worker.terminate();
    settle(end);
  };
  const timer = setTimeout(() => finish({ end: 'too-slow' }), limitMs);
  worker.onmessage = (event: MessageEvent<Result<InspectedItem[]>>) =>
    finish({ end: 'read', result: event.data });
  worker.onerror = (event) => {
    event.preventDefault();
    finish({ end: 'failed' });
  };
  worker.onmessageerror = () => finish({ end: 'failed' });
  worker.postMessage({ bytes, password } satisfies InspectRequest);
  return { answer, stop: () => finish({ end: 'stopped' }) };
}
