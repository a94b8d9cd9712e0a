/**
 * Request bodies: JSON (an empty body counts as {}, as JOC's "show" calls and login send none),
 * multipart uploads within the PKI core's size limit, and JSON schemas validated by ajv-draft-04
 * (schemas.ts). Broken or too deeply nested JSON is a JOC-420 whose message does not echo the body.
 */
import multipart from '@fastify/multipart';
import type { SchemaObject, ValidateFunction } from 'ajv-draft-04';
import { appWide } from './app-wide';
import { invalid } from './errors';
import { MAX_UPLOAD_BYTES } from './upload';

export interface BodiesOptions extends Record<string, unknown> {
  /** Compiles a route's schema (one validator factory for the routes and hand validation). */
  readonly compile: (schema: SchemaObject) => ValidateFunction;
}

/**
 * The deepest nesting a JSON body may have. JOC's request schemas nest four levels; V8 parses a
 * megabyte of `[[[[…` a hundred times slower than a flat one, on the event loop, and bodies are
 * parsed before anything else looks at them (login and unknown calls need no session).
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` nests objects or arrays deeper than `max`: one pass, strings skipped. */
export function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export const bodies = appWide<BodiesOptions>(async (app, { compile }) => {
  app.setValidatorCompiler(({ schema }) => compile(schema));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, {});
    if (nestsDeeper(text, MAX_JSON_DEPTH))
      return done(
        invalid('JOC-420', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`),
        undefined,
      );
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      done(
        invalid(
          'JOC-420',
          `The request body is not valid JSON${position ? ` (near character ${position})` : ''}.`,
        ),
        undefined,
      );
    }
  });
  await app.register(multipart, {
    limits: {
      fileSize: MAX_UPLOAD_BYTES,
      files: 1,
      fields: 8,
      parts: 10,
      fieldSize: 64 * 1024,
      headerPairs: 100,
    },
  });
  // A POST without any body counts as {}, like an empty JSON body.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && !request.isMultipart()) request.body = {};
    done();
  });
});
