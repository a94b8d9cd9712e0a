/**
 * The validation benchmark's page script (bundled by esbuild with src/pki): times, in Chromium,
 * what the Update dialog does on each keystroke, and the WebCrypto floor under it.
 *   pair     readPrivateKey + readCertificate + keyMatchesCertificate
 *   check    checkSigningPair (the server's rules, also run by the dialog once both are read)
 *   dialog   one keystroke in the Update dialog's key field as the dialog is written now: the
 *            field's async validator (pemPrivateKeyValidator: readPrivateKey), then analyse():
 *            readPrivateKey + readCertificate + verifySigningPair on what was read
 *   floor    PEM → DER (atob) and crypto.subtle.importKey of the same PKCS#8 key: the platform's
 *            own cost of recognising the key, which any parser pays at least
 */
import {
  checkSigningPair,
  keyMatchesCertificate,
  readCertificate,
  readPrivateKey,
  verifySigningPair,
} from '../../src/pki';

type Variant = 'pair' | 'check' | 'dialog' | 'floor';

function pemBody(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function once(
  variant: Variant,
  keyPem: string,
  certPem: string,
  algorithm: 'RSA' | 'ECDSA',
): Promise<void> {
  if (variant === 'floor') {
    const params =
      algorithm === 'RSA'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: 'P-256' };
    await crypto.subtle.importKey('pkcs8', pemBody(keyPem) as BufferSource, params, true, ['sign']);
    return;
  }
  if (variant === 'pair') {
    const key = await readPrivateKey(keyPem);
    const cert = await readCertificate(certPem);
    if (!key.ok || !cert.ok || !keyMatchesCertificate(key.value, cert.value))
      throw new Error('the pair was not recognised');
  }
  if (variant === 'dialog') {
    const validated = await readPrivateKey(keyPem);
    const key = await readPrivateKey(keyPem);
    const cert = await readCertificate(certPem);
    if (!validated.ok || !key.ok || !cert.ok) throw new Error('the pair was not recognised');
    const verified = verifySigningPair(key.value, cert.value);
    if (!verified.ok) throw new Error(`verifySigningPair: ${verified.message}`);
  }
  if (variant === 'check') {
    const checked = await checkSigningPair({ privateKey: keyPem, certificate: certPem });
    if (!checked.ok) throw new Error(`checkSigningPair: ${checked.message}`);
  }
}

/** Runs `warmup` untimed then `iterations` timed rounds of each variant, interleaved. */
async function run(input: {
  keyPem: string;
  certPem: string;
  algorithm: 'RSA' | 'ECDSA';
  iterations: number;
  warmup: number;
}) {
  const variants: Variant[] = ['floor', 'pair', 'check', 'dialog'];
  const times: Record<Variant, number[]> = { floor: [], pair: [], check: [], dialog: [] };
  for (let i = 0; i < input.warmup; i++)
    for (const v of variants) await once(v, input.keyPem, input.certPem, input.algorithm);
  for (let i = 0; i < input.iterations; i++) {
    for (const v of variants) {
      const t0 = performance.now();
      await once(v, input.keyPem, input.certPem, input.algorithm);
      times[v].push(performance.now() - t0);
    }
  }
  return times;
}

(globalThis as unknown as { benchPki: unknown }).benchPki = { run };
