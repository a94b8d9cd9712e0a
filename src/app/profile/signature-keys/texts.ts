import type { AbstractControl } from '@angular/forms';
import type { Certificate, InspectedItem, PrivateKey, Result } from '../../../pki';
import type { I18n } from '../../core/i18n/i18n';
import { type DayNumber, calendarDays } from '../../../pki/days';
import { hasNoExpiry } from '../../../pki/no-expiry';

/**
 * A reason with meaning: `code` (a `pki.` code, or a full key such as `sig.…`) and its
 * parameters are translated where shown (`I18n.message`); `message` is the English text, for a
 * reason the console has no translation of (e.g. a server's own text).
 */
export interface Coded {
  readonly code?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly message: string;
}

type Words = Pick<I18n, 't' | 'message'>;

/**
 * The `noExpiry` choice of the messages naming a certificate's end: RFC 5280's "no expiration
 * date" reads as words, not as 31 December 9999 (1 January 10000 east of UTC).
 */
export function noExpiry(notAfter: Date): 'yes' | 'no' {
  return hasNoExpiry(notAfter) ? 'yes' : 'no';
}

/**
 * A readiness message with its dates as the person reads them elsewhere: the PKI core (in this
 * browser or on the server) writes the UTC date (`date`) beside the moment itself (`at`); with
 * `at`, the date is written in the person's zone and format, and the days left (`days`) are
 * counted in calendar dates of that zone.
 */
export function inPersonsDates<T extends Coded>(
  coded: T,
  date: (d: Date) => string,
  dayNumber: DayNumber,
  now = new Date(),
): T {
  const at = coded.params?.['at'];
  const moment = typeof at === 'string' ? new Date(at) : undefined;
  if (!moment || Number.isNaN(moment.getTime())) return coded;
  const days = coded.params && 'days' in coded.params;
  const params = {
    ...coded.params,
    date: date(moment),
    ...(days ? { days: calendarDays(now, moment, dayNumber) } : {}),
  };
  return { ...coded, params };
}

/**
 * A pair check's verdict (its failure, or its warnings) with its moments (an end passed, a start
 * ahead) as the person reads dates elsewhere ({@link inPersonsDates}).
 */
export function verdictInPersonsDates<V>(
  verdict: Result<V>,
  date: (d: Date) => string,
  dayNumber: DayNumber,
  now: Date,
): Result<V> {
  const dated = <T extends Coded>(coded: T) => inPersonsDates(coded, date, dayNumber, now);
  return verdict.ok ? { ...verdict, warnings: verdict.warnings.map(dated) } : dated(verdict);
}

/** A warning or notice in the person's language, whether it is English text or coded. */
export function textOf(i18n: Words, x: string | Coded): string {
  return typeof x === 'string' ? x : i18n.message(x);
}

/** The PKI failure a control's validator found, in the person's language. */
export function pkiText(i18n: Words, control: AbstractControl): string | undefined {
  const error = control.getError('pki') as Coded | undefined;
  return error ? i18n.message(error) : undefined;
}

/** A private key's format: the PKI core's names, with its two English ones translated. */
export function formatName(i18n: Words, format: string): string {
  if (format === 'encrypted PKCS#8') return i18n.t('sig.item.format.encryptedPkcs8');
  if (format === 'legacy encrypted PEM') return i18n.t('sig.item.format.legacyEncryptedPem');
  return format;
}

/** A private key in words: "ECDSA P-256 private key, PKCS#8". */
export function keyText(i18n: Words, key: PrivateKey): string {
  return i18n.t('sig.item.privateKey', { key: key.label, format: formatName(i18n, key.format) });
}

/** What a file holds, in words (the PKI core's `describeItem`, in the person's language). */
export function itemText(i18n: Words, item: InspectedItem, date: (d: Date) => string): string {
  switch (item.kind) {
    case 'private-key':
      return item.alias
        ? i18n.t('sig.item.privateKeyEntry', {
            key: item.key.label,
            format: formatName(i18n, item.key.format),
            alias: item.alias,
          })
        : keyText(i18n, item.key);
    case 'public-key':
      return i18n.t('sig.item.publicKey', { key: item.key.label });
    case 'certificate':
      return i18n.t('sig.item.certificate', {
        subject: item.certificate.subject,
        date: date(item.certificate.notAfter),
        noExpiry: noExpiry(item.certificate.notAfter),
      });
    case 'csr':
      return i18n.t('sig.item.csr');
    case 'encrypted-private-key':
      return i18n.t('sig.item.encryptedKey', { format: formatName(i18n, item.format) });
    case 'pkcs12':
      return i18n.t('sig.item.pkcs12');
  }
}

/**
 * The line's text: `first` names the first failed check within the sentence; `at`, a moment,
 * is written as the person's date.
 */
export function lineText(
  line: { readonly key: string; readonly params: Readonly<Record<string, unknown>> },
  t: (key: string, params?: Record<string, unknown>) => string,
  date: (d: Date) => string = (d) => d.toISOString().slice(0, 10),
): string {
  const { first, at } = line.params;
  return t(line.key, {
    ...line.params,
    ...(typeof first === 'string' ? { first: t(`sig.readiness.inline.${first}`) } : {}),
    ...(typeof at === 'string' ? { date: date(new Date(at)) } : {}),
  });
}

/** A certificate's issuer for the preview lines: self-signed, or the issuer's name. */
export function issuerParams(certificate: Certificate): { selfSigned: string; issuer: string } {
  return {
    selfSigned: certificate.selfIssued ? 'yes' : 'no',
    issuer: certificate.issuer,
  };
}
