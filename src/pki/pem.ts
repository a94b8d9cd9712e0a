import { base64Decode, base64Encode } from './bytes';
import { fail, succeed } from './result';
import type { Result } from './types';

/** Inputs larger than this are refused before any parsing (1 MiB). */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** The message for an encrypted private key given without its passphrase. */
export const PASSPHRASE_NEEDED = 'This private key is encrypted: give its passphrase.';

/** The one message for input over {@link MAX_INPUT_BYTES}, in the browser and on the server. */
export const TOO_LARGE_MESSAGE =
  'The input is larger than 1 MiB: a key or certificate is a few kilobytes. Choose the right file or text.';

/** One `-----BEGIN X-----` ... `-----END X-----` block. */
export interface PemBlock {
  readonly label: string;
  /** RFC 1421 headers such as `Proc-Type` and `DEK-Info` (legacy encrypted keys). */
  readonly headers: Readonly<Record<string, string>>;
  readonly der: Uint8Array;
}

/** Canonical PEM: the label, base64 in 64-character lines, LF line ends, a final LF. */
export function toPem(label: string, der: Uint8Array): string {
  const body = base64Encode(der)
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/**
 * What people paste, made regular: byte-order mark dropped, CRLF and CR turned into LF,
 * every line trimmed, leading and trailing blank lines removed.
 */
export function normalizePemText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
}

const BEGIN = /-----BEGIN ([A-Z0-9 #]+?)-----/g;

/**
 * Finds every PEM block in a text. Text around and between blocks (OpenSSL "Bag Attributes",
 * comments) is ignored; a block may have its base64 on one line or even on the marker lines.
 * Resolves to an empty list when the text holds no `-----BEGIN` marker at all.
 */
export function parsePemBlocks(raw: string): Result<PemBlock[]> {
  const text = normalizePemText(raw);
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = BEGIN.exec(text))) {
    const label = match[1];
    const start = match.index + match[0].length;
    const endMatch = /-----END ([A-Z0-9 #]+?)-----/.exec(text.slice(start));
    const nextBegin = text.indexOf('-----BEGIN ', start);
    if (!endMatch || (nextBegin >= 0 && nextBegin < start + endMatch.index)) {
      return fail(
        'truncated',
        'pemNoEnd',
        `The text is cut off: the "${label}" block has no "-----END ${label}-----" line.`,
        { label },
      );
    }
    if (endMatch[1] !== label) {
      return fail(
        'corrupted',
        'pemEndMismatch',
        `The block that begins with "-----BEGIN ${label}-----" ends with "-----END ${endMatch[1]}-----"; both lines must name the same thing.`,
        { label, end: endMatch[1] },
      );
    }
    const body = text.slice(start, start + endMatch.index);
    const parsed = parseBody(label, body);
    if (!parsed.ok) return parsed;
    blocks.push(parsed.value);
    BEGIN.lastIndex = start + endMatch.index + endMatch[0].length;
  }
  return succeed(blocks);
}

function parseBody(label: string, body: string): Result<PemBlock> {
  const headers: Record<string, string> = {};
  const lines = body.split('\n').filter((l) => l !== '');
  while (lines.length && /^[A-Za-z][A-Za-z0-9-]*:/.test(lines[0])) {
    const line = lines.shift()!;
    const colon = line.indexOf(':');
    headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  const b64 = lines.join('').replace(/\s+/g, '');
  if (b64 === '')
    return fail(
      'truncated',
      'pemEmptyBlock',
      `The "${label}" block is empty: there is nothing between its BEGIN and END lines.`,
      { label },
    );
  const bad = /[^A-Za-z0-9+/=]/.exec(b64);
  if (bad) {
    return fail(
      'corrupted',
      'pemBadCharacter',
      `The "${label}" block is damaged: it contains "${bad[0]}", which is not a base64 character.`,
      { label, character: bad[0] },
    );
  }
  if (/=[^=]/.test(b64) || /={3,}$/.test(b64)) {
    return fail(
      'corrupted',
      'pemBadPadding',
      `The "${label}" block is damaged: its base64 padding ("=") is in the wrong place.`,
      { label },
    );
  }
  const der = base64Decode(b64);
  if (!der || b64.replace(/=+$/, '').length % 4 === 1) {
    return fail(
      'truncated',
      'pemCutOff',
      `The "${label}" block is cut off: its base64 text ends in the middle of a byte.`,
      { label },
    );
  }
  return succeed({ label, headers, der });
}

/**
 * Headerless base64 (a DER structure pasted without PEM lines). `undefined` when the text
 * is not plausibly that.
 */
export function headerlessBase64(raw: string): Uint8Array | undefined {
  const b64 = raw.replace(/\s+/g, '');
  if (b64.length < 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  return base64Decode(b64);
}
