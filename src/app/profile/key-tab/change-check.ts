import type { JocKeyPairAnswer } from '../../../contract';
import { hasKeyPair } from '../../core/session/signing-key';
import type { CodedMessage } from './dialog-request';

/**
 * A writing dialog's check just before it sends: `undefined` while the key (or the SSL CA) is
 * still the one the dialog opened on, else what another session did meanwhile. Neither JOC
 * Cockpit's API nor the embedded server versions a key, so the dialog asks.
 */
export type ChangeCheck = () => Promise<CodedMessage | undefined>;

/**
 * The check for a dialog opened on `opened`. `read` gives the pair stored now, `undefined` when
 * it cannot be read (the write then says itself what is wrong). Once the key changed, this dialog
 * never writes: what it says it replaces or deletes is no longer what is stored, so the person
 * opens it again on the key as it now is.
 */
export function changeCheck(
  opened: JocKeyPairAnswer | undefined,
  read: () => Promise<JocKeyPairAnswer | undefined>,
): ChangeCheck {
  const expected = identity(opened);
  return async () => {
    const now = await read();
    if (now === undefined) return undefined;
    const seen = identity(now);
    if (seen === expected) return undefined;
    const kind = !seen ? 'deleted' : !expected ? 'stored' : 'replaced';
    return { code: `keys.changed.${kind}`, message: `Another session changed the key (${kind}).` };
  };
}

/** What makes a stored pair the same pair ('' for none); PEM line breaks do not count. */
function identity(pair: JocKeyPairAnswer | undefined): string {
  if (!hasKeyPair(pair)) return '';
  return [pair.keyAlgorithm, pair.certificate, pair.publicKey, pair.privateKey]
    .map((part) => String(part ?? '').replace(/\s+/g, ''))
    .join('|');
}
