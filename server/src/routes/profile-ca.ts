/** `/profile/ca...`: thin handlers over {@link SslCa} (contract §5). */
import type { FastifyPluginAsync } from 'fastify';
import type {
  GenerateCaRequest,
  ImportRootCaFilter,
  SetRootCaRequest,
} from '../../../src/contract';
import { hasPermission } from '../auth/permissions';
import { EMPTY_REQUEST, requestSchema } from '../http/schemas';
import { formAudit, jsonField, readUpload, whileClientWaits } from '../http/upload';
import { okBody, type RouteContext } from './context';

export function profileCaRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    const ca = ctx.sslCa;
    const filterSchema = ctx.compile(requestSchema('publish/importRootCaFilter-schema.json'));
    const auditSchema = ctx.compile(requestSchema('audit/auditParams-schema.json'));

    // The CA's private key signs every certificate: only accounts that may manage certificates see it.
    app.post(
      '/profile/ca',
      { config: { access: 'view' }, schema: { body: EMPTY_REQUEST } },
      async (request) => ca.show(hasPermission(ctx.config, request.account, 'manage')),
    );

    app.post<{ Body: GenerateCaRequest }>(
      '/profile/ca/generate',
      {
        config: { access: 'manage' },
        schema: { body: requestSchema('publish/generateCaFilter-schema.json') },
      },
      async (request) => ca.generate(request.account, request.body),
    );

    app.post<{ Body: SetRootCaRequest }>(
      '/profile/ca/store',
      {
        config: { access: 'manage' },
        schema: { body: requestSchema('publish/setRootCa-schema.json') },
      },
      async (request) => {
        await ca.save(request.account, request.body);
        return okBody(ctx.now());
      },
    );

    app.post('/profile/ca/import', { config: { access: 'manage' } }, async (request, reply) => {
      const upload = await readUpload(request, [
        'importRootCaFilter',
        'password',
        'comment',
        'timeSpent',
        'ticketLink',
      ]);
      const filter = jsonField<ImportRootCaFilter>(
        upload.fields,
        'importRootCaFilter',
        filterSchema,
        false,
      );
      const audit = formAudit(upload.fields, filter?.auditLog, auditSchema);
      await ca.importFile(request.account, upload.file.bytes, {
        password: upload.fields['password'],
        name: upload.file.filename,
        audit,
        signal: whileClientWaits(reply),
      });
      return okBody(ctx.now());
    });
  };
}
