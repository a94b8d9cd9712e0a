/**
 * The PKI core runs unchanged in Chromium: generation, reading, matching and JS7-style signing
 * with the browser's WebCrypto.
 */
import {
  checkSigningPair,
  generateSigningPair,
  readPrivateKey,
  signDocument,
  verifyDocument,
} from './index';

describe('src/pki in the browser', () => {
  it('generates a pair, reads it back, checks it and signs with it', async () => {
    const pair = await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=browser,OU=JOC,O=JS7',
      notAfter: new Date(Date.now() + 86_400_000 * 30),
    });
    if (!pair.ok) fail(pair.message);
    if (!pair.ok) return;
    const key = await readPrivateKey(pair.value.privateKey.pem.replace(/\n/g, '\r\n'));
    expect(key.ok && key.value.label).toBe('ECDSA P-256');
    const check = await checkSigningPair({
      privateKey: pair.value.privateKey.pem,
      certificate: pair.value.certificate.pem,
    });
    expect(check.ok).toBeTrue();
    const data = new TextEncoder().encode('workflow');
    expect(
      await verifyDocument(
        pair.value.certificate,
        data,
        await signDocument(pair.value.privateKey, data),
      ),
    ).toBeTrue();
  });

  it('gives the same specific message as on the server', async () => {
    const result = await readPrivateKey('-----BEGIN PRIVATE KEY-----\nMIGH\n');
    expect(result.ok).toBeFalse();
    expect(!result.ok && result.message).toBe(
      'The text is cut off: the "PRIVATE KEY" block has no "-----END PRIVATE KEY-----" line.',
    );
  });
});
