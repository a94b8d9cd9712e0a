/**
 * Reads the multipart form of an import call: exactly one `file` (at most 1 MiB) and a fixed set
 * of text fields. Anything else is refused with JOC-420; an oversized file with JOC-411.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_INPUT_BYTES } from '../../../src/pki/pem';
import type { ValidateFunction } from 'ajv-draft-04';
import type { AuditParams } from '../../../src/contract';
import { ApiError, invalid } from './errors';
import { formatValidationErrors } from './schemas';

/** The largest file accepted (contract §8): the PKI core's input limit, so a larger file is refused before it is read. */
export const MAX_UPLOAD_BYTES = MAX_INPUT_BYTES;

export interface Upload {
  readonly file: { readonly bytes: Uint8Array; readonly filename: string };
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Aborted when the client goes away before its answer is sent: work done only for that answer
 * (decrypting the upload) then stops instead of holding a worker others wait for.
 */
export function whileClientWaits(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableEnded) gone.abort();
  });
  return gone.signal;
}

export async function readUpload(
  request: FastifyRequest,
  allowedFields: readonly string[],
): Promise<Upload> {
  if (!request.isMultipart()) {
    throw invalid(
      'JOC-420',
      'This call expects multipart/form-data with the key or certificate in a field named "file".',
    );
  }
  let file: Upload['file'] | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw invalid(
            'JOC-420',
            `Unknown file field "${part.fieldname}": send the file in a field named "file".`,
          );
        }
        if (file) {
          part.file.resume();
          throw invalid('JOC-420', 'Upload one file per call.');
        }
        file = { bytes: await part.toBuffer(), filename: part.filename };
      } else {
        if (!allowedFields.includes(part.fieldname)) {
          throw invalid(
            'JOC-420',
            `Unknown form field "${part.fieldname}": this call accepts file, ${allowedFields.join(', ')}.`,
          );
        }
        if (part.fieldname in fields)
          throw invalid('JOC-420', `The form field "${part.fieldname}" is given twice.`);
        if (part.valueTruncated || typeof part.value !== 'string') {
          throw invalid('JOC-420', `The form field "${part.fieldname}" is too long.`);
        }
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    // The multipart parser's own errors (no boundary, a wrong one, a body that ends early) are the
    // client's mistake: a 420 that names it, not an internal error. The plugin's limits carry a
    // status code and are answered by the error handler.
    if (
      error instanceof ApiError ||
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
    )
      throw error;
    throw invalid(
      'JOC-420',
      'The upload is not well-formed multipart/form-data (no boundary, a boundary the body does not use, or a body that ends early).',
    );
  }
  if (!file)
    throw invalid(
      'JOC-406',
      'No file was uploaded: send the key or certificate file in a field named "file".',
    );
  return { file, fields };
}

/** A JSON form field (`importKeyFilter`), parsed and validated against its closed schema. */
export function jsonField<T>(
  fields: Readonly<Record<string, string>>,
  name: string,
  validate: ValidateFunction,
  required: boolean,
): T | undefined {
  const text = fields[name];
  if (text === undefined || text.trim() === '') {
    if (required)
      throw invalid(
        'JOC-420',
        `Missing form field "${name}" (a JSON string such as {"keyAlgorithm":"ECDSA"}).`,
      );
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(
      'JOC-420',
      `The form field "${name}" is not valid JSON (expected e.g. {"keyAlgorithm":"ECDSA"}).`,
    );
  }
  if (!validate(value))
    throw invalid('JOC-420', formatValidationErrors(validate.errors ?? [], name));
  return value as T;
}

/**
 * The audit fields of a form (`comment`, `timeSpent`, `ticketLink`) over those of the JSON
 * filter's `auditLog`; validated against the closed auditParams schema.
 */
export function formAudit(
  fields: Readonly<Record<string, string>>,
  fromFilter: AuditParams | undefined,
  validate: ValidateFunction,
): AuditParams | undefined {
  const given: Record<string, unknown> = { ...fromFilter };
  if (fields['comment'] !== undefined) given['comment'] = fields['comment'];
  if (fields['ticketLink'] !== undefined) given['ticketLink'] = fields['ticketLink'];
  const spent = fields['timeSpent'];
  if (spent !== undefined && spent.trim() !== '') {
    if (!/^\s*\d{1,9}\s*$/.test(spent))
      throw invalid('JOC-420', 'Field "timeSpent" must be a whole number of minutes (0 or more).');
    given['timeSpent'] = Number(spent);
  }
  if (!validate(given)) throw invalid('JOC-420', formatValidationErrors(validate.errors ?? []));
  return given as AuditParams;
}
