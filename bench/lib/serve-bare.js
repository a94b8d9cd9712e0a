'use strict';
/**
 * The API benchmark's floor: a bare Fastify 5 route answering POST /joc/api/profile/key with
 * the very JSON the embedded server returned for the stored pair (file BENCH_BODY_FILE), no
 * authentication, no hooks, no database. Env: PORT, HOST, BENCH_BODY_FILE.
 * A second route, POST /joc/api/profile/key/text, answers the same bytes as text serialised once
 * (what the embedded server does for its cached answer): the strict floor.
 */
const { readFileSync } = require('node:fs');
const Fastify = require('fastify');

async function main() {
  const text = readFileSync(process.env.BENCH_BODY_FILE, 'utf8');
  const body = JSON.parse(text);
  const app = Fastify({ logger: false });
  app.post('/joc/api/profile/key', async () => body);
  app.post('/joc/api/profile/key/text', async (_request, reply) => {
    reply.header('content-type', 'application/json; charset=utf-8');
    return text;
  });
  const close = () => app.close().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  await app.listen({ port: Number(process.env.PORT), host: process.env.HOST || '127.0.0.1' });
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
