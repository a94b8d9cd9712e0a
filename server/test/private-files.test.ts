/**
 * What stays private on disk and after logout: the database (private keys) and its WAL files are
 * readable by the server's user alone; a logout ends its session whatever its body holds; a
 * session ends when its account's password or roles change.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../src/store';
import { DATABASE_FILE } from '../src/store/database';
import { resolveConfig } from '../src/config';
import { TEST_CONFIG, tempDir, testApp } from './helpers';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('private files', () => {
  it('the database and its -wal and -shm files are 0600, in a folder open to others too', () => {
    const dir = tempDir('joc-modes-');
    try {
      const open = join(dir, 'open');
      mkdirSync(open, { mode: 0o755 });
      chmodSync(open, 0o755);
      const store = openStore(open);
      store.sessions.create('root', Date.now());
      for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) {
        const file = join(open, name);
        assert.ok(existsSync(file), name);
        assert.equal(mode(file).toString(8), '600', name);
      }
      store.close();
      // A database made before (0644) is made private when the server opens it.
      chmodSync(join(open, DATABASE_FILE), 0o644);
      writeFileSync(join(open, `${DATABASE_FILE}-shm`), '');
      chmodSync(join(open, `${DATABASE_FILE}-shm`), 0o644);
      openStore(open).close();
      assert.equal(mode(join(open, DATABASE_FILE)).toString(8), '600');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logout ends the session whatever the body: an unknown field, broken JSON', async () => {
    const t = await testApp();
    try {
      for (const payload of ['{"unknown": 1}', '{broken']) {
        const token = await t.login('root');
        await t.app.inject({
          method: 'POST',
          url: '/joc/api/authentication/logout',
          headers: { 'x-access-token': token, 'content-type': 'application/json' },
          payload,
        });
        assert.equal((await t.post('joc/properties', token)).statusCode, 401, payload);
      }
    } finally {
      await t.close();
    }
  });
});

describe('sessions outlive no change of their account', () => {
  const withRoot = (root: Record<string, unknown>) =>
    resolveConfig(
      {
        ...TEST_CONFIG,
        accounts: [root, ...TEST_CONFIG.accounts.filter((a) => a.account !== 'root')],
      },
      { hashCost: { N: 1024 } },
    ).then((resolved) => resolved.config);

  it('a restart with another password or other roles ends the sessions made before', async () => {
    const dir = tempDir('joc-restart-');
    try {
      const first = await withRoot({ account: 'root', password: 'root', roles: ['administrator'] });
      const root = first.accounts.find((a) => a.account === 'root')!;
      let t = await testApp({ dir, extra: { config: first } });
      const token = await t.login('root');
      await t.close();

      // The same joc.json again (its hash as written): the session goes on.
      t = await testApp({ dir, extra: { config: first } });
      assert.equal((await t.post('joc/properties', token)).statusCode, 200);
      const other = await t.login('root');
      await t.close();

      // Only the roles changed.
      const roles = await withRoot({
        account: 'root',
        passwordHash: root.passwordHash,
        roles: ['viewer'],
      });
      t = await testApp({ dir, extra: { config: roles } });
      const refused = await t.post('joc/properties', token);
      assert.equal(refused.statusCode, 401);
      assert.match(refused.json().message ?? refused.json().error?.message, /changed/);
      await t.close();

      // A new password (the same word hashed again counts as new: joc.json changed).
      t = await testApp({
        dir,
        extra: {
          config: await withRoot({ account: 'root', password: 'new', roles: ['administrator'] }),
        },
      });
      assert.equal((await t.post('joc/properties', other)).statusCode, 401);
      assert.equal((await t.post('joc/properties', await t.login('root', 'new'))).statusCode, 200);
      await t.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
