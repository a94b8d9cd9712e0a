import { InjectionToken } from '@angular/core';
import type { InspectedItem, PkiMessage, PrivateKey, Result } from '../../../pki';

/**
 * How long a file may decrypt before the page stops it and says so (ms). Files open in a second
 * or two at the iteration counts tools write; a PKCS#12 file derives up to three keys at the PKI
 * core's cap each, which takes tens of seconds on a slow machine, and the page stays usable
 * meanwhile. Past this, the file is built to stall.
 */
export const DECRYPT_TIME_LIMIT_MS = 60_000;

/** The Import dialog's limit, replaceable in tests. */
export const DECRYPT_TIME_LIMIT = new InjectionToken<number>('DECRYPT_TIME_LIMIT', {
  providedIn: 'root',
  factory: () => DECRYPT_TIME_LIMIT_MS,
});

/** What the worker is asked: the PKI core's inspect or readPrivateKey, with a password. */
export type DecryptRequest =
  | {
      readonly op: 'inspect';
      readonly bytes: Uint8Array;
      readonly password: string;
      readonly name?: string;
    }
  | { readonly op: 'read-private-key'; readonly text: string; readonly passphrase: string };

/** How a decryption ended: read (well or not), stopped, over the time limit, or never started. */
export type DecryptionEnd<T> =
  | { readonly end: 'read'; readonly result: Result<T> }
  | { readonly end: 'stopped' }
  | { readonly end: 'too-slow' }
  | { readonly end: 'failed' };

/** One running decryption. */
export interface Decryption<T> {
  readonly answer: Promise<DecryptionEnd<T>>;
  /** Terminates the worker at once; `answer` then ends as 'stopped'. Does nothing once ended. */
  stop(): void;
}

/** inspect(bytes, { password, name }) in a worker, terminated after `limitMs`. */
export function inspectOffThread(
  bytes: Uint8Array,
  password: string,
  limitMs: number,
  name?: string,
): Decryption<InspectedItem[]> {
  return offThread({ op: 'inspect', bytes, password, name }, limitMs);
}

/** readPrivateKey(text, { passphrase }) in a worker, terminated after `limitMs`. */
export function readPrivateKeyOffThread(
  text: string,
  passphrase: string,
  limitMs: number,
): Decryption<PrivateKey> {
  return offThread({ op: 'read-private-key', text, passphrase }, limitMs);
}

/**
 * Runs one request in its own Web Worker, so that however long the key derivation takes, the
 * page keeps answering. One worker per request: terminating is the only way to end a synchronous
 * derivation early.
 */
function offThread<T>(request: DecryptRequest, limitMs: number): Decryption<T> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./decrypt.worker', import.meta.url), { type: 'module' });
  } catch {
    return { answer: Promise.resolve({ end: 'failed' }), stop: () => undefined };
  }
  let settle!: (end: DecryptionEnd<T>) => void;
  const answer = new Promise<DecryptionEnd<T>>((resolve) => (settle = resolve));
  let ended = false;
  const finish = (end: DecryptionEnd<T>) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    worker.terminate();
    settle(end);
  };
  const timer = setTimeout(() => finish({ end: 'too-slow' }), limitMs);
  worker.onmessage = (event: MessageEvent<Result<T>>) =>
    finish({ end: 'read', result: event.data });
  worker.onerror = (event) => {
    event.preventDefault();
    finish({ end: 'failed' });
  };
  worker.onmessageerror = () => finish({ end: 'failed' });
  worker.postMessage(request);
  return { answer, stop: () => finish({ end: 'stopped' }) };
}

/** What was not opened: the key in a text field, or a file by its name. */
export type DecryptionSubject =
  { readonly what: 'privateKey' } | { readonly what: 'file'; readonly name: string };

/**
 * What a dialog says when a file was not opened, nothing about the file or the keys changed:
 * coded for `I18n.message`, with its English text.
 */
export function decryptionMessage(
  subject: DecryptionSubject,
  end: 'stopped' | 'too-slow' | 'failed',
  limitMs: number,
): PkiMessage {
  const name = subject.what === 'file' ? subject.name : 'The private key';
  const params = { what: subject.what, name };
  switch (end) {
    case 'stopped':
      return {
        code: 'decryptStopped',
        params,
        message: `Stopped: ${name} was not opened, nothing was changed.`,
      };
    case 'too-slow': {
      const [limit, unit] = limitMs < 1000 ? [limitMs, 'ms'] : [Math.round(limitMs / 1000), 's'];
      return {
        code: 'decryptTooSlow',
        params: { ...params, limit, unit },
        message: `${name} took too long to decrypt (more than ${limit} ${unit}) and was stopped: nothing was changed. Its password protection uses far more iterations than usual; export it again with the tool's default settings.`,
      };
    }
    case 'failed':
      return {
        code: 'decryptFailed',
        params,
        message: `${name} could not be opened: the browser did not start the decryption (reload the page and try again). Nothing was changed.`,
      };
  }
}

/** {@link decryptionMessage}'s English text for a file (or a subject named in English). */
export function decryptionNotice(
  name: string,
  end: 'stopped' | 'too-slow' | 'failed',
  limitMs: number,
): string {
  return decryptionMessage({ what: 'file', name }, end, limitMs).message;
}
