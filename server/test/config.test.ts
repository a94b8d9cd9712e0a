/** joc.json: defaults written, plain passwords hashed, clear errors, environment overrides. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, DEFAULT_CONFIG, loadConfig, resolveConfig } from '../src/config';
import { verifyPassword } from '../src/auth/password';
import { ROOT, tempDir } from './helpers';

const dirs: string[] = [];
const fresh = () => {
  const d = tempDir('joc-config-');
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function configError(raw: unknown, env: Record<string, string> = {}): Promise<string> {
  const dir = fresh();
  writeFileSync(join(dir, 'joc.json'), typeof raw === 'string' ? raw : JSON.stringify(raw));
  try {
    await loadConfig(dir, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the configuration to be refused');
}

const valid = () => JSON.parse(JSON.stringify(DEFAULT_CONFIG));

describe('joc.json', () => {
  it('is written with the contract defaults when absent, the data dir created, the password hashed', async () => {
    const dir = join(fresh(), 'nested', 'data');
    const loaded = await loadConfig(dir, {});
    assert.equal(loaded.note, 'created');
    const written = JSON.parse(readFileSync(join(dir, 'joc.json'), 'utf8'));
    assert.equal(written.securityLevel, 'LOW');
    assert.equal(written.defaultProfileAccount, 'root');
    assert.equal(written.forceCommentsForAuditLog, false);
    assert.deepEqual(written.comments, ['Certificate renewal', 'Key rotation']);
    assert.equal(written.sessionTimeoutSeconds, 900);
    assert.deepEqual(written.roles, DEFAULT_CONFIG.roles);
    assert.equal(written.accounts[0].account, 'root');
    assert.equal(written.accounts[0].password, undefined, 'no plain password on disk');
    assert.match(
      written.accounts[0].passwordHash,
      /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/,
    );
    assert.ok(await verifyPassword('root', written.accounts[0].passwordHash));
    assert.equal(statSync(join(dir, 'joc.json')).mode & 0o077, 0, 'readable by the owner only');
    assert.equal(loaded.config.securityLevel, 'LOW');
  });

  it('rewrites a plain password as an scrypt hash and keeps everything else', async () => {
    const dir = fresh();
    const raw = {
      ...valid(),
      securityLevel: 'MEDIUM',
      accounts: [{ account: 'ann', password: 'pä55 wörd', roles: ['viewer'] }],
    };
    writeFileSync(join(dir, 'joc.json'), JSON.stringify(raw));
    const loaded = await loadConfig(dir, {});
    assert.equal(loaded.note, 'passwords-hashed');
    const written = JSON.parse(readFileSync(join(dir, 'joc.json'), 'utf8'));
    assert.equal(written.securityLevel, 'MEDIUM');
    assert.deepEqual(Object.keys(written.accounts[0]).sort(), ['account', 'passwordHash', 'roles']);
    assert.ok(await verifyPassword('pä55 wörd', written.accounts[0].passwordHash));
    assert.ok(!(await verifyPassword('wrong', written.accounts[0].passwordHash)));
    // Loading again changes nothing.
    const before = readFileSync(join(dir, 'joc.json'), 'utf8');
    const again = await loadConfig(dir, {});
    assert.equal(again.note, undefined);
    assert.equal(readFileSync(join(dir, 'joc.json'), 'utf8'), before);
  });

  it('follows a symbolic link when it rewrites the file: the linked file is written, the link kept', async () => {
    const root = fresh();
    mkdirSync(join(root, 'cfg', 'real'), { recursive: true });
    mkdirSync(join(root, 'data'));
    const real = join(root, 'cfg', 'real', 'joc.json');
    const raw = {
      ...valid(),
      accounts: [{ account: 'ann', password: 'plainPW', roles: ['viewer'] }],
    };
    writeFileSync(real, JSON.stringify(raw));
    const link = join(root, 'data', 'joc.json');
    symlinkSync(join('..', 'cfg', 'real', 'joc.json'), link);
    const loaded = await loadConfig(join(root, 'data'), {});
    assert.equal(loaded.note, 'passwords-hashed');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is kept');
    const written = JSON.parse(readFileSync(real, 'utf8'));
    assert.equal(written.accounts[0].password, undefined, 'no plain password in the linked file');
    assert.ok(await verifyPassword('plainPW', written.accounts[0].passwordHash));
    assert.equal(statSync(real).mode & 0o077, 0, 'readable by the owner only');
    assert.deepEqual(
      readdirSync(join(root, 'cfg', 'real')),
      ['joc.json'],
      'no temporary file left',
    );
    assert.equal(loaded.writtenTo, real, 'named in the log line');
  });

  it('refuses a symbolic link to nothing rather than replace it by a new file', async () => {
    const dir = fresh();
    const link = join(dir, 'joc.json');
    symlinkSync('/nonexistent/joc.json', link);
    await assert.rejects(loadConfig(dir, {}), {
      name: 'ConfigError',
      message: `${link}: a symbolic link to /nonexistent/joc.json, which does not exist: create that file, or remove the link to have a new joc.json written`,
    });
    assert.ok(lstatSync(link).isSymbolicLink());
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['bad JSON', '{ "securityLevel": "LOW", }', /not valid JSON/],
    [
      'unknown level',
      { ...valid(), securityLevel: 'ULTRA' },
      /"securityLevel" must be one of LOW, MEDIUM, HIGH \(found "ULTRA"\)/,
    ],
    [
      'account without password',
      { ...valid(), accounts: [{ account: 'x', roles: [] }] },
      /account "x" needs exactly one of "password" or "passwordHash"/,
    ],
    [
      'unknown role',
      { ...valid(), accounts: [{ account: 'x', password: 'y', roles: ['wizard'] }] },
      /account "x" has the unknown role "wizard"/,
    ],
    ['unknown setting', { ...valid(), securitylevel: 'LOW' }, /unknown setting "securitylevel"/],
    ['no accounts', { securityLevel: 'LOW' }, /"accounts" is missing/],
    [
      'duplicate account',
      {
        ...valid(),
        accounts: [
          { account: 'a', password: 'b' },
          { account: 'a', password: 'c' },
        ],
      },
      /listed twice/,
    ],
    [
      'malformed hash',
      { ...valid(), accounts: [{ account: 'a', passwordHash: 'md5$abc' }] },
      /malformed "passwordHash"/,
    ],
    [
      'forceComments not boolean',
      { ...valid(), forceCommentsForAuditLog: 'yes' },
      /"forceCommentsForAuditLog" must be true or false/,
    ],
    [
      'timeout not a number',
      { ...valid(), sessionTimeoutSeconds: '900' },
      /"sessionTimeoutSeconds" must be a whole number/,
    ],
    ['top level not an object', '[1,2]', /top level must be a JSON object/],
    [
      'lifetime not a number',
      { ...valid(), sessionMaxLifetimeSeconds: '8h' },
      /"sessionMaxLifetimeSeconds" must be a whole number of seconds between 60 and 2592000/,
    ],
    [
      'lifetime too long',
      { ...valid(), sessionMaxLifetimeSeconds: 31 * 24 * 3600 },
      /"sessionMaxLifetimeSeconds" must be a whole number/,
    ],
    [
      'lifetime shorter than the idle timeout',
      { ...valid(), sessionTimeoutSeconds: 900, sessionMaxLifetimeSeconds: 600 },
      /"sessionMaxLifetimeSeconds" \(600\) must not be shorter than "sessionTimeoutSeconds" \(900\)/,
    ],
    [
      'trustProxy as a word',
      { ...valid(), trustProxy: 'yes' },
      /"trustProxy" lists the reverse proxy's addresses .*"yes" is not one/,
    ],
    [
      'trustProxy with a bad address',
      { ...valid(), trustProxy: ['127.0.0.1', '10.0.0.300'] },
      /"10\.0\.0\.300" is not one/,
    ],
    [
      'trustProxy with a malformed IPv6 address',
      { ...valid(), trustProxy: ['::1', '1:2'] },
      /"1:2" is not one/,
    ],
    [
      'trustProxy with a block wider than its family',
      { ...valid(), trustProxy: ['10.0.0.0/33'] },
      /"10\.0\.0\.0\/33" is not one/,
    ],
    ['trustProxy empty', { ...valid(), trustProxy: [] }, /the list is empty/],
    ['trustProxy hops', { ...valid(), trustProxy: 2 }, /addresses, not a number of hops/],
    ['trustProxy an object', { ...valid(), trustProxy: {} }, /"trustProxy" must be false, true/],
  ];
  for (const [name, raw, expected] of cases) {
    it(`refuses ${name} with a message naming the file and the problem`, async () => {
      const message = await configError(raw);
      assert.match(message, /joc\.json: /);
      assert.match(message, expected);
    });
  }

  it('session lifetime and trustProxy: defaults written, values read', async () => {
    const dir = fresh();
    await loadConfig(dir, {});
    const written = JSON.parse(readFileSync(join(dir, 'joc.json'), 'utf8'));
    assert.equal(written.sessionMaxLifetimeSeconds, 28_800);
    assert.equal(written.trustProxy, false);
    const read = async (extra: Record<string, unknown>) =>
      (await resolveConfig({ ...valid(), ...extra }, { hashCost: { N: 1024 } })).config;
    const defaults = await read({});
    assert.equal(defaults.sessionMaxLifetimeSeconds, 28_800);
    assert.equal(defaults.trustProxy, false);
    // A file from before the setting, with a long idle timeout, stays valid.
    const older = valid();
    delete older.sessionMaxLifetimeSeconds;
    delete older.trustProxy;
    const long = (
      await resolveConfig({ ...older, sessionTimeoutSeconds: 86_400 }, { hashCost: { N: 1024 } })
    ).config;
    assert.equal(long.sessionMaxLifetimeSeconds, 86_400);
    assert.equal(long.trustProxy, false);
    assert.equal((await read({ sessionMaxLifetimeSeconds: 3600 })).sessionMaxLifetimeSeconds, 3600);
    assert.equal((await read({ trustProxy: true })).trustProxy, true);
    assert.deepEqual((await read({ trustProxy: '127.0.0.1, 10.0.0.0/8' })).trustProxy, [
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
    assert.deepEqual((await read({ trustProxy: ['loopback', '::1', 'fd00::/8'] })).trustProxy, [
      'loopback',
      '::1',
      'fd00::/8',
    ]);
  });

  it('applies JOC_SECURITY_LEVEL, JOC_DEFAULT_PROFILE_ACCOUNT and JOC_FORCE_COMMENTS over the file', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'joc.json'), JSON.stringify(valid()));
    const loaded = await loadConfig(dir, {
      JOC_SECURITY_LEVEL: 'high',
      JOC_DEFAULT_PROFILE_ACCOUNT: 'ops',
      JOC_FORCE_COMMENTS: 'true',
    });
    assert.equal(loaded.config.securityLevel, 'HIGH');
    assert.equal(loaded.config.defaultProfileAccount, 'ops');
    assert.equal(loaded.config.forceCommentsForAuditLog, true);
    // The file is not changed by the environment.
    assert.equal(JSON.parse(readFileSync(join(dir, 'joc.json'), 'utf8')).securityLevel, 'LOW');
  });

  it('refuses a bad environment value, naming the variable', async () => {
    await assert.rejects(
      resolveConfig(valid(), { env: { JOC_SECURITY_LEVEL: 'NONE' }, hashCost: { N: 1024 } }),
      /JOC_SECURITY_LEVEL: must be LOW, MEDIUM or HIGH/,
    );
    await assert.rejects(
      resolveConfig(valid(), { env: { JOC_FORCE_COMMENTS: 'maybe' }, hashCost: { N: 1024 } }),
      /JOC_FORCE_COMMENTS: must be true or false/,
    );
  });

  it('server.ts prints one line naming the file and the problem, and exits 1', () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'joc.json'), '{"securityLevel": "SUPER"');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'server', 'src', 'server.ts')],
      {
        env: { ...process.env, JOC_DATA_DIR: dir, PORT: '0' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(run.status, 1);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /configuration error: .*joc\.json: not valid JSON/);
  });
});
