/**
 * Types of the framework-free PKI core. Shared by the browser (live validation) and the
 * embedded server (the authority). No Angular, no Node APIs: only WebCrypto and plain data.
 */
import type { PkiCode } from './codes';

export type { PkiCode };

/** Why a piece of user input could not be used. One reason per cause, one message text per reason. */
export type FailureReason =
  | 'empty'
  | 'too-large'
  | 'binary'
  | 'not-pem'
  | 'truncated'
  | 'corrupted'
  | 'public-key-not-private'
  | 'private-key-not-public'
  | 'certificate-not-key'
  | 'key-not-certificate'
  | 'csr'
  | 'encrypted-key'
  | 'pkcs12'
  /** A PKCS#7 bundle (.p7b): certificates in a container the console does not open. */
  | 'pkcs7'
  /** A Java KeyStore (JKS, JCEKS): keys and certificates in Java's own format, not opened here. */
  | 'java-keystore'
  | 'wrong-passphrase'
  /** An encrypted file asks for more key-derivation work than is accepted (kdf-limits.ts). */
  | 'too-costly'
  /** The browser gives the page no WebCrypto: it is not a secure context (plain HTTP, not localhost). */
  | 'no-webcrypto'
  | 'unsupported-algorithm'
  | 'rsa-too-small'
  | 'algorithm-mismatch'
  | 'key-certificate-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'not-a-ca'
  | 'invalid-dn'
  | 'invalid-date';

/**
 * A message with meaning: `code` names it (the console's catalog key `pki.<code>`), `params` are
 * its values (numbers, names, and dates already written as `2021-01-01 12:00 UTC`), and
 * `message` is its English text, which the server answers in JOC's 420 envelope.
 */
export interface PkiMessage {
  readonly code: PkiCode;
  readonly params: PkiParams;
  readonly message: string;
}

/** A message's values. Words that vary are ids for an ICU `select` (e.g. `what: 'file'`). */
export type PkiParams = Readonly<Record<string, string | number>>;

/** The input field a failure concerns, named before the message ("Certificate: ..."). */
export type PkiField = 'certificate' | 'privateKey' | 'publicKey';

/**
 * A user-input failure: never a thrown library error. `message` is written for a person.
 * With `field`, `code` and `params` are those of the message inside the field prefix.
 */
export interface Failure extends PkiMessage {
  readonly ok: false;
  readonly reason: FailureReason;
  readonly field?: PkiField;
}

/** Something a person should know although the input is accepted (e.g. "not valid until ..."). */
export type Warning = PkiMessage;

/** A success, with warnings a person should see. */
export interface Success<T> {
  readonly ok: true;
  readonly value: T;
  readonly warnings: readonly Warning[];
}

export type Result<T> = Success<T> | Failure;

/** The algorithms JS7 signs with. */
export type KeyAlgorithm = 'RSA' | 'ECDSA';

/** Named curves accepted for ECDSA. */
export type NamedCurve = 'P-256' | 'P-384' | 'P-521';

/** What a key is, in words a person knows. */
export interface KeyDescription {
  readonly algorithm: KeyAlgorithm;
  /** ECDSA only. */
  readonly curve?: NamedCurve;
  /** RSA modulus size in bits; ECDSA field size. */
  readonly bits: number;
  /** "ECDSA P-256" or "RSA 4096". */
  readonly label: string;
}

/** Where a private key came from, as a person would name it. */
export type PrivateKeyFormat =
  'PKCS#8' | 'PKCS#1' | 'SEC1' | 'encrypted PKCS#8' | 'legacy encrypted PEM' | 'PKCS#12';

export interface PrivateKey extends KeyDescription {
  /** The format it was read from. */
  readonly format: PrivateKeyFormat;
  /** Unencrypted PKCS#8 DER. */
  readonly pkcs8: Uint8Array;
  /** Canonical PEM: `-----BEGIN PRIVATE KEY-----`, 64-character lines, LF, trailing LF. */
  readonly pem: string;
  /** The matching public key as SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
}

export interface PublicKey extends KeyDescription {
  readonly spki: Uint8Array;
  /** Canonical `-----BEGIN PUBLIC KEY-----` PEM. */
  readonly pem: string;
}

export interface Certificate {
  readonly der: Uint8Array;
  /** Canonical `-----BEGIN CERTIFICATE-----` PEM. */
  readonly pem: string;
  /** RFC 2253 distinguished names. */
  readonly subject: string;
  readonly issuer: string;
  /** Serial number in upper-case hex, no separators. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 over the DER, upper-case hex pairs joined by ':'. */
  readonly fingerprintSha256: string;
  /** e.g. ['digitalSignature', 'keyCertSign']; empty when the extension is absent. */
  readonly keyUsage: readonly string[];
  /** e.g. ['codeSigning']; unknown OIDs are given as dotted strings. */
  readonly extendedKeyUsage: readonly string[];
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /**
   * The basicConstraints extension is present, whatever its cA says: JS7 Controllers trust a
   * certificate as an issuer only then (X509Cert.isCA in js7).
   */
  readonly basicConstraints: boolean;
  /** Subject equals issuer. */
  readonly selfIssued: boolean;
  /** The certified public key; `undefined` fields when the algorithm is not RSA/ECDSA. */
  readonly publicKey: KeyDescription | { readonly algorithm: string; readonly label: string };
  readonly spki: Uint8Array;
}

/** One thing found in a text or file. */
export type InspectedItem =
  | {
      readonly kind: 'private-key';
      readonly key: PrivateKey;
      /** The keystore entry's name (a PKCS#12 bag's friendlyName, keytool's alias). */
      readonly alias?: string;
    }
  | { readonly kind: 'public-key'; readonly key: PublicKey }
  | { readonly kind: 'certificate'; readonly certificate: Certificate }
  | { readonly kind: 'csr' }
  | {
      readonly kind: 'encrypted-private-key';
      readonly format: 'encrypted PKCS#8' | 'legacy encrypted PEM';
    }
  | { readonly kind: 'pkcs12' };

/** Validity state of a certificate at a moment, for the row and the banner. */
export interface ValidityStatus {
  readonly state: 'valid' | 'expiring' | 'expired' | 'not-yet-valid';
  /** Calendar days from now to notAfter's date (0: it ends today; negative when expired). */
  readonly daysLeft: number;
  /** Fraction of the validity period used, 0..1 (0 when it has no expiry date). */
  readonly used: number;
  /**
   * RFC 5280's "no well-defined expiration date" (notAfter 99991231235959Z): never expiring nor
   * expired, and `daysLeft` is no count to show.
   */
  readonly noExpiry?: true;
}

/** A key pair with its certificate, as generation returns it. */
export interface GeneratedPair {
  readonly privateKey: PrivateKey;
  readonly certificate: Certificate;
}

/** A CA that signs certificates: its key and certificate as PEM text. */
export interface IssuerPem {
  readonly privateKey: string;
  readonly certificate: string;
}
