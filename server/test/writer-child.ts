/**
 * Child process for the crash test: stores pairs through the API in a loop and prints the index
 * of every committed call (stdout to a pipe is synchronous on Linux), until it is killed.
 * Usage: node --import tsx writer-child.ts <dataDir> <pairs.json>
 */
import { readFileSync } from 'node:fs';
import { buildApp } from '../src/app';
import { resolveConfig } from '../src/config';

async function main(): Promise<void> {
  const [dataDir, pairsFile] = process.argv.slice(2);
  const pairs = JSON.parse(readFileSync(pairsFile, 'utf8')) as Array<{ key: string; cert: string }>;
  const { config } = await resolveConfig({ accounts: [{ account: 'root', password: 'root', roles: ['administrator'] }] }, { hashCost: { N: 1024 } });
  const app = await buildApp({ dataDir, config });
  const login = await app.inject({ method: 'POST', url: '/joc/api/authentication/login', headers: { authorization: 'Basic ' + Buffer.from('root:root').toString('base64') } });
  const token = login.json().accessToken as string;
  for (let i = 0; ; i++) {
    const pair = pairs[i % pairs.length];
    const res = await app.inject({
      method: 'POST',
      url: '/joc/api/profile/key/store',
      headers: { 'x-access-token': token },
      payload: { keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' }, auditLog: { comment: `write ${i}` } },
    });
    if (res.statusCode !== 200) throw new Error(res.body);
    process.stdout.write(`${i}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
