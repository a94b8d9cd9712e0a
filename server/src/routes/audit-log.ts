/** `/audit_log`: who changed which key, newest first. */
import type { FastifyPluginAsync } from 'fastify';
import type { AuditLogRequest, AuditLogResponse } from '../../../src/contract';
import type { RouteContext } from './context';

const AUDIT_LOG_REQUEST = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } },
  additionalProperties: false,
};

export function auditLogRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: AuditLogRequest }>(
      '/audit_log',
      { config: { access: 'view' }, schema: { body: AUDIT_LOG_REQUEST } },
      async (request): Promise<AuditLogResponse> => ({
        auditLog: ctx.store.auditLog.list(request.body.limit ?? 1000),
      }),
    );
  };
}
