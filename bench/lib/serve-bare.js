'use strict';
/**
 * The API benchmark's floor: a bare Fastify 5 route answering POST /joc/api/profile/key with
 * the very JSON the embedded server returned for the stored pair (file BENCH_BODY_FILE), no
 * authentication, no hooks, no database. Env: PORT, HOST, BENCH_BODY_FILE.
 */
const { readFileSync } = require('node:fs');
const Fastify = require('fastify');

async function main() {
  const body = JSON.parse(readFileSync(process.env.BENCH_BODY_FILE, 'utf8'));
  const app = Fastify({ logger: false });
  app.post('/joc/api/profile/key', async () => body);
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
