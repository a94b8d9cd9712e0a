/** Test material shared by the PKI core's tests and the console's real-JOC answers. */

/**
 * What JOC Cockpit's Generate (ECDSA, without the SSL CA) stores: a PKCS#8 key between
 * `EC PRIVATE KEY` lines (KeyUtil.formatPrivateECDSAKey), and a certificate made by
 * KeyUtil.generateCertificateFromKeyPair: v3 without extensions, SHA512withECDSA, signed with the
 * key itself, but with the issuer "O=JOC,OU=Self Signed" instead of its subject. Valid until
 * 2036-11-28 (JOC makes 365 days; longer here so that the spec does not age).
 */
export const JOC_GENERATED_KEY = `-----BEGIN EC PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgq9+fYG7TDlltcfZh
wQaSWEsPu7W0VOAZNhRbnxMC85OhRANCAATVRVb+PDqU+IHpCQcfnWuyOq5pdg5f
DHQbZHyiRa4fuxlUr3DDpXLEhyaWc3b+Lg9Oj0/AuPUApIQL3YqLxl+9
-----END EC PRIVATE KEY-----
`;

export const JOC_GENERATED_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBQTCB56ADAgECAgYBmtPAobIwCgYIKoZIzj0EAwQwJDEMMAoGA1UECgwDSk9D
MRQwEgYDVQQLDAtTZWxmIFNpZ25lZDAeFw0yNjEyMDExMTU0MzJaFw0zNjExMjgx
MTU0MzJaMCsxDTALBgNVBAMMBHJvb3QxDDAKBgNVBAsMA0pPQzEMMAoGA1UECgwD
SlM3MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1UVW/jw6lPiB6QkHH51rsjqu
aXYOXwx0G2R8okWuH7sZVK9ww6VyxIcmlnN2/i4PTo9PwLj1AKSEC92Ki8ZfvTAK
BggqhkjOPQQDBANJADBGAiEA3Vyd/FS/UtQNEGNm1vKhPLsP3e5w9hs3zcE8CwIG
QgECIQDws8UURdW8JEPbxQPD4Ka3YP31cV+9eZwlgrRljw43bw==
-----END CERTIFICATE-----
`;
