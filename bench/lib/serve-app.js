'use strict';
/**
 * The embedded server as `npm run server` runs it (the tsc output of server/src, compiled by
 * the benchmark into bench/.out/server), serving the benchmark's production build of the
 * console. No request logging (as in production at LOG_LEVEL=warn). Env: PORT, HOST,
 * JOC_DATA_DIR, BENCH_STATIC_DIR.
 */
const { createHash } = require('node:crypto');
const { join } = require('node:path');

const SERVER = join(__dirname, '..', '.out', 'server');
const patches = (process.env.BENCH_PATCH || '').split(',').filter(Boolean);

/*
 * Diagnostic patches (never in the recorded run unless BENCH_PATCH is set; the table says so):
 * they try the fixes proposed for server/src without editing it, to measure their effect.
 *   touch       SessionRepository.use writes last_seen at most once per 10 s per session, instead of
 *               one synchronous=FULL SQLite write (WAL fsync) on every authenticated request
 *   cert-cache  readCertificate memoised by PEM text (as caching keyID/validUntil with the pair
 *               would do), instead of a pkijs parse of the stored certificate on every /profile/key
 */
if (patches.includes('touch')) {
  const { SessionRepository } = require(join(SERVER, 'server', 'src', 'store', 'sessions.js'));
  SessionRepository.prototype.use = function use(token, now, timeoutMs) {
    const hash = createHash('sha256').update(token, 'utf8').digest('base64url');
    const row = this.getStmt.get(hash);
    if (!row) return { state: 'unknown' };
    if (now - row.last_seen > timeoutMs) return { state: 'expired', account: row.account };
    if (now - row.last_seen > 10000) this.touchStmt.run(now, hash);
    return { state: 'active', account: row.account };
  };
}
if (patches.includes('cert-cache')) {
  const inspect = require(join(SERVER, 'src', 'pki', 'inspect.js'));
  const original = inspect.readCertificate;
  const cache = new Map();
  inspect.readCertificate = (input) => {
    if (typeof input !== 'string') return original(input);
    if (!cache.has(input)) {
      if (cache.size > 64) cache.clear();
      cache.set(input, original(input));
    }
    return cache.get(input);
  };
}

const { buildApp } = require(join(SERVER, 'server', 'src', 'app.js'));

async function main() {
  const app = await buildApp({
    dataDir: process.env.JOC_DATA_DIR,
    staticDir: process.env.BENCH_STATIC_DIR,
  });
  const close = () =>
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  await app.listen({ port: Number(process.env.PORT), host: process.env.HOST || '127.0.0.1' });
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
