import { fail, succeed } from './result';
import type { Result } from './types';

/** One attribute of a Distinguished Name. */
export interface DnAttribute {
  readonly oid: string;
  /** RFC 2253 keyword, or the OID when there is none. */
  readonly name: string;
  readonly value: string;
}

const ATTRIBUTES: ReadonlyArray<readonly [string, string, number]> = [
  // keyword, OID, upper bound of the value's length (RFC 5280 appendix A)
  ['CN', '2.5.4.3', 64],
  ['SURNAME', '2.5.4.4', 64],
  ['SERIALNUMBER', '2.5.4.5', 64],
  ['C', '2.5.4.6', 2],
  ['L', '2.5.4.7', 128],
  ['ST', '2.5.4.8', 128],
  ['STREET', '2.5.4.9', 128],
  ['O', '2.5.4.10', 64],
  ['OU', '2.5.4.11', 64],
  ['T', '2.5.4.12', 64],
  ['GIVENNAME', '2.5.4.42', 64],
  ['DC', '0.9.2342.19200300.100.1.25', 63],
  ['UID', '0.9.2342.19200300.100.1.1', 128],
  ['EMAILADDRESS', '1.2.840.113549.1.9.1', 255],
];
const ALIASES: Record<string, string> = {
  S: 'ST',
  E: 'EMAILADDRESS',
  EMAIL: 'EMAILADDRESS',
  TITLE: 'T',
  SN: 'SURNAME',
  G: 'GIVENNAME',
};
/** The most attributes a Distinguished Name may have (real ones have fewer than ten). */
export const MAX_DN_ATTRIBUTES = 20;
/**
 * The longest Distinguished Name read (twenty attributes of 255 characters, escaped, fit): longer
 * text is refused before it is parsed.
 */
export const MAX_DN_LENGTH = 16_384;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Invisible characters (Unicode Default_Ignorable_Code_Point: zero-width space, bidirectional
 * marks, overrides and isolates, the BOM, the soft hyphen, tags, Hangul fillers) make one subject
 * read as another: "CN=root\u200b" and "CN=root\u3164" show as "CN=root", U+202E shows what
 * follows it reversed. Allowed because scripts need them: ZWNJ and ZWJ (Persian, Indic), the
 * Mongolian free variation selectors and vowel separator, variation selectors, the combining
 * grapheme joiner. Visible format characters (Arabic number signs, U+0600-U+0605) are not
 * ignorable and stay allowed.
 */
const INVISIBLE =
  // The class lists code points on purpose (joiners, combining marks), not a sequence to match.
  // eslint-disable-next-line no-misleading-character-class
  /(?![\u200c\u200d\u180b-\u180f\ufe00-\ufe0f\u034f\u{e0100}-\u{e01ef}])\p{Default_Ignorable_Code_Point}/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const BY_NAME = new Map(ATTRIBUTES.map(([name, oid, max]) => [name, { oid, max }]));
const BY_OID = new Map(ATTRIBUTES.map(([name, oid]) => [oid, name]));

/** The keyword RFC 2253 uses for an attribute OID, or the OID itself. */
export function attributeName(oid: string): string {
  return BY_OID.get(oid) ?? oid;
}

/** Escapes a value for an RFC 2253 string. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[,+"\\<>;=]/g, (c) => `\\${c}`)
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** Formats attributes (most significant last, as RFC 2253 writes them) into the string form. */
export function formatDn(attributes: readonly DnAttribute[]): string {
  return attributes.map((a) => `${a.name}=${escapeDnValue(a.value)}`).join(',');
}

/**
 * Parses a Distinguished Name such as `CN=root, OU=JOC, O=JS7` (RFC 2253/4514 syntax; `;`
 * also separates; quotes and backslash escapes allowed). Resolves to the attributes in the
 * written order, or a failure that says what is wrong.
 */
