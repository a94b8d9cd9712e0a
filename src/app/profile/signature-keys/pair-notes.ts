/**
 * The notes of the Update and Import dialogs about the certificate they are about to store. Its
 * own module: the CA check needs the readiness rules and pkijs, which the tab loads only when a
 * dialog opens.
 */
import { certificatesLeftOut, certificatesOfKey, givenIssuerProblems } from '../../../pki';
import type { Certificate, PrivateKey } from '../../../pki';
import { type DayNumber, utcDayNumber } from '../../../pki/days';
import { expiryOf } from '../../core/session/signing-key';
import { type Coded, inPersonsDates, issuerParams, noExpiry } from './texts';

/** Where a pair is about to be stored, and how the person writes dates. */
export interface PairContext {
  readonly target: 'signing' | 'ca';
  readonly now: Date;
  /** The warning threshold of Preferences, in days. */
  readonly warnDays: number;
  readonly date: (d: Date) => string;
  /** Calendar dates in the person's zone, for the days left beside `date`. */
  readonly dayNumber?: DayNumber;
  /**
   * Which file each certificate given came from (Import); without it they came from the text
   * (Update). The note on certificates left out says where they were.
   */
  readonly fileOf?: (certificate: Certificate) => unknown;
}

/**
 * What the Update and Import dialogs say about the certificate they are about to store, beyond
 * the pair check: which of several certificates for the key is stored, that the CA certificates
 * given are not (and what the Controllers will make of the CA given), and that it expires within
 * the warning threshold: said before storing, not by the row after.
 */
export async function pairNotes(
  key: PrivateKey,
  chosen: Certificate,
  given: readonly Certificate[],
  context: PairContext,
): Promise<Coded[]> {
  const notes: Coded[] = [];
  const own = certificatesOfKey(key, given);
  if (own.length > 1) {
    const until = context.date(chosen.notAfter);
    notes.push({
      code: 'sig.pair.otherForKey',
      params: {
        count: own.length - 1,
        ...issuerParams(chosen),
        until,
        noExpiry: noExpiry(chosen.notAfter),
      },
      message: `The certificate stored is ${chosen.selfIssued ? 'self-signed' : `issued by ${chosen.issuer}`}, valid until ${until}.`,
    });
  }
  // The Controllers' reading of one certificate concerns the signing key, not the SSL CA. The
  // CA certificates given are left out: those marked CA, or naming another given as issued by
  // them (a keystore's other entries and the key's other certificates are not theirs to hold).
  const isCa = (c: Certificate) =>
    c.isCa || given.some((o) => o !== c && !o.selfIssued && o.issuer === c.subject);
  const kept = given.filter((c) => c === chosen || (!own.includes(c) && isCa(c)));
  const { fileOf } = context;
  const files = fileOf && new Set(kept.filter((c) => c !== chosen).map(fileOf));
  const leftOut =
    context.target === 'signing' &&
    certificatesLeftOut(chosen, kept, !files ? 'text' : files.size > 1 ? 'files' : 'file');
  if (leftOut) notes.push(leftOut);
  if (context.target === 'signing')
    notes.push(
      ...(
        await givenIssuerProblems(chosen, given, context.now, context.warnDays, context.dayNumber)
      ).map((problem) =>
        inPersonsDates(problem, context.date, context.dayNumber ?? utcDayNumber, context.now),
      ),
    );
  const expiry = expiryOf(
    chosen.notAfter.toISOString(),
    context.now,
    context.warnDays,
    context.dayNumber,
  );
  if (expiry?.state === 'expiring') {
    const days = expiry.daysLeft;
    const date = context.date(chosen.notAfter);
    notes.push({
      code: context.target === 'ca' ? 'sig.pair.caEndsSoon' : 'sig.pair.endsSoon',
      params: { days, date },
      message: `The certificate expires in ${days} days, on ${date}.`,
    });
  }
  return notes;
}
