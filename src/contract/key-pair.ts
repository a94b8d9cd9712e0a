/**
 * JOC Cockpit's key pair as it travels over the wire (schema `sign/jocKeyPair`).
 * Type-only: shared by the web client and the embedded server.
 */

/** Algorithms a JocKeyPair may name. JOC also knows "PGP" and "MLDSA"; both are answered JOC-414. */
export type JocKeyAlgorithm = 'ECDSA' | 'RSA' | 'PGP' | 'MLDSA';

/**
 * What is stored: "PRIVATE" a private key (LOW/MEDIUM), "PUBLIC" a certificate or public key without
 * a private key (as real JOC Cockpit answers; the embedded server before it said "X509" for a
 * certificate, which clients still read as "PUBLIC"), "CA" the built-in SSL CA (`/profile/ca`).
 */
export type JocKeyType = 'PRIVATE' | 'PUBLIC' | 'X509' | 'CA';

/**
 * A key pair. In answers, null fields are omitted and "nothing stored" is `{}`; every field is a
 * string. In requests the object is closed (unknown fields are answered JOC-420).
 */
export interface JocKeyPair {
  /** PEM text. */
  readonly privateKey?: string;
  /** PEM text (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKey?: string;
  /** The certificate's subject DN (RFC 2253) whenever a certificate is stored. */
  readonly keyID?: string;
  /** PEM text (`-----BEGIN CERTIFICATE-----`). */
  readonly certificate?: string;
  /** The certificate's notAfter, ISO-8601 UTC. */
  readonly validUntil?: string;
  readonly keyType?: JocKeyType;
  readonly keyAlgorithm: JocKeyAlgorithm | string;
}

/** The answer of `/profile/key` and `/profile/ca`: a key pair, or `{}` when nothing is stored. */
export type JocKeyPairAnswer = JocKeyPair | Record<string, never>;
