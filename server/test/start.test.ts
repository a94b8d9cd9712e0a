/**
 * `npm run server` as an operator starts it: the environment it reads (PORT, HOST), and what it
 * says at start. Each test starts server.ts in its own process group, against a JOC Cockpit
 * address (proxy mode: no database, nothing written) unless it needs the embedded server.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isLoopback, parsePort, plainHttpWarning } from '../src/listening';
import { ROOT, tempDir } from './helpers';

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Started {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** Ends the process group (when it still runs) and waits for it. */
  stop(): Promise<void>;
}

/** Starts server.ts with `env` added to this environment (PORT, HOST, JOC_* of the caller's). */
function startServer(env: Record<string, string>): Started {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) if (/^(PORT|HOST|JOC_)/.test(name)) delete clean[name];
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join('server', 'src', 'server.ts')], {
    cwd: ROOT,
    env: { ...clean, LOG_LEVEL: 'info', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        process.kill(-child.pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

/** Waits until the output matches `pattern` or the process ends; then returns the output. */
async function waitFor(started: Started, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 300; i++) {
    if (pattern.test(started.output())) return started.output();
    if (started.child.exitCode !== null) return started.output();
    await new Promise((r) => setTimeout(r, 100));
  }
  return started.output();
}

/** Proxy mode needs no database: the fastest start, and nothing is written. */
const PROXY = { JOC_URL: 'http://127.0.0.1:9' };
/**
 * A documentation address (RFC 5737) no interface has: listening there fails at once, and Node's
 * message names the port the server chose, without taking that port.
 */
const NOWHERE = '192.0.2.1';

/** What the server says when started with `PORT=port` on {@link NOWHERE}, once it has ended. */
async function portTried(port: string): Promise<{ code: number | null; output: string }> {
  const server = startServer({ ...PROXY, HOST: NOWHERE, PORT: port });
  try {
    const code = await server.exited;
    return { code, output: server.output() };
  } finally {
    await server.stop();
  }
}

describe('PORT', () => {
  it('set but empty or blank is the default 4446, not a random port', async () => {
    for (const port of ['', '  ']) {
      const { code, output } = await portTried(port);
      assert.equal(code, 1, output);
      assert.match(output, /cannot start: listen EADDRNOTAVAIL.*192\.0\.2\.1:4446/, output);
    }
  });

  it('other than decimal digits stops the start with one clear line', async () => {
    const { code, output } = await portTried('0x1f5a');
    assert.equal(code, 1, output);
    assert.equal(
      output.trim(),
      'joc-keys server: configuration error: environment PORT: not a port number ("0x1f5a")',
    );
  });

  it('reads decimal digits only', () => {
    assert.equal(parsePort(undefined), 4446);
    assert.equal(parsePort(''), 4446);
    assert.equal(parsePort(' '), 4446);
    assert.equal(parsePort('4962'), 4962);
    assert.equal(parsePort(' 4962 '), 4962);
    assert.equal(parsePort('0'), 0);
    assert.equal(parsePort('65535'), 65535);
    for (const bad of ['0x1f5a', '4962.0', '1e3', '-1', '+80', '65536', '123456', 'abc', '4 962'])
      assert.throws(
        () => parsePort(bad),
        { name: 'ConfigError', message: `environment PORT: not a port number ("${bad}")` },
        bad,
      );
  });
});

describe('HOST that serves other machines', () => {
  it('warns once at start that plain HTTP gives other machines no WebCrypto', async () => {
    const port = await freePort();
    const server = startServer({ ...PROXY, HOST: '0.0.0.0', PORT: String(port) });
    try {
      const output = await waitFor(server, /Server listening/);
      assert.match(output, /Server listening/, output);
      const warnings = output.split('\n').filter((l) => l.includes('plain HTTP'));
      assert.equal(warnings.length, 1, output);
      assert.match(warnings[0], /"level":40/);
      assert.match(warnings[0], /HOST=0\.0\.0\.0/);
      assert.match(warnings[0], /WebCrypto/);
      assert.match(warnings[0], /TLS reverse proxy/);
    } finally {
      await server.stop();
    }
  });

  it('says nothing of it on 127.0.0.1', async () => {
    const dataDir = tempDir('joc-start-');
    const port = await freePort();
    const embedded = startServer({ HOST: '127.0.0.1', PORT: String(port), JOC_DATA_DIR: dataDir });
    try {
      const output = await waitFor(embedded, /Server listening/);
      assert.match(output, /Server listening/, output);
      assert.doesNotMatch(output, /plain HTTP/);
    } finally {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('knows which addresses reach this machine alone', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'fe80::1', 'joc-keys.example.com'])
      assert.equal(isLoopback(host), false, host);
  });

  it('names trustProxy only where joc.json has it (the embedded server)', () => {
    assert.match(plainHttpWarning('0.0.0.0', 'embedded') ?? '', /"trustProxy" in joc\.json/);
    assert.doesNotMatch(plainHttpWarning('0.0.0.0', 'proxy') ?? '', /trustProxy/);
    assert.equal(plainHttpWarning('::1', 'embedded'), undefined);
  });
});

describe('stopping', () => {
  it('SIGTERM stops the server while a proxied call waits for a JOC that never answers', async () => {
    // A stand-in JOC Cockpit that accepts connections and never answers.
    const sockets = new Set<Socket>();
    let arrived: () => void = () => undefined;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const joc = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => arrived());
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => joc.listen(0, '127.0.0.1', resolve));
    const jocPort = (joc.address() as AddressInfo).port;
    const port = await freePort();
    const server = startServer({
      JOC_URL: `http://127.0.0.1:${jocPort}`,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    const abort = new AbortController();
    try {
      const output = await waitFor(server, /Server listening/);
      assert.match(output, /Server listening/, output);
      const pending = fetch(`http://127.0.0.1:${port}/joc/api/authentication/login`, {
        method: 'POST',
        headers: { authorization: 'Basic cm9vdDpyb290' },
        signal: abort.signal,
      }).catch(() => undefined);
      await received;
      process.kill(-(server.child.pid as number), 'SIGTERM');
      // Far beyond the grace period, far below the answer timeout and systemd's 90 s.
      const deadline = new Promise<'running'>((resolve) =>
        setTimeout(() => resolve('running'), 30_000).unref(),
      );
      const code = await Promise.race([server.exited, deadline]);
      assert.equal(code, 0, `after SIGTERM: ${String(code)}\n${server.output()}`);
      const stopping = server
        .output()
        .split('\n')
        .filter((l) => /stopping/.test(l));
      assert.equal(stopping.length, 1, server.output());
      assert.match(stopping[0], /SIGTERM: stopping/);
      await pending;
    } finally {
      abort.abort();
      await server.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => joc.close(resolve));
    }
  });
});

describe('the database', () => {
  it('warns, naming the file, when joc.json was there but joc.sqlite was not', async () => {
    const dataDir = tempDir('joc-start-db-');
    const database = join(dataDir, 'joc.sqlite');
    try {
      for (const expected of ['fresh', 'kept', 'lost'] as const) {
        if (expected === 'lost')
          for (const file of [database, `${database}-wal`, `${database}-shm`])
            rmSync(file, { force: true });
        const port = await freePort();
        const server = startServer({
          HOST: '127.0.0.1',
          PORT: String(port),
          JOC_DATA_DIR: dataDir,
        });
        try {
          const output = await waitFor(server, /Server listening/);
          assert.match(output, /Server listening/, output);
          const warnings = output.split('\n').filter((l) => l.includes('empty database'));
          if (expected === 'lost') {
            assert.equal(warnings.length, 1, output);
            assert.match(warnings[0], /"level":40/);
            assert.ok(warnings[0].includes(`created a new, empty database ${database}:`), output);
            assert.match(warnings[0], /Backup and restore/);
          } else {
            assert.deepEqual(warnings, [], `${expected}: ${output}`);
          }
        } finally {
          await server.stop();
        }
        assert.ok(existsSync(database));
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('LOG_LEVEL', () => {
  it('other than a pino level stops the start with one line naming LOG_LEVEL', async () => {
    const server = startServer({ ...PROXY, HOST: NOWHERE, LOG_LEVEL: 'verbose' });
    try {
      assert.equal(await server.exited, 1, server.output());
      assert.equal(
        server.output().trim(),
        'joc-keys server: configuration error: environment LOG_LEVEL: not a log level ("verbose"; one of fatal, error, warn, info, debug, trace, silent)',
      );
    } finally {
      await server.stop();
    }
  });
});

describe('the default profile account', () => {
  it('warns at start when it names none of the accounts in joc.json', async () => {
    const dataDir = tempDir('joc-start-dpa-');
    const jocJson = join(dataDir, 'joc.json');
    try {
      for (const [setting, env, expected] of [
        ['admin', {}, `"defaultProfileAccount" in ${jocJson}`],
        ['root', { JOC_DEFAULT_PROFILE_ACCOUNT: 'ops' }, 'environment JOC_DEFAULT_PROFILE_ACCOUNT'],
        ['root', {}, undefined],
      ] as const) {
        writeFileSync(
          jocJson,
          JSON.stringify({
            securityLevel: 'LOW',
            defaultProfileAccount: setting,
            accounts: [{ account: 'root', password: 'root', roles: ['administrator'] }],
            roles: { administrator: ['sos:products:joc:administration'] },
          }),
        );
        const port = await freePort();
        const server = startServer({
          HOST: '127.0.0.1',
          PORT: String(port),
          JOC_DATA_DIR: dataDir,
          ...env,
        });
        try {
          const output = await waitFor(server, /Server listening/);
          assert.match(output, /Server listening/, output);
          const warnings = output.split('\n').filter((l) => l.includes('is none of the accounts'));
          if (!expected) {
            assert.deepEqual(warnings, [], output);
            continue;
          }
          const name = 'JOC_DEFAULT_PROFILE_ACCOUNT' in env ? 'ops' : setting;
          assert.equal(warnings.length, 1, output);
          assert.match(warnings[0], /"level":40/);
          assert.equal(
            JSON.parse(warnings[0]).msg,
            `the default profile account "${name}" (${expected}) is none of the accounts in joc.json (root): ` +
              "at security level LOW every deployment is signed with that account's key and only that " +
              `account may manage it, so nobody can; name one of them, or add the account "${name}"`,
          );
        } finally {
          await server.stop();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a database that cannot be opened', () => {
  it('stops the start with a line naming the file', async () => {
    const dataDir = tempDir('joc-start-baddb-');
    try {
      writeFileSync(join(dataDir, 'joc.sqlite'), 'this is not an SQLite database, not at all.\n');
      const server = startServer({ HOST: NOWHERE, JOC_DATA_DIR: dataDir });
      try {
        assert.equal(await server.exited, 1, server.output());
        const lines = server.output().trim().split('\n');
        assert.equal(
          lines.at(-1),
          `joc-keys server: cannot start: ${join(dataDir, 'joc.sqlite')}: file is not a database`,
          server.output(),
        );
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
