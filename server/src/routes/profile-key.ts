/** `/profile/key...`: thin handlers over {@link SigningKeys} (contract §4, §6). */
import type { FastifyPluginAsync } from 'fastify';
import type {
  DeleteKeyRequest,
  GenerateKeyRequest,
  ImportKeyFilter,
  KeyCheckRequest,
  KeyCheckResponse,
  SetKeyRequest,
} from '../../../src/contract';
import { type DayNumber, zoneDayNumber } from '../../../src/pki/days';
import { invalid } from '../http/errors';
import { EMPTY_REQUEST, KEY_CHECK_REQUEST, requestSchema } from '../http/schemas';
import { formAudit, jsonField, readUpload, whileClientWaits } from '../http/upload';
import { KEY_CHECK_BUSY_MESSAGE, keyChecks } from '../keys/readiness';
import { okBody, type RouteContext } from './context';

/** The calendar of `timeZone` (undefined: UTC); a zone this runtime does not know is refused. */
function zoneDays(timeZone: string | undefined): DayNumber | undefined {
  if (timeZone === undefined) return undefined;
  try {
    return zoneDayNumber(timeZone);
  } catch {
    throw invalid(
      'JOC-420',
      `The time zone ${JSON.stringify(timeZone)} is not known: give an IANA zone such as Europe/Berlin.`,
    );
  }
}

export function profileKeyRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    const keys = ctx.signingKeys;
    const filterSchema = ctx.compile(requestSchema('publish/importKeyFilter-schema.json'));
    const auditSchema = ctx.compile(requestSchema('audit/auditParams-schema.json'));
    // The check signs a sample with the stored key on libuv's threads, where logins hash their
    // passwords, and any account with view may send it: it takes the same turns as RSA generation,
    // waiting ahead of generations (it takes milliseconds, they take seconds), so that
    // generations never keep it out.
    const checkTurns = keys.rsaTurns;

    app.post(
      '/profile/key',
      { config: { access: 'view' }, schema: { body: EMPTY_REQUEST } },
      async (request, reply) => {
        reply.header('content-type', 'application/json; charset=utf-8');
        return keys.showJson(request.account);
      },
    );

    app.post<{ Body: SetKeyRequest }>(
      '/profile/key/store',
      {
        config: { access: 'manage' },
        schema: { body: requestSchema('publish/setKeyFilter-schema.json') },
      },
      async (request) => {
        await keys.save(request.account, request.body);
        return okBody(ctx.now());
      },
    );

    app.post('/profile/key/import', { config: { access: 'manage' } }, async (request, reply) => {
      const upload = await readUpload(request, [
        'importKeyFilter',
        'password',
        'comment',
        'timeSpent',
        'ticketLink',
      ]);
      const filter = jsonField<ImportKeyFilter>(
        upload.fields,
        'importKeyFilter',
        filterSchema,
        true,
      )!;
      const audit = formAudit(upload.fields, filter.auditLog, auditSchema);
      await keys.importFile(request.account, upload.file.bytes, {
        keyAlgorithm: filter.keyAlgorithm,
        password: upload.fields['password'],
        name: upload.file.filename,
        audit,
        signal: whileClientWaits(reply),
      });
      return okBody(ctx.now());
    });

    // At HIGH keys are generated outside JOC Cockpit: the call does not exist (404).
    if (ctx.config.securityLevel !== 'HIGH') {
      app.post<{ Body: GenerateKeyRequest }>(
        '/profile/key/generate',
        {
          config: { access: 'manage' },
          schema: { body: requestSchema('publish/generateKey-schema.json') },
        },
        async (request, reply) =>
          keys.generate(request.account, request.body, whileClientWaits(reply)),
      );
    }

    app.post<{ Body: DeleteKeyRequest }>(
      '/profile/key/delete',
      {
        config: { access: 'manage' },
        schema: { body: requestSchema('publish/deleteKey-schema.json') },
      },
      async (request) => {
        await keys.remove(request.account, request.body);
        return okBody(ctx.now());
      },
    );

    // Ours: `{}` or `{warnDays, timeZone}` (the person's warning threshold, 60 days when not given;
    // the zone whose calendar dates count the days left, UTC when not given).
    app.post<{ Body: KeyCheckRequest }>(
      '/profile/key/check',
      { config: { access: 'view' }, schema: { body: KEY_CHECK_REQUEST } },
      async (request, reply): Promise<KeyCheckResponse> => {
        const dayNumber = zoneDays(request.body.timeZone);
        const turn = await checkTurns.take(whileClientWaits(reply), 'first');
        if (turn === 'busy') throw invalid('JOC-420', KEY_CHECK_BUSY_MESSAGE);
        if (turn === 'abandoned')
          throw invalid('JOC-420', 'The request ended before the key was checked.');
        try {
          const rules = keys.rules(request.account);
          const pair = ctx.store.keys.get(rules.owner, rules.level);
          return await keyChecks(
            pair,
            rules,
            ctx.store.keys.getCa(),
            ctx.now(),
            request.body.warnDays,
            dayNumber,
          );
        } finally {
          checkTurns.release();
        }
      },
    );
  };
}
