/**
 * The validation benchmark's loop in Node (diagnostics: run with --cpu-prof to see where the
 * time goes): node --import tsx bench/lib/validation-node.ts KEY.pem CERT.pem [iterations]
 */
import { readFileSync } from 'node:fs';
import {
  checkSigningPair,
  keyMatchesCertificate,
  readCertificate,
  readPrivateKey,
} from '../../src/pki';

async function main() {
  const [keyFile, certFile, n = '200'] = process.argv.slice(2);
  const keyPem = readFileSync(keyFile, 'utf8');
  const certPem = readFileSync(certFile, 'utf8');
  const steps: Record<string, () => Promise<unknown>> = {
    readPrivateKey: () => readPrivateKey(keyPem),
    readCertificate: () => readCertificate(certPem),
    match: async () => {
      const k = await readPrivateKey(keyPem);
      const c = await readCertificate(certPem);
      return k.ok && c.ok && keyMatchesCertificate(k.value, c.value);
    },
    checkSigningPair: () => checkSigningPair({ privateKey: keyPem, certificate: certPem }),
  };
  for (const [name, fn] of Object.entries(steps)) {
    for (let i = 0; i < 10; i++) await fn();
    const times: number[] = [];
    for (let i = 0; i < Number(n); i++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(18)} median ${times[times.length >> 1].toFixed(3)} ms  min ${times[0].toFixed(3)}`,
    );
  }
}
void main();
