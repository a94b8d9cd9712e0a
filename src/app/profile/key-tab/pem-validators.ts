import type {
  AbstractControl,
  AsyncValidatorFn,
  ValidationErrors,
  ValidatorFn,
} from '@angular/forms';
import {
  parseDn,
  pkcs12WherePasted,
  readCertificates,
  readPrivateKey,
  type Certificate,
  type Failure,
  type PkiField,
  type PkiMessage,
  type PrivateKey,
  type Result,
} from '../../../pki';
import {
  DECRYPT_TIME_LIMIT_MS,
  type Decryption,
  decryptionMessage,
  readPrivateKeyOffThread,
} from './decrypt-off-thread';

/**
 * The last text read, and its answer: the field's validator and the dialog's pair check read the
 * same text on each keystroke, which then is parsed once instead of twice.
 */
const forgetters: Array<() => void> = [];

/** Drops the remembered texts and ends a decryption under way. */
export function forgetReads(): void {
  forgetters.forEach((forget) => forget());
}

let holders = 0;

/**
 * Marks a dialog that reads keys as open; call the function it returns when the dialog closes.
 * When the last one closes, the remembered texts are dropped: no key stays in memory. A dialog is
 * destroyed only after its close animation, when the next one may already be reading: its end
 * leaves that one's reads (and decryption) alone.
 */
export function holdReads(): () => void {
  holders++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    holders--;
    if (holders === 0) forgetReads();
  };
}

function lastOne<A extends unknown[], R>(
  read: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let key = '';
  let answer: Promise<R> | undefined;
  forgetters.push(() => {
    key = '';
    answer = undefined;
  });
  return (...args: A) => {
    const k = JSON.stringify(args);
    if (answer === undefined || k !== key) {
      key = k;
      answer = read(...args);
    }
    return answer;
  };
}

/** The key being decrypted: a newer text or passphrase, or the dialog closing, ends its worker. */
let decrypting: Decryption<PrivateKey> | undefined;
forgetters.push(() => {
  decrypting?.stop();
  decrypting = undefined;
});

/**
 * readPrivateKey, answered once per text and passphrase. With a passphrase the key is decrypted
 * in a worker: its iteration count can make that take minutes, and the page must keep answering
 * (each keystroke in the passphrase starts a new try and ends the one before).
 */
export const readKeyOnce: (text: string, passphrase: string) => Promise<Result<PrivateKey>> =
  lastOne(async (text: string, passphrase: string) => {
    decrypting?.stop();
    decrypting = undefined;
    // Without a passphrase nothing is derived: read on the page, as fast as ever.
    if (!passphrase) return readPrivateKey(text, {});
    const decryption = readPrivateKeyOffThread(text, passphrase, DECRYPT_TIME_LIMIT_MS);
    decrypting = decryption;
    const outcome = await decryption.answer;
    if (decrypting === decryption) decrypting = undefined;
    return outcome.end === 'read'
      ? outcome.result
      : notDecrypted(outcome.end === 'too-slow' ? 'too-costly' : 'wrong-passphrase', outcome.end);
  });

/** A key not decrypted (stopped answers are stale: a newer read or none is asked for by then). */
function notDecrypted(reason: Failure['reason'], end: 'stopped' | 'too-slow' | 'failed'): Failure {
  return {
    ok: false,
    reason,
    ...decryptionMessage({ what: 'privateKey' }, end, DECRYPT_TIME_LIMIT_MS),
  };
}

/** readCertificates (every certificate of a chain), answered once per text. */
export const readCertificatesOnce: (text: string) => Promise<Result<Certificate[]>> = lastOne(
  (text: string) => readCertificates(text),
);

/**
 * The error every src/pki-backed validator sets: the PKI core's message with its code and
 * values, so the console shows it in the person's language (`I18n.message`), and its English
 * text.
 */
export interface PkiError extends PkiMessage {
  readonly reason: string;
  readonly field?: PkiField;
}

const pkiError = (failure: Failure): ValidationErrors => {
  const { reason, code, params, message, field } = failure;
  return {
    pki: (field
      ? { reason, code, params, message, field }
      : { reason, code, params, message }) satisfies PkiError,
  };
};

/** The PKI error of a control, if it has one: give it to `I18n.message` for the person's language. */
export function pkiProblem(control: AbstractControl): PkiError | undefined {
  return control.errors?.['pki'] as PkiError | undefined;
}

/** The PKI message of a control in English, if it has one. */
export function pkiMessage(control: AbstractControl): string | undefined {
  return pkiProblem(control)?.message;
}

/**
 * A private key as PEM (any format contract §8 names); `passphrase` is read on every check so an
 * encrypted key can be opened in the browser. Empty is left to `Validators.required`.
 */
export function pemPrivateKeyValidator(passphrase: () => string): AsyncValidatorFn {
  return async (control) => {
    const text = String(control.value ?? '');
    if (text.trim() === '') return null;
    const key = await readKeyOnce(text, passphrase());
    if (key.ok) return null;
    if (key.reason === 'encrypted-key')
      return pkiError({
        ...key,
        code: 'privateKeyEncryptedHere',
        params: {},
        message: 'This private key is encrypted: enter its passphrase below.',
      });
    if (key.reason === 'pkcs12') return pkiError(pkcs12WherePasted());
    return pkiError(key);
  };
}

/** X.509 certificates as PEM (a chain, in any order: the dialog picks the key's own). */
export function pemCertificateValidator(): AsyncValidatorFn {
  return async (control) => {
    const text = String(control.value ?? '');
    if (text.trim() === '') return null;
    const certificate = await readCertificatesOnce(text);
    return certificate.ok ? null : pkiError(certificate);
  };
}

/** A Distinguished Name such as `CN=root,OU=JOC,O=JS7`, checked with src/pki's parseDn. */
export function dnValidator(control: AbstractControl<string>): ValidationErrors | null {
  const text = String(control.value ?? '');
  if (text.trim() === '') return null;
  const dn = parseDn(text);
  return dn.ok ? null : pkiError(dn);
}

/**
 * The date errors, coded for `I18n.message` like the PKI core's (`pki.dateInvalid`, ...). The
 * example is a date written in the person's format, which is the one the field reads.
 */
export function dateInvalid(example: string): PkiMessage {
  return {
    code: 'dateInvalid',
    params: { example },
    message: `Enter a date such as ${example}, or pick one.`,
  };
}
const DATE_NOT_FUTURE: PkiMessage = {
  code: 'dateNotFuture',
  params: {},
  message: 'The end date must be after today.',
};

/**
 * A calendar day (a date picker's value: a Date at local midnight) after `today()`, the
 * person's today in their zone, given the same way; its error is a {@link PkiMessage}. An
 * invalid date's example is written by `example` (see {@link dateInvalid}).
 */
export function futureDateValidator(today: () => Date, example: () => string): ValidatorFn {
  return (control: AbstractControl<Date | null>): ValidationErrors | null => {
    const value = control.value;
    if (!value) return null;
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      return { date: dateInvalid(example()) };
    const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
    return day(value) > day(today()) ? null : { date: DATE_NOT_FUTURE };
  };
}
