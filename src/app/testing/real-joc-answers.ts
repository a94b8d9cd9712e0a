/**
 * Answers a real JOC Cockpit (2.8 / 2.9) gives, as ../shared/real-joc.md reads them from JOC's
 * sources (sos-berlin/sos-components at v2.9.0: JOCDefaultResponse, JOCResourceImpl,
 * SOSServicePermissionIam, publish-medium ShowKeyImpl). Test-only: the Karma specs answer with
 * these, and the e2e JOC double (e2e/support/joc-double.ts) mirrors them. The key material is
 * throwaway test material made for this file (OpenSSL, GnuPG); the ML-DSA public key is a
 * well-formed SubjectPublicKeyInfo (OID 2.16.840.1.101.3.4.3.17) around random bytes.
 */
import type { JocKeyPairAnswer } from '../../contract';
import { JOC_GENERATED_CERTIFICATE, JOC_GENERATED_KEY } from '../../pki/testdata/joc-generated';

/** A self-signed ECDSA P-256 certificate, CN=root,OU=JOC,O=JS7, valid until 2036-11-28. */
export const JOC_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBqzCCAVGgAwIBAgIUWZ7gVTnkSC8jOpCo6LUg+9ovvNcwCgYIKoZIzj0EAwIw
KzEMMAoGA1UECgwDSlM3MQwwCgYDVQQLDANKT0MxDTALBgNVBAMMBHJvb3QwHhcN
MjYxMjAxMTE1NDMyWhcNMzYxMTI4MTE1NDMyWjArMQwwCgYDVQQKDANKUzcxDDAK
BgNVBAsMA0pPQzENMAsGA1UEAwwEcm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABClnh+fmdWN81iG4zswdPvCcpMob10AL/yyr4n8Ym992wThYavG2HcoZ9+p+
m86RlWxYchuSgPLM3JqPJXk7ODejUzBRMB0GA1UdDgQWBBRVfbngVdX2TgFUDCO0
0DQWXRq4zzAfBgNVHSMEGDAWgBRVfbngVdX2TgFUDCO00DQWXRq4zzAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIBfFEPJIIXGRiHKRHqkd8im2V01z
PAFLETFSFzCSqDuNAiEA0/trE+K1y2eIzOgblYVj7f9ajsjx6/Rw6R4hONYbNIs=
-----END CERTIFICATE-----
`;

/** The private key of {@link JOC_CERTIFICATE} (PKCS#8). */
export const JOC_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPxWLwiAhiqJXuFfR
fksBS/I2O0sPxEsLdXqFqZrT96ihRANCAAQpZ4fn5nVjfNYhuM7MHT7wnKTKG9dA
C/8sq+J/GJvfdsE4WGrxth3KGffqfpvOkZVsWHIbkoDyzNyajyV5Ozg3
-----END PRIVATE KEY-----
`;

/**
 * The `publicKey` real JOC Cockpit sends next to every stored ECDSA private key: ShowKeyImpl derives
 * it with KeyUtil.getKeyPairFromECDSAPrivatKeyString, which builds the point from the curve's
 * generator (`new ECPublicKeySpec(params.getGenerator(), params)`). It is P-256's base point G,
 * the same for every key, never the key's own public key.
 */
export const JOC_EC_PUBLIC_KEY_AS_SENT = `-----BEGIN EC PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaxfR8uEsQkf4vOblY6RA8ncDfYEt
6zOg9KE5RdiYwpZP40Li/hp/m47n60p8D54WK84zV2sxXs7LtkBoN79R9Q==
-----END EC PUBLIC KEY-----
`;

/** The true public key of {@link JOC_PRIVATE_KEY}. */
export const JOC_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKWeH5+Z1Y3zWIbjOzB0+8JykyhvX
QAv/LKvifxib33bBOFhq8bYdyhn36n6bzpGVbFhyG5KA8szcmo8leTs4Nw==
-----END PUBLIC KEY-----
`;

const PGP_PRIVATE_KEY = `-----BEGIN PGP PRIVATE KEY BLOCK-----

