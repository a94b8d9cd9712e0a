/**
 * The failures that answer a file the console does not read with the command that converts it.
 * When the file's name is known (Import, an upload) the command names it and the file to write,
 * so it can be copied and run as it stands; pasted text has no name, and the command keeps
 * placeholders in capitals, the same words in every language.
 */
import { fail } from './result';
import type { Failure } from './types';

/** Longer names are no help in a command line; the placeholder is shorter to edit. */
const MAX_NAME_LENGTH = 200;
/** Characters a POSIX shell takes literally without quotes. */
const PLAIN = /^[A-Za-z0-9._+,@%=:/-]+$/;
/**
 * What no command shows: control and format characters (a right-to-left override makes the line
 * read otherwise than it runs), line and paragraph separators, unpaired surrogates, private and
 * unassigned code points, and the single quote, which would end the quoting.
 */
const ODD = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}']/u;

/**
 * `name` as one word of a POSIX shell command: as it is when plain, in single quotes when it has
 * spaces or characters a shell would read (`$`, `;`, `*`, backquotes; inside single quotes none
 * is special). Undefined for a name that no command should show: empty, too long, one starting
 * with `-` (a program would take it as an option, quoted or not), or with characters from {@link ODD}.
 */
export function shellWord(name: string): string | undefined {
  if (name === '' || name.length > MAX_NAME_LENGTH || name.startsWith('-') || ODD.test(name))
    return undefined;
  return PLAIN.test(name) ? name : `'${name}'`;
}

/**
 * The name of the converted file: `name` with its extension replaced by `suffix`, never `name`
 * itself (a keystore named `store.p12` must not be overwritten by its own conversion).
 */
export function convertedName(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  const base = dot > 0 && !/[/\\]/.test(name.slice(dot)) ? name.slice(0, dot) : name;
  const converted = base + suffix;
  return converted === name ? `${base}-converted${suffix}` : converted;
}

interface CommandFiles {
  /** The file to convert, as a shell word. */
  readonly file: string;
  /** The file the command writes, as a shell word. */
  readonly out: string;
}

/** Both names as shell words, or both placeholders when the name is unknown or odd. */
function commandFiles(
  name: string | undefined,
  suffix: string,
  placeholders: CommandFiles,
): CommandFiles {
  const file = name === undefined ? undefined : shellWord(name);
  const out = file === undefined ? undefined : shellWord(convertedName(name!, suffix));
  return file !== undefined && out !== undefined ? { file, out } : placeholders;
}

/** A Java KeyStore (JKS, JCEKS): keytool converts it to PKCS#12. */
export function javaKeyStoreFailure(name?: string): Failure {
  const { file, out } = commandFiles(name, '.p12', { file: 'KEYSTORE', out: 'KEYSTORE.p12' });
  return fail(
    'java-keystore',
    'javaKeyStore',
    `This is a Java KeyStore (JKS / JCEKS): convert it with "keytool -importkeystore -srckeystore ${file} -destkeystore ${out} -deststoretype PKCS12" and import the .p12 file.`,
    { file, out },
  );
}

/** A PKCS#7 bundle of certificates; openssl reads it as PEM unless told it is DER. */
export function pkcs7BundleFailure(encoding: 'pem' | 'der', name?: string): Failure {
  const { file, out } = commandFiles(name, '.pem', { file: 'BUNDLE', out: 'certs.pem' });
  return fail(
    'pkcs7',
    'pkcs7Bundle',
    `This is a PKCS#7 bundle (.p7b) of certificates: convert it with "openssl pkcs7${encoding === 'der' ? ' -inform DER' : ''} -print_certs -in ${file} -out ${out}" and import the PEM file.`,
    { encoding, file, out },
  );
}

/**
 * An EC private key whose curve is spelled out (ECParameters) instead of named by its OID, as
 * `openssl ecparam -param_enc explicit` writes it: WebCrypto and Java read named curves only.
 * OpenSSL recognises P-256, P-384 and P-521 in explicit form and writes their names.
 */
export function ecExplicitParametersFailure(name?: string): Failure {
  const { file, out } = commandFiles(name, '-named.pem', { file: 'KEYFILE', out: 'NEWFILE' });
  return fail(
    'unsupported-algorithm',
    'ecExplicitParameters',
    `This EC private key spells out its curve's parameters instead of naming the curve, which is not supported: convert it with "openssl ec -in ${file} -param_enc named_curve -out ${out}" and import the new file.`,
    { file, out },
  );
}

/** A PKCS#8 key encrypted with scrypt (openssl pkcs8 -scrypt): node-forge derives with PBKDF2 only. */
export function scryptFailure(name?: string): Failure {
  const { file, out } = commandFiles(name, '-aes.pem', { file: 'KEYFILE', out: 'NEWFILE' });
  return fail(
    'unsupported-algorithm',
    'pkcs8ScryptUnsupported',
    `This private key is encrypted with scrypt, which is not supported: re-encrypt it with PBKDF2 and AES, e.g. "openssl pkcs8 -topk8 -v2 aes-256-cbc -in ${file} -out ${out}".`,
    { file, out },
  );
}
