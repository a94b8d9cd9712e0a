/**
 * Starts the real embedded server for one test file: a temp JOC_DATA_DIR (with an optional
 * joc.json), a free port, its own process group so that stopping it leaves nothing behind.
 * With `jocUrl` it starts as `JOC_URL=… npm start` does: the console against that JOC Cockpit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningServer {
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const probe = createServer();
    probe.once('error', rej);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => res(port));
    });
  });
}

async function waitForServer(
  url: string,
  child: ChildProcess,
  output: () => string,
  proxy = false,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output()}`);
    try {
      // Against a JOC Cockpit the API's answer is JOC's (or a 502 when it is down): ask for a page.
      const answer = proxy
        ? await fetch(`${url}/login`)
        : await fetch(`${url}/joc/api/joc/properties`, { method: 'POST' });
      if (answer.status === (proxy ? 200 : 401)) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start within 30 s: ${output()}`);
}

/** The joc.json accounts and levels used by the specs (plain passwords; the server hashes them). */
export function jocConfig(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    securityLevel: 'LOW',
    defaultProfileAccount: 'root',
    forceCommentsForAuditLog: false,
    comments: ['Certificate renewal', 'Key rotation'],
    sessionTimeoutSeconds: 900,
    roles: {
      administrator: ['sos:products:joc:administration'],
      viewer: ['sos:products:joc:administration:certificates:view'],
    },
    accounts: [{ account: 'root', password: 'root', roles: ['administrator'] }],
    ...overrides,
  };
}

export interface StartOptions {
  /** JOC_URL: serve the console against this JOC Cockpit (no joc.json is written then). */
  readonly jocUrl?: string;
  /** More environment, e.g. JOC_CA_FILE. */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with the server's output when it stops (e.g. to check its log). */
  readonly onOutput?: (output: string) => void;
}

export async function startServer(
  config: Record<string, unknown> | undefined,
  options: StartOptions = {},
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'joc-e2e-'));
  if (config) writeFileSync(join(dataDir, 'joc.json'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      JOC_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...(options.jocUrl ? { JOC_URL: options.jocUrl } : {}),
      ...options.env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    options.onOutput?.(log);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForServer(url, child, () => log, !!options.jocUrl);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, dataDir, stop };
}