export function parseDnAttributes(dn: string): Result<DnAttribute[]> {
  if (dn.length > MAX_DN_LENGTH)
    return fail(
      'invalid-dn',
      'dnTotalLength',
      `The Distinguished Name has ${dn.length} characters: at most ${MAX_DN_LENGTH} are accepted.`,
      { length: String(dn.length), max: String(MAX_DN_LENGTH) },
    );
  const text = dn.trim();
  if (text === '')
    return fail(
      'invalid-dn',
      'dnEmpty',
      'The Distinguished Name is empty: write it as CN=name,OU=unit,O=organisation.',
    );
  const attributes: DnAttribute[] = [];
  let i = 0;
  while (i <= text.length) {
    const eq = text.indexOf('=', i);
    const nextSeparator = text.slice(i).search(/[,;+]/);
    if (eq < 0 || (nextSeparator >= 0 && i + nextSeparator < eq)) {
      const part = text.slice(i, nextSeparator >= 0 ? i + nextSeparator : undefined).trim();
      return fail(
        'invalid-dn',
        'dnNotAttribute',
        `"${part}" is not an attribute: write each part as TYPE=value, for example CN=jobscheduler.`,
        { part },
      );
    }
    const rawType = text.slice(i, eq).trim();
    const type = resolveType(rawType);
    if (!type.ok) return type;
    const value = readValue(text, eq + 1, type.value.name);
    if (!value.ok) return value;
    const { value: content, end } = value.value;
    if (content.trim() === '')
      return fail(
        'invalid-dn',
        'dnNoValue',
        `${type.value.name} has no value: write ${type.value.name}=something.`,
        { name: type.value.name },
      );
    if (type.value.name === 'C' && !/^[A-Za-z]{2}$/.test(content)) {
      return fail(
        'invalid-dn',
        'dnCountry',
        `C (country) must be a two-letter code such as DE or US, not "${content}".`,
        { value: content },
      );
    }
    // A NUL or an escape sequence in a value reads differently to different tools; half of a
    // UTF-16 surrogate pair cannot be written as UTF-8 at all.
    const control = CONTROL.exec(content);
    if (control) {
      const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      return fail(
        'invalid-dn',
        'dnControl',
        `${type.value.name} contains the control character ${code}: write printable text.`,
        { name: type.value.name, code },
      );
    }
    const invisible = INVISIBLE.exec(content);
    if (invisible) {
      const code = `U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      return fail(
        'invalid-dn',
        'dnInvisible',
        `${type.value.name} contains the invisible character ${code}, which can make one name look like another: remove it.`,
        { name: type.value.name, code },
      );
    }
    if (LONE_SURROGATE.test(content))
      return fail(
        'invalid-dn',
        'dnBrokenCharacter',
        `${type.value.name} contains a broken character (half of a UTF-16 surrogate pair): write the text again.`,
        { name: type.value.name },
      );
    if (content.length > type.value.max) {
      return fail(
        'invalid-dn',
        'dnTooLong',
        `${type.value.name} may have at most ${type.value.max} characters; "${content.slice(0, 20)}…" has ${content.length}.`,
        {
          name: type.value.name,
          max: type.value.max,
          start: content.slice(0, 20),
          length: content.length,
        },
      );
    }
    attributes.push({
      oid: type.value.oid,
      name: type.value.name,
      value: type.value.name === 'C' ? content.toUpperCase() : content,
    });
    i = end + 1;
    if (end >= text.length) break;
  }
  if (attributes.length > MAX_DN_ATTRIBUTES)
    return fail(
      'invalid-dn',
      'dnTooManyAttributes',
      `The Distinguished Name has ${attributes.length} attributes: at most ${MAX_DN_ATTRIBUTES} are accepted.`,
      { count: String(attributes.length), max: String(MAX_DN_ATTRIBUTES) },
    );
  return succeed(attributes);
}

/** Parses and normalises a Distinguished Name into its RFC 2253 form (`CN=a,OU=b`). */
export function parseDn(dn: string): Result<string> {
  const parsed = parseDnAttributes(dn);
  return parsed.ok ? succeed(formatDn(parsed.value)) : parsed;
}

function resolveType(raw: string): Result<{ oid: string; name: string; max: number }> {
  if (/^\d+(\.\d+)+$/.test(raw)) return succeed({ oid: raw, name: attributeName(raw), max: 255 });
  const upper = raw.toUpperCase();
  const name = ALIASES[upper] ?? upper;
  const known = BY_NAME.get(name);
  if (!known) {
    return raw === ''
      ? fail(
          'invalid-dn',
          'dnNoType',
          'An attribute has no type before "=": write each part as TYPE=value, for example CN=jobscheduler.',
        )
      : fail(
          'invalid-dn',
          'dnUnknownType',
          `"${raw}" is not a known attribute type: use CN, OU, O, L, ST, C, DC, UID, EMAILADDRESS or SERIALNUMBER.`,
          { type: raw },
        );
  }
  return succeed({ oid: known.oid, name, max: known.max });
}

/** A run of `\XX` escapes, matched where a value's backslash is. */
const ESCAPES = /(?:\\[0-9A-Fa-f]{2})+/y;

/**
 * RFC 4514 escapes the UTF-8 bytes of a character (`M\C3\BCller` is "Müller"). Bytes that are
 * not UTF-8 stay one character each, as written.
 */
function escapedBytes(run: string): string {
  const bytes = Uint8Array.from(run.split('\\').slice(1), (hex) => parseInt(hex, 16));
  try {
    // A BOM stays in the value (the invisible-character check refuses it), not silently dropped.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/** Reads one value from `start`; `end` is the index of the separator after it (or the text's end). */
function readValue(
  text: string,
  start: number,
  name: string,
): Result<{ value: string; end: number }> {
  let i = start;
  while (text[i] === ' ') i++;
  let out = '';
  if (text[i] === '"') {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      out += text[i++] ?? '';
    }
    if (text[i] !== '"')
      return fail(
        'invalid-dn',
        'dnUnclosedQuote',
        `The value of ${name} opens a quote (") that is never closed.`,
        { name },
      );
    i++;
    while (text[i] === ' ') i++;
    if (i < text.length && !/[,;+]/.test(text[i]))
      return fail(
        'invalid-dn',
        'dnAfterQuote',
        `Unexpected text after the quoted value of ${name}.`,
        { name },
      );
    return succeed({ value: out, end: i });
  }
  if (text[i] === '#')
    return fail(
      'invalid-dn',
      'dnHexValue',
      `Hex-encoded values (#...) are not supported: write the value of ${name} as text.`,
      { name },
    );
  let trailingSpaces = 0;
  while (i < text.length && !/[,;+]/.test(text[i])) {
    if (text[i] === '\\') {
      ESCAPES.lastIndex = i;
      const run = ESCAPES.exec(text);
      if (run) {
        out += escapedBytes(run[0]);
        i += run[0].length;
      } else if (i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
      } else {
        return fail(
          'invalid-dn',
          'dnLoneBackslash',
          `The value of ${name} ends with a lone backslash.`,
          { name },
        );
      }
      trailingSpaces = 0;
      continue;
    }
    if (text[i] === '=')
      return fail(
        'invalid-dn',
        'dnEquals',
        `The value of ${name} contains "=": separate attributes with commas, or escape it as \\=.`,
        { name },
      );
    trailingSpaces = text[i] === ' ' ? trailingSpaces + 1 : 0;
    out += text[i++];
  }
  return succeed({ value: out.slice(0, out.length - trailingSpaces), end: i });
}