lFgEaw61fBYJKwYBBAHaRw8BAQdAaoQFdzM5omQ3pRf7wF/z7O8Z7tQ+Hvg1yAcX
zVEOgxsAAQCYOd1pPrkO3Snw2s1grWlbCIscU/gc6XACwIUZzMt78RBdtB5KT0Mg
U2lnbmluZyA8cm9vdEBleGFtcGxlLmNvbT6IlgQTFggAPhYhBIYA91rLHPvj4GxA
vUNQ6oiPQ3PWBQJrDrV8AhsDBQkPNR7EBQsJCAcCBhUKCQgLAgQWAgMBAh4BAheA
AAoJEENQ6oiPQ3PWvBoA/AsVCEMLyxd2cBOKTafZ2Tdz6jQl0km19T77Hj13glEW
AP42diSE1zOIPEy0Ndl8iVE0yCdDzKME8F7M6ZcdkOV9Aw==
=W+U6
-----END PGP PRIVATE KEY BLOCK-----
`;

const PGP_PUBLIC_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaw61fBYJKwYBBAHaRw8BAQdAaoQFdzM5omQ3pRf7wF/z7O8Z7tQ+Hvg1yAcX
zVEOgxu0HkpPQyBTaWduaW5nIDxyb290QGV4YW1wbGUuY29tPoiWBBMWCAA+FiEE
hgD3Wssc++PgbEC9Q1DqiI9Dc9YFAmsOtXwCGwMFCQ81HsQFCwkIBwIGFQoJCAsC
BBYCAwECHgECF4AACgkQQ1DqiI9Dc9a8GgD8CxUIQwvLF3ZwE4pNp9nZN3PqNCXS
SbX1PvsePXeCURYA/jZ2JITXM4g8TLQ12XyJUTTIJ0PMowTwXszplx2Q5X0D
=t7Vw
-----END PGP PUBLIC KEY BLOCK-----
`;

