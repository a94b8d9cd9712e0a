/**
 * Another process writing the same SQLite file, for the concurrency tests. Two modes:
 *
 *   node --import tsx writer-child.ts <dataDir> <pairs.json>
 *     stores pairs through the API in a loop and prints the index of every committed call (stdout
 *     to a pipe is synchronous on Linux), until it is killed (the crash test);
 *
 *   node --import tsx writer-child.ts <dataDir> --commands
 *     reads one JSON command per line from stdin and prints "done" once it is committed:
 *     {"store": {"key", "cert"}}, {"delete": true} or {"logout": "<token>"} (the fresh-read test).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { buildApp } from '../src/app';
import { resolveConfig } from '../src/config';

type Command = { store: { key: string; cert: string } } | { delete: true } | { logout: string };

async function main(): Promise<void> {
  const [dataDir, mode] = process.argv.slice(2);
  // Two servers on one data directory read one joc.json: the same password hash as the test's
  // server, when it gives one (sessions are bound to the account's password and roles).
  const passwordHash = process.env['ROOT_PASSWORD_HASH'];
  const root = passwordHash
    ? { account: 'root', passwordHash, roles: ['administrator'] }
    : { account: 'root', password: 'root', roles: ['administrator'] };
  const { config } = await resolveConfig({ accounts: [root] }, { hashCost: { N: 1024 } });
  const app = await buildApp({ dataDir, config });
  const login = await app.inject({
    method: 'POST',
    url: '/joc/api/authentication/login',
    headers: { authorization: 'Basic ' + Buffer.from('root:root').toString('base64') },
  });
  const token = login.json().accessToken as string;
  const call = async (path: string, payload: object, as = token) => {
    const res = await app.inject({
      method: 'POST',
      url: `/joc/api/${path}`,
      headers: { 'x-access-token': as },
      payload,
    });
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  };
  const store = (pair: { key: string; cert: string }, comment: string) =>
    call('profile/key/store', {
      keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
      auditLog: { comment },
    });

  if (mode === '--commands') {
    process.stdout.write('ready\n');
    for await (const line of createInterface({ input: process.stdin })) {
      const command = JSON.parse(line) as Command;
      if ('store' in command) await store(command.store, 'from the other process');
      else if ('delete' in command) await call('profile/key/delete', {});
      else await call('authentication/logout', {}, command.logout);
      process.stdout.write('done\n');
    }
    await app.close();
    return;
  }

  const pairs = JSON.parse(readFileSync(mode, 'utf8')) as Array<{ key: string; cert: string }>;
  for (let i = 0; ; i++) {
    await store(pairs[i % pairs.length], `write ${i}`);
    process.stdout.write(`${i}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
