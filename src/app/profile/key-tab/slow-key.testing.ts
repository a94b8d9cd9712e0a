/**
 * Test support (never imported by the app): an encrypted key whose derivation takes seconds in
 * the browser, under the PKI core's iteration cap, for the dialogs' "the page keeps answering"
 * specs.
 */
/** ec256.pkcs8.pem, openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 200000. */
export const SLOW_KEY = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHtMFgGCSqGSIb3DQEFDTBLMCoGCSqGSIb3DQEFDDAdBAgEEPXEKk1IEwIDAw1A
MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBCQrW1a2LngTR0hX4+DH6ezBIGQ
64ew08ehwiPhOCwWYcgGc0X9ItI4BV/0xhBEgomwl4e3d9FKFcLoTFgLp+TZKy7q
7MgOqacS+0mS64BpDnGa27+oGLNyArQNKwTAFKwtVgXpU1BkG3kAsjHuETwA+ixC
B+bp+T1Fo+p3gCPVfXS1JUTIqd/UH3gapQAtvX57begZqAw2eUu9nxmtHhrfapmL
-----END ENCRYPTED PRIVATE KEY-----
`;
export const SLOW_PASSWORD = 'slow-but-real';
