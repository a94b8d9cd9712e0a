/**
 * The folder of every Controller and Agent that holds the certificates it trusts: the signing
 * certificate's issuer (the SSL CA's certificate while signing keys use it), or the self-signed
 * certificate itself, goes there.
 */
export const TRUST_FOLDER = './config/private/trusted-x509-keys/';
