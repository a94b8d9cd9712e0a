'use strict';
/**
 * Generation on the server vs OpenSSL, alternately in one loop (which goes first alternates):
 *   server   POST /profile/key/generate {keyAlgorithm} (the request's whole latency)
 *   openssl  `openssl genpkey` + `openssl req -x509 -new` for the same algorithm, as two processes
 *            (RSA 4096 / EC P-256, SHA-256, 365 days, the server's default subject)
 */
const { execFile } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { post, stats } = require('./common');

const exec = promisify(execFile);

const GENPKEY = {
  RSA: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  ECDSA: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
};

/** Makes a key and a self-signed certificate with OpenSSL; returns {key, cert} PEM. */
async function opensslPair(algorithm, dir, tag = 'pair') {
  const key = join(dir, `${tag}.key.pem`);
  const cert = join(dir, `${tag}.crt.pem`);
  const opts = { timeout: 120000 };
  await exec('openssl', ['genpkey', ...GENPKEY[algorithm], '-out', key], opts);
  await exec(
    'openssl',
    [
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      '/O=JS7/OU=JOC/CN=root',
      '-days',
      '365',
      '-sha256',
      '-out',
      cert,
    ],
    opts,
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

async function timeServer(url, token, algorithm) {
  const t0 = process.hrtime.bigint();
  const r = await post(url, '/profile/key/generate', { keyAlgorithm: algorithm }, token);
  const t = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 200 || r.body?.keyAlgorithm !== algorithm)
    throw new Error(`generate ${algorithm}: ${r.status} ${r.text.slice(0, 200)}`);
  return t;
}

async function timeOpenssl(algorithm, dir) {
  const t0 = process.hrtime.bigint();
  await opensslPair(algorithm, dir, 'gen');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** @param {{url: string, token: string, dir: string, iterations: {RSA: number, ECDSA: number}, deadlineMs: number}} o */
async function benchGenerate(o) {
  const result = {};
  for (const algorithm of ['ECDSA', 'RSA']) {
    const server = [];
    const openssl = [];
    const deadline = Date.now() + o.deadlineMs;
    await timeServer(o.url, o.token, algorithm); // warm-up (not counted)
    await timeOpenssl(algorithm, o.dir);
    for (let i = 0; i < o.iterations[algorithm] && Date.now() < deadline; i++) {
      if (i % 2) {
        openssl.push(await timeOpenssl(algorithm, o.dir));
        server.push(await timeServer(o.url, o.token, algorithm));
      } else {
        server.push(await timeServer(o.url, o.token, algorithm));
        openssl.push(await timeOpenssl(algorithm, o.dir));
      }
    }
    result[algorithm] = { server: stats(server), openssl: stats(openssl) };
  }
  return result;
}

module.exports = { benchGenerate, opensslPair };
