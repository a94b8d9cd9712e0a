/**
 * The one place where failures become JOC answers: {@link ApiError} for our own refusals,
 * {@link failureToApiError} for the PKI core's reasons, and {@link apiErrorHandler} that maps
 * everything else (schema violations, bad JSON, oversized bodies, multipart limits, bugs) to the
 * envelope `{deliveryDate, surveyDate, error: {code, message}}`. Never a stack trace.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { TOO_LARGE_MESSAGE } from '../../../src/pki/pem';
import type { FailureReason } from '../../../src/pki/types';
import type { JocError420, JocErrorCode } from '../../../src/contract';
import { formatValidationErrors, type ValidationIssue } from './schemas';

/** A refusal with its HTTP status and JOC code; the message is for a person. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: JocErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (code: JocErrorCode, message: string) => new ApiError(420, code, message);
export const unauthenticated = (message = 'You are not logged in: log in first.') =>
  new ApiError(401, 'JOC-401', message);
export const sessionExpired = () =>
  new ApiError(440, 'JOC-440', 'Your session expired after a period of inactivity: log in again.');
export const forbidden = (permission: string) =>
  new ApiError(403, 'JOC-403', `Your account lacks the permission ${permission}.`);
export const notFound = (message: string) => new ApiError(404, 'JOC-404', message);

/** The only mapping from PKI failure reasons to JOC codes. */
export function codeForReason(reason: FailureReason): JocErrorCode {
  switch (reason) {
    case 'empty':
      return 'JOC-406';
    case 'public-key-not-private':
    case 'private-key-not-public':
    case 'unsupported-algorithm':
      return 'JOC-414';
    default:
      return 'JOC-411';
  }
}

/** A PKI failure as a 420 answer; the message is the PKI core's, unchanged. */
export function failureToApiError(failure: {
  readonly reason: FailureReason;
  readonly message: string;
}): ApiError {
  return invalid(codeForReason(failure.reason), failure.message);
}

/** A PKI result's value; its failure as the ApiError to throw. */
export function orThrow<T>(
  result:
    | { readonly ok: true; readonly value: T }
    | { readonly ok: false; readonly reason: FailureReason; readonly message: string },
): T {
  if (!result.ok) throw failureToApiError(result);
  return result.value;
}

/** The error envelope body. */
export function errorBody(now: Date, code: string, message: string): JocError420 {
  const iso = now.toISOString();
  return { deliveryDate: iso, surveyDate: iso, error: { code, message } };
}

const BODY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty: send a JSON object, e.g. {}.',
  FST_ERR_CTP_BODY_TOO_LARGE: TOO_LARGE_MESSAGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'Unsupported Content-Type: send application/json (or multipart/form-data for imports).',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'This call expects multipart/form-data with a "file" field.',
  FST_FILES_LIMIT: 'Upload one file per call.',
  FST_PARTS_LIMIT:
    'Too many form fields: send file, importKeyFilter, password, comment, timeSpent and ticketLink only.',
  FST_FIELDS_LIMIT:
    'Too many form fields: send file, importKeyFilter, password, comment, timeSpent and ticketLink only.',
  FST_PROTO_VIOLATION:
    'The request body contains a forbidden property name (__proto__ or constructor).',
};

/** Maps any error to the envelope. Registered once with `setErrorHandler`. */
export function apiErrorHandler(now: () => Date) {
  return function handle(
    this: unknown,
    error: FastifyError | ApiError | Error,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    let status: number;
    let code: string;
    let message: string;
    const fe = error as FastifyError & { validation?: ValidationIssue[] };
    if (error instanceof ApiError) {
      ({ statusCode: status, code, message } = error);
    } else if (fe.validation) {
      status = 420;
      code = 'JOC-420';
      message = formatValidationErrors(fe.validation);
    } else if (fe.code === 'FST_REQ_FILE_TOO_LARGE') {
      status = 420;
      code = 'JOC-411';
      message = TOO_LARGE_MESSAGE;
    } else if (fe.code && fe.code in BODY_ERRORS) {
      status = 420;
      code = 'JOC-420';
      message = BODY_ERRORS[fe.code];
    } else if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      status = 420;
      code = 'JOC-420';
      message = `The request body is not valid JSON (${error.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'$/, 'malformed')}).`;
    } else if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Any other client error Fastify or a plugin raised: its message never holds request data.
      status = 420;
      code = 'JOC-420';
      message = `The request was refused: ${error.message}.`;
    } else {
      status = 500;
      code = 'JOC-500';
      message = 'Internal error; the server log has the details.';
      // Only the error, never the request body: it may hold key material.
      request.log.error({ err: error }, 'request failed');
    }
    reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBody(now(), code, message));
  };
}
