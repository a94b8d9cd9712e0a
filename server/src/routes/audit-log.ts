/** `/audit_log`: who changed which key, newest first, as JOC Cockpit answers it (audit/auditLog). */
import type { FastifyPluginAsync } from 'fastify';
import type { AuditCategory, AuditLog, AuditLogFilter } from '../../../src/contract';
import { hasPermission } from '../auth/permissions';
import category from '../../../src/contract/joc-schemas/audit/category-schema.json';
import type { RouteContext } from './context';

/**
 * The fields of JOC's audit/auditLogFilter this server filters by. The others (controller, folders,
 * dates, ...) are answered JOC-420 by the closed schema rather than silently ignored.
 */
const AUDIT_LOG_FILTER = {
  type: 'object',
  properties: {
    categories: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', enum: category.enum },
    },
    account: { type: 'string', maxLength: 255 },
    limit: { type: 'integer', minimum: -1 },
  },
  additionalProperties: false,
};

/** The most entries one answer holds. */
export const MAX_ENTRIES = 10_000;

export function auditLogRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: AuditLogFilter }>(
      '/audit_log',
      { config: { access: 'view' }, schema: { body: AUDIT_LOG_FILTER } },
      async (request): Promise<AuditLog> => {
        const { account, limit } = request.body;
        // Refused logins and calls (IDENTITY) carry other people's addresses: an account that may
        // only view keys sees the key and CA changes, what the History panel shows.
        const viewOnly = !hasPermission(ctx.config, request.account, 'manage');
        const categories: AuditCategory[] | undefined = viewOnly
          ? (request.body.categories ?? ['CERTIFICATES']).filter((c) => c === 'CERTIFICATES')
          : request.body.categories?.slice();
        if (categories?.length === 0)
          return { deliveryDate: ctx.now().toISOString(), auditLog: [] };
        return {
          deliveryDate: ctx.now().toISOString(),
          auditLog: ctx.store.auditLog.list({
            categories,
            account,
            // JOC's default is 10000 entries and -1 means all of them; here one answer holds at
            // most 10000 too, since refused logins alone can fill the table without bound.
            limit: limit === undefined || limit === -1 ? MAX_ENTRIES : Math.min(limit, MAX_ENTRIES),
          }),
        };
      },
    );
  };
}