const MLDSA_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIFMjALBglghkgBZQMEAxEDggUhAHvBhWGxvVi64pNQ2J5P/88QId87OKUvnwpt
2OqgNTPorgLg5xIa1djnPgIe4lqHS4M+ONYfY4wzNpye0/4iS6yuONePDiB8k6ft
8VqYlHyw9Zp3qDhd/vGF6ym5P1Dadxmi6beOps5Gh2UCD1PEKFovX4NB9+cVK26H
R65kt/0pDH4gi+m6VoYeams85HhFPIhqd/yTs1Ygsr/bri/PKCe1U2jH0VZMM0r+
2RSqfyfIQd8efyTkhvUao2KpIVdXMzn2j0+Aw78pDyN9zLa2qWhDbJux/+B8AD+E
u6p1Gu3ZPxvXezwmexk+tIeQ+FZfQxfV1DQ9lrYrjEH9YP51mQWt2+XiKqVWYTLJ
Qh1mYR0MV+eg8qfpAkdtVj5ongOnkZKWfIJ2ePmThunKj3M9TCk9XKxCwCp9Qsb4
cm1wScg5nvqJzUvUTfK2PEhAJAlUNXSdgwB4ovysdL8T2nuTwb0aYGHQmZJEBsvl
WC/AnG+bLYeQca0QKJ4q/iAEjSYhpPQmmVr259CZ8j7vpRHcmvGeHZ5CbPTmmrQx
mSVTLO1z9pSXquBRFye31IT07JgAq+eZXEeRyaKLJayT98b5IDBbdjQL0Jkj3X5m
nBT0l7e0aZAzmZDwAVTQEb6dEsv/l1wDExNQW3SgjN1LbIRGBjxc6fXtbaE70uuG
jBUjjR+BKLFVuVF3voTeHDUWaSerORPIDDd6mPi4nc59FR8f1GLu0f6hq/aiFwN8
h/e2UAROaMaXdUEhQIVpEfuxtf4juQDmj45vH/BKxkajomk0Hi4yzC3n2Idk4wkl
GETHUzyiQ6CnSqofz6siRzKcIXMZcb8r+mzbqOkkwuWeJIqHoD05Dashvw1VkR1Z
jyWUMYW89u0fUDjLkiPGlWSE96o+4vYoRTCho3DhimncB5G5bSr7qTvlx+zFGLrk
0modSCnEkAOWrAbcnor03MuedWE2N/F9TOvGA4XjJrIf9CnsWualr51bfqaBjQVU
aUE3aPHcrr6nbGLZ1a2ACIo8N57wduCB9TerabNE6nZmuC25HkmkbcyWUNaY/m+D
lnnsnZUMN/5eOjm/TgtfcUvieuLYjNC/OiaXGe0Tjb84+4lAonJu6leH2yffOQua
1vUaFLNApj5PzHLfEtuZPxATI77paovYY+6GlLNxsIwspZl4iPts59hGPjvYpMs0
1B5yDtbUWAjvbe677W/+2BsKkROJQjdaxWzxuZB76NckLqKZoDCtDHl8JpvbYi7E
rBYRB3+NEEx1foCt60KpQcht7rYAEbN0yAx0aRvaD6Zq+j3sOLWuMTAqKJmsxKa7
b/lF33EX1b2jKyUVzmzbzKnS3/DfncSWPJ/3bbMdrlv61CW+bK+OBwya6t9a9fjp
a8MQz7apGPQPH/L716ak4ikUEsvNWCo0ao9AaCiJUwZckatWSyXwc1pdVf3deny0
zElHtr7ya/u7HekcnIFQV94jqiC4P3g8oLXRTmYOFFv3b6UP40wKaAm18E1EYkrJ
inutjLGs74ZNSAcRAi0saWfamsp/8q4Nc4mjefcz1Y7OuFkLuM6V2KzFu9esLLyh
FVr6gxiJNsScEd63jo2eycEh2ITagMu+zAm6HNDVBtS6YFP0VMjVObeDCqRrmu9c
p1og7b1e+Wlv5AGLBu2dr+Apdcvfu0bQDc1N0alWkb5poNapIJAwfrXfhTOQj9bp
26vHgzAMycoWJwqEU9MmAAyzZj6YxneCydmJlTVwicN2JhTC8t4=
-----END PUBLIC KEY-----
`;

/** `/profile/key` answers. */
export const REAL_JOC_KEYS = {
  /** Nothing stored: Jackson leaves out every null field. */
  nothing: {} as JocKeyPairAnswer,
  /** Only a certificate stored (no private key): keyType PUBLIC, never X509; validUntil with an offset. */
  certificateOnly: {
    certificate: JOC_CERTIFICATE,
    keyID: 'CN=root,OU=JOC,O=JS7',
    validUntil: '2036-11-28T11:54:32.000+00:00',
    keyType: 'PUBLIC',
    keyAlgorithm: 'ECDSA',
  } as JocKeyPairAnswer,
  /** A private key with its certificate; JOC adds the public key it derives; validUntil without Z. */
  pair: {
    privateKey: JOC_PRIVATE_KEY,
    certificate: JOC_CERTIFICATE,
    keyID: 'CN=root,OU=JOC,O=JS7',
    validUntil: '2036-11-28T11:54:32.000+0000',
    keyType: 'PRIVATE',
    keyAlgorithm: 'ECDSA',
  } as JocKeyPairAnswer,
  /**
   * What Generate (ECDSA, self-signed) leaves, read back: JOC's own key and certificate (issuer
   * "O=JOC,OU=Self Signed"), and the generator point as `publicKey`.
   */
  generated: {
    privateKey: JOC_GENERATED_KEY,
    publicKey: JOC_EC_PUBLIC_KEY_AS_SENT,
    keyID: 'O=JS7,OU=JOC,CN=root',
    certificate: JOC_GENERATED_CERTIFICATE,
    validUntil: '2036-11-28T11:54:32.000+00:00',
    keyType: 'PRIVATE',
    keyAlgorithm: 'ECDSA',
  } as JocKeyPairAnswer,
  /**
   * An ECDSA private key stored without a certificate (Import of the key file alone, or an Import
   * whose certificate step failed): JOC adds its wrong `publicKey` (the generator point).
   */
  keyWithoutCertificate: {
    privateKey: JOC_PRIVATE_KEY,
    publicKey: JOC_EC_PUBLIC_KEY_AS_SENT,
    keyType: 'PRIVATE',
    keyAlgorithm: 'ECDSA',
  } as JocKeyPairAnswer,
  /** A PGP key pair (ed25519, expires 2035-01-01): keyID the key id in hex, no certificate. */
  pgp: {
    privateKey: PGP_PRIVATE_KEY,
    publicKey: PGP_PUBLIC_KEY,
    keyID: '4350EA888F4373D6',
    validUntil: '2035-01-01T00:00:00.000+00:00',
    keyType: 'PRIVATE',
    keyAlgorithm: 'PGP',
  } as JocKeyPairAnswer,
  /** An ML-DSA public key alone (no certificate, no end date). */
  mldsaPublic: {
    publicKey: MLDSA_PUBLIC_KEY,
    keyType: 'PUBLIC',
    keyAlgorithm: 'MLDSA',
  } as JocKeyPairAnswer,
} as const;

/** Failure answers: HTTP status and body. */
export const REAL_JOC_ERRORS = {
  /** Four-eyes approval needed (JOCResourceImpl.getError433Schema): no change was made. */
  approval: {
    status: 433,
    body: {
      deliveryDate: '2026-12-01T10:00:00.000+00:00',
      message: '4-eyes principle: Operation needs approval process',
      approvers: [
        { accountName: 'anna', firstName: 'Anna', lastName: 'Berg' },
        { accountName: 'ops-lead' },
      ],
      requestor: 'root',
      requestUrl: './profile/key/delete',
      requestBody: {},
      category: 'CERTIFICATES',
    },
  },
  /** A call without a valid session (getError401Schema): no error object, the reason in message. */
  unauthenticated: {
    status: 401,
    body: {
      account: '',
      isPermitted: false,
      hasRole: false,
      isApprover: false,
      isApprovalRequestor: false,
      isAuthenticated: false,
      forcePasswordChange: false,
      accessToken: '',
      message: "Authentication failure: SessionNotExistException: Session doesn't exist",
      enableTouch: true,
    },
  },
  /** Login with a wrong password. */
  loginRefused: {
    status: 401,
    body: {
      account: 'root',
      isPermitted: false,
      hasRole: false,
      isAuthenticated: false,
      forcePasswordChange: false,
      message: 'Access denied',
      enableTouch: true,
    },
  },
  /** Missing permission (accessDeniedResponse). */
  forbidden: {
    status: 403,
    body: {
      account: 'viewer',
      role: 'application_manager, incident_manager',
      isPermitted: false,
      hasRole: true,
      isAuthenticated: true,
      forcePasswordChange: false,
      accessToken: 'd6a1a5e2-6b4f-4f2e-9a53-3b1f0c1e4c10',
      message: 'Access denied',
      enableTouch: true,
    },
  },
  /** An idle session (responseStatusJSError(SessionNotExistException)). */
  sessionExpired: {
    status: 440,
    body: {
      isPermitted: false,
      hasRole: false,
      isAuthenticated: false,
      forcePasswordChange: false,
      message: "SessionNotExistException: Session doesn't exist",
      enableTouch: true,
    },
  },
  /** A 420 that means the session is gone; JOC's own UI treats it as a timeout. */
  lostSession: {
    status: 420,
    body: {
      deliveryDate: '2026-12-01T10:00:00.000+00:00',
      surveyDate: '2026-12-01T10:00:00.000+00:00',
      error: {
        code: 'JOC-420',
        message: 'UnknownSessionException: There is no session with id [d6a1a5e2]',
      },
    },
  },
  /** Our `/profile/key/check` on a real JOC: Jersey's default 404 (HTML, not JSON). */
  noCheck: {
    status: 404,
    body: '<html><body><h1>Not Found</h1></body></html>',
  },
} as const;

/** `/authentication/login` answers (HTTP 200). */
export const REAL_JOC_LOGINS = {
  /** A password login: the token in the header and body, role a comma-joined string. */
  password: {
    account: 'root',
    role: 'all, administrator',
    isPermitted: false,
    hasRole: true,
    isApprover: false,
    isApprovalRequestor: false,
    isAuthenticated: true,
    forcePasswordChange: false,
    accessToken: 'd6a1a5e2-6b4f-4f2e-9a53-3b1f0c1e4c10',
    sessionTimeout: 1800000,
    enableTouch: true,
    identityService: 'JOC:JOC',
  },
  /** The first factor passed; the second factor (FIDO, ...) is asked by JOC's own login page. */
  secondFactor: {
    account: 'root',
    isPermitted: false,
    hasRole: false,
    isAuthenticated: true,
    forcePasswordChange: false,
    accessToken: '',
    message: 'Second factor needed',
    secondFactoridentityService: 'FIDO-2FA',
    enableTouch: true,
  },
  /** The password must be changed first (JOC's own UI asks for a new one). */
  forcePasswordChange: {
    account: 'root',
    role: 'administrator',
    isPermitted: false,
    hasRole: true,
    isAuthenticated: true,
    forcePasswordChange: true,
    accessToken: '5f0c1e4c-6b4f-4f2e-9a53-3b1fd6a1a5e2',
    sessionTimeout: 1800000,
    enableTouch: true,
    identityService: 'JOC:JOC',
  },
} as const;

/** `/authentication/logout`: an account object, not `{ok}`. */
export const REAL_JOC_LOGOUT = {
  account: 'root',
  isPermitted: false,
  hasRole: false,
  isApprover: false,
  isApprovalRequestor: false,
  isAuthenticated: false,
  forcePasswordChange: false,
  accessToken: '',
  enableTouch: true,
} as const;

/** `/joc/properties` of a JOC Cockpit 2.9 (more fields than the console reads; no embeddedServer). */
export const REAL_JOC_PROPERTIES = {
  deliveryDate: '2026-12-01T10:00:00.000+00:00',
  apiVersion: '2.9.0',
  title: 'JS7 JOC Cockpit',
  securityLevel: 'LOW',
  defaultProfileAccount: 'root',
  forceCommentsForAuditLog: false,
  comments: ['System maintenance', 'Configuration change'],
  showViews: {},
} as const;
