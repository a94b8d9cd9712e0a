/** Marks a plugin as app-wide, as `fastify-plugin` does: its hooks and parsers apply to every route. */
import type { FastifyPluginAsync } from 'fastify';

export function appWide<Options extends Record<string, unknown>>(
  plugin: FastifyPluginAsync<Options>,
): FastifyPluginAsync<Options> {
  // Fastify's documented escape from encapsulation (what fastify-plugin sets).
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}
