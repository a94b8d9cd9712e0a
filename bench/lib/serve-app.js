'use strict';
/**
 * The embedded server as `npm run server` runs it (the tsc output of server/src, compiled by
 * the benchmark into bench/.out/server), serving the benchmark's production build of the
 * console. No request logging (as in production at LOG_LEVEL=warn). Env: PORT, HOST,
 * JOC_DATA_DIR, BENCH_STATIC_DIR.
 */
const { join } = require('node:path');
const { buildApp } = require(join(__dirname, '..', '.out', 'server', 'server', 'src', 'app.js'));

async function main() {
  const app = await buildApp({ dataDir: process.env.JOC_DATA_DIR, staticDir: process.env.BENCH_STATIC_DIR });
  const close = () => app.close().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  await app.listen({ port: Number(process.env.PORT), host: process.env.HOST || '127.0.0.1' });
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
