/**
 * The PKI core's public surface. Everything here is framework-free and runs unchanged in
 * Node 20 and in Chromium; WebCrypto comes from `globalThis.crypto`.
 *
 * Every function that reads user input resolves to a {@link Result}; none throws on bad input.
 */
export * from './types';
export { toPem, normalizePemText, MAX_INPUT_BYTES, TOO_LARGE_MESSAGE } from './pem';
export { keyMatchesCertificate } from './key';
export { certificateStatus } from './certificate';
export {
  inspect,
  describeItem,
  readPrivateKey,
  readPublicKey,
  readCertificate,
  readCertificates,
  readKeyMaterial,
  type KeyMaterial,
} from './inspect';
export {
  checkSigningPair,
  checkCaPair,
  checkPublicMaterial,
  verifySigningPair,
  verifyCaPair,
  declaredAlgorithm,
  certificateFor,
  certificatesOfKey,
  pkcs12WherePasted,
  certificatesLeftOut,
  type CertificateSource,
} from './check';
export { parseDn, parseDnAttributes, formatDn, escapeDnValue } from './dn';
export { generateSigningPair, generateCa } from './generate';
export { signDocument, verifyDocument } from './sign';
export {
  givenIssuerProblems,
  readinessChecks,
  trustPath,
  issuerCheck,
  type TrustPath,
  signedBy,
  type ReadinessCheck,
  type ReadinessCheckId,
  type ReadinessInput,
} from './readiness';
