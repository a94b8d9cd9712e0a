import type { PkiField, PkiMessage } from './types';

// Its own module: the console's language service needs only this on the first screen, not the
// rest of the PKI core's result helpers (result.ts).

/**
 * The values of the catalog message `pki.inField` for a failure with a field, given its inner
 * message already translated (`text`). Where English lowers the first letter after the prefix
 * ("Certificate: the certificate ..."), so does a language whose catalog says
 * `pki.inFieldCase: "lower"` (French, Spanish); German keeps its capital after a colon.
 */
export function inFieldParams(
  m: Pick<PkiMessage, 'message'> & { readonly field: PkiField },
  text: string,
  lowers: boolean,
): { field: PkiField; text: string } {
  const after = m.message.slice(m.message.indexOf(': ') + 2);
  const lowered = lowers && after !== '' && after[0] !== after[0].toUpperCase();
  return { field: m.field, text: lowered ? text.charAt(0).toLowerCase() + text.slice(1) : text };
}
