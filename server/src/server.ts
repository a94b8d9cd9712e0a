/**
 * Starts the embedded server: reads the environment and `JOC_DATA_DIR/joc.json`, then listens.
 * A configuration error prints one line naming the file and the problem, and exits 1.
 *
 * Environment: PORT (4446), HOST (127.0.0.1), JOC_DATA_DIR (./data), LOG_LEVEL (info),
 * JOC_SECURITY_LEVEL, JOC_DEFAULT_PROFILE_ACCOUNT, JOC_FORCE_COMMENTS.
 *
 * With JOC_URL (or `jocUrl` in joc.json) it serves the console against that JOC Cockpit instead
 * (proxy/app.ts; TLS: JOC_CA_FILE, JOC_CLIENT_CERT, JOC_CLIENT_KEY, JOC_INSECURE_TLS).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { logLevel, serverLogger } from './http/logging';
import { consoleIndex } from './http/console-page';
import { ConfigError, defaultAccountWarning, loadConfig } from './config';
import { buildProxyApp } from './proxy/app';
import { loadJocTarget } from './proxy/settings';
import { DATABASE_FILE } from './store/database';
import { parsePort, plainHttpWarning } from './listening';

/** The repository root: the nearest folder up from here holding package.json. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

async function main(): Promise<void> {
  const env = process.env;
  const port = parsePort(env['PORT']);
  const host = env['HOST'] || '127.0.0.1';
  const level = logLevel(env['LOG_LEVEL']);
  const dataDir = resolve(env['JOC_DATA_DIR'] || './data');
  const staticDir = join(projectRoot(), 'dist', 'joc-keys', 'browser');
  const target = loadJocTarget(dataDir, env);
  if (target) {
    const proxy = await buildProxyApp({
      target,
      staticDir,
      logger: serverLogger(level),
    });
    const tls = [
      target.files.ca && `trusting the CA file ${target.files.ca}`,
      target.files.clientCert && `with the client certificate ${target.files.clientCert}`,
    ].filter(Boolean);
    proxy.log.info(
      `console for JOC Cockpit at ${target.url}${tls.length ? ` (${tls.join(', ')})` : ''}: ` +
        `/joc/api is forwarded there; no accounts, keys or sessions are kept here; ` +
        `console ${consoleIndex(staticDir) ? `from ${staticDir}` : 'not built (API only)'}`,
    );
    const plainHttp = plainHttpWarning(host, 'proxy');
    if (plainHttp) proxy.log.warn(plainHttp);
    await listenUntilStopped(proxy, port, host);
    return;
  }
  // A joc.json without its database is a database lost or moved: the server makes a new, empty one.
  const databaseFile = join(dataDir, DATABASE_FILE);
  const databaseMissing = existsSync(join(dataDir, 'joc.json')) && !existsSync(databaseFile);
  const loaded = await loadConfig(dataDir, env);
  const app = await buildApp({
    dataDir,
    config: loaded.config,
    staticDir,
    logger: serverLogger(level),
  });
  if (loaded.note === 'created')
    app.log.info(
      `created ${loaded.file} with the default account root (password "root"): change it`,
    );
  if (loaded.note === 'passwords-hashed')
    app.log.info(
      `replaced plain passwords in ${loaded.file}${
        loaded.writtenTo ? ` (in ${loaded.writtenTo}, which it links to)` : ''
      } by scrypt hashes`,
    );
  if (databaseMissing)
    app.log.warn(
      `created a new, empty database ${databaseFile}: ${join(dataDir, 'joc.json')} exists but the ` +
        'database did not, so no keys, CA or audit log are stored (as expected on a first start ' +
        'with a joc.json of your own); if there were, stop the server and restore the database ' +
        'from a backup (README, "Backup and restore")',
    );
  const noAccount = defaultAccountWarning(
    loaded.config,
    env['JOC_DEFAULT_PROFILE_ACCOUNT']?.trim()
      ? 'environment JOC_DEFAULT_PROFILE_ACCOUNT'
      : `"defaultProfileAccount" in ${loaded.file}`,
  );
  if (noAccount) app.log.warn(noAccount);
  const folderMode = statSync(dataDir).mode & 0o777;
  if (folderMode & 0o077) {
    app.log.warn(
      `the data folder ${dataDir} is open to other users (mode ${folderMode.toString(8)}): ` +
        `the database is readable by this user alone, but chmod 700 the folder to keep its files private`,
    );
  }
  app.log.info(
    `security level ${loaded.config.securityLevel}, default profile account ${loaded.config.defaultProfileAccount}, ` +
      `data in ${dataDir}, console ${consoleIndex(staticDir) ? `from ${staticDir}` : 'not built (API only)'}`,
  );
  const plainHttp = plainHttpWarning(host, 'embedded');
  if (plainHttp) app.log.warn(plainHttp);
  await listenUntilStopped(app, port, host);
}

/**
 * How long a stop waits for requests in progress. Fastify's close waits for them without limit,
 * and a JOC Cockpit that does not answer holds a proxied request for the answer timeout (a
 * minute); a few seconds let ordinary calls finish, and the stop ends well within the 90 s after
 * which systemd kills a service.
 */
const STOP_GRACE_MS = 5_000;

/**
 * Listens; SIGINT and SIGTERM close the app and end the process. Requests still in progress after
 * {@link STOP_GRACE_MS} lose their connections; the same signal again ends the process at once
 * (each is handled once, then has its default effect).
 */
async function listenUntilStopped(app: FastifyInstance, port: number, host: string): Promise<void> {
  const shutdown = (signal: NodeJS.Signals) => {
    app.log.info(
      `${signal}: stopping; requests still in progress after ${STOP_GRACE_MS / 1000} s lose their connections`,
    );
    const cutOff = setTimeout(() => {
      app.server.closeAllConnections();
      // Anything else that still holds the close (a plugin's own wait) must not keep the process.
      setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
    }, STOP_GRACE_MS);
    cutOff.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port, host });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`joc-keys server: configuration error: ${error.message}`);
  } else {
    console.error(
      `joc-keys server: cannot start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  process.exit(1);
});
