/**
 * The folder of every Controller and Agent that holds the certificates it trusts: the signing
 * certificate's issuer (or the certificate itself) and the SSL CA's certificate go there.
 */
export const TRUST_FOLDER = './config/private/trusted-x509-keys/';
