/**
 * Request schemas, derived from JOC Cockpit's own draft-04 schemas (src/contract/joc-schemas):
 * `$ref`s inlined, jsonschema2pojo's `extends` merged (properties and required), and every object
 * closed (`additionalProperties: false`) so unknown fields are answered JOC-420. Validated with
 * ajv-draft-04, without type coercion, defaults or property removal.
 */
import { posix } from 'node:path';
import Ajv, { type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv-draft-04';
import auditParams from '../../../src/contract/joc-schemas/audit/auditParams-schema.json';
import error from '../../../src/contract/joc-schemas/common/error-schema.json';
import error420 from '../../../src/contract/joc-schemas/common/error420-schema.json';
import nonNegativeInteger from '../../../src/contract/joc-schemas/common/nonNegativeInteger-schema.json';
import ok from '../../../src/contract/joc-schemas/common/ok-schema.json';
import string255 from '../../../src/contract/joc-schemas/common/string255-schema.json';
import timestamp from '../../../src/contract/joc-schemas/common/timestamp-schema.json';
import deleteKey from '../../../src/contract/joc-schemas/publish/deleteKey-schema.json';
import generateCaFilter from '../../../src/contract/joc-schemas/publish/generateCaFilter-schema.json';
import generateKey from '../../../src/contract/joc-schemas/publish/generateKey-schema.json';
import importKeyFilter from '../../../src/contract/joc-schemas/publish/importKeyFilter-schema.json';
import importRootCaFilter from '../../../src/contract/joc-schemas/publish/importRootCaFilter-schema.json';
import setKey from '../../../src/contract/joc-schemas/publish/setKey-schema.json';
import setKeyFilter from '../../../src/contract/joc-schemas/publish/setKeyFilter-schema.json';
import setRootCa from '../../../src/contract/joc-schemas/publish/setRootCa-schema.json';
import jocKeyPair from '../../../src/contract/joc-schemas/sign/jocKeyPair-schema.json';

/** The JOC schema files this server uses, by path below joc-schemas/. */
const FILES: Readonly<Record<string, unknown>> = {
  'audit/auditParams-schema.json': auditParams,
  'common/error-schema.json': error,
  'common/error420-schema.json': error420,
  'common/nonNegativeInteger-schema.json': nonNegativeInteger,
  'common/ok-schema.json': ok,
  'common/string255-schema.json': string255,
  'common/timestamp-schema.json': timestamp,
  'publish/deleteKey-schema.json': deleteKey,
  'publish/generateCaFilter-schema.json': generateCaFilter,
  'publish/generateKey-schema.json': generateKey,
  'publish/importKeyFilter-schema.json': importKeyFilter,
  'publish/importRootCaFilter-schema.json': importRootCaFilter,
  'publish/setKey-schema.json': setKey,
  'publish/setKeyFilter-schema.json': setKeyFilter,
  'publish/setRootCa-schema.json': setRootCa,
  'sign/jocKeyPair-schema.json': jocKeyPair,
};

export type JocSchemaFile = keyof typeof FILES & string;

/** Keywords that are documentation or code generation only. */
const DROP = new Set([
  '$schema',
  'javaType',
  'javaEnumNames',
  'title',
  'description',
  'default',
  'extends',
  'id',
]);

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Inline `$ref`s, merge `extends`, and (when `closed`) close every object schema. */
export function deriveSchema(
  file: string,
  closed: boolean,
  trail: readonly string[] = [],
): SchemaObject {
  const raw = FILES[file];
  if (!isNode(raw)) throw new Error(`unknown JOC schema ${file}`);
  if (trail.includes(file)) throw new Error(`circular $ref ${[...trail, file].join(' -> ')}`);
  return transform(raw, posix.dirname(file), closed, [...trail, file]) as SchemaObject;
}

function transform(node: unknown, dir: string, closed: boolean, trail: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((x) => transform(x, dir, closed, trail));
  if (!isNode(node)) return node;
  if (typeof node['$ref'] === 'string')
    return deriveSchema(posix.normalize(posix.join(dir, node['$ref'])), closed, trail);
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key)) continue;
    if (key === 'properties' && isNode(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, transform(sub, dir, closed, trail)]),
      );
    } else if (['items', 'anyOf', 'allOf', 'oneOf', 'not', 'additionalProperties'].includes(key)) {
      out[key] = transform(value, dir, closed, trail);
    } else {
      out[key] = value;
    }
  }
  const ext = node['extends'];
  if (isNode(ext)) {
    const base = transform(ext, dir, closed, trail) as Node;
    out['properties'] = {
      ...(base['properties'] as Node | undefined),
      ...(out['properties'] as Node | undefined),
    };
    const required = new Set([
      ...((base['required'] as string[]) ?? []),
      ...((out['required'] as string[]) ?? []),
    ]);
    if (required.size) out['required'] = [...required];
  }
  if (closed && (out['type'] === 'object' || 'properties' in out))
    out['additionalProperties'] = false;
  return out;
}

/** A closed request schema derived from a JOC schema file. */
export const requestSchema = (file: JocSchemaFile): SchemaObject => deriveSchema(file, true);

/** `{}`: the body of every "show" call. */
export const EMPTY_REQUEST: SchemaObject = {
  type: 'object',
  properties: {},
  additionalProperties: false,
};

/** `/profile/key/check` (ours): `{}`, or the person's warning threshold in days and time zone. */
export const KEY_CHECK_REQUEST: SchemaObject = {
  type: 'object',
  properties: {
    warnDays: { type: 'integer', minimum: 0, maximum: 3650 },
    timeZone: { type: 'string', minLength: 1, maxLength: 64 },
  },
  additionalProperties: false,
};

/**
 * RFC 3339 date-time; JOC's timestamp schema also allows "" ("or empty"). The day must exist and
 * the hour be below 24: `Date.parse` moves 2030-02-31 to March 3 and 24:00 to the next day, so a
 * certificate would expire on another date than the one asked for.
 */
export function isDateTime(value: string): boolean {
  if (value === '') return true;
  const parts = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/i.exec(
    value,
  );
  if (!parts) return false;
  const [year, month, day, hour] = parts.slice(1, 5).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    days !== undefined && day >= 1 && day <= days && hour <= 23 && !Number.isNaN(Date.parse(value))
  );
}

/** One ajv instance for all request schemas: no coercion, no defaults, no removal. */
export function createValidatorFactory(): (schema: SchemaObject) => ValidateFunction {
  const ajv = new Ajv({
    allErrors: false,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    strict: false,
  });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  return (schema) => ajv.compile(schema);
}

export type ValidationIssue = Pick<ErrorObject, 'instancePath' | 'keyword' | 'params' | 'message'>;

function fieldName(path: string, child?: string): string {
  const parts = path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.join('.');
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a JSON object',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
};

/**
 * One sentence naming the field and the problem. `prefix` names where the JSON came from
 * (e.g. the multipart field "importKeyFilter").
 */
export function formatValidationErrors(
  issues: readonly ValidationIssue[],
  prefix?: string,
): string {
  const join = (name: string) => (prefix ? (name ? `${prefix}.${name}` : prefix) : name);
  const anyOf = issues.find((e) => e.keyword === 'anyOf');
  if (anyOf) {
    const options = issues
      .filter((e) => e.keyword === 'required' && e.instancePath === anyOf.instancePath)
      .map((e) => `"${join(fieldName(e.instancePath, String(e.params['missingProperty'])))}"`);
    if (options.length) return `Give at least one of ${options.join(' or ')}.`;
  }
  const e = issues.find((x) => x.keyword !== 'anyOf') ?? issues[0];
  if (!e) return 'The request does not match the schema.';
  const field = join(fieldName(e.instancePath));
  const subject = field ? `Field "${field}"` : prefix ? `"${prefix}"` : 'The request body';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `Unknown field "${join(fieldName(e.instancePath, String(p['additionalProperty'])))}": this call does not accept it.`;
    case 'required':
      return `Missing field "${join(fieldName(e.instancePath, String(p['missingProperty'])))}".`;
    case 'type':
      return `${subject} must be ${TYPE_WORDS[String(p['type'])] ?? String(p['type'])}.`;
    case 'maxLength':
      return `${subject} is too long: at most ${String(p['limit'])} characters.`;
    case 'minLength':
      return `${subject} is too short: at least ${String(p['limit'])} characters.`;
    case 'pattern':
      return `${subject} must not contain "<" or ">".`;
    case 'minimum':
      return `${subject} must be ${String(p['limit'])} or more.`;
    case 'maximum':
      return `${subject} must be ${String(p['limit'])} or less.`;
    case 'format':
      return `${subject} must be an ISO-8601 date-time such as 2027-12-31T23:59:59Z.`;
    case 'enum':
      return `${subject} must be one of ${((p['allowedValues'] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}.`;
    default:
      return `${subject} ${e.message ?? 'is not valid'}.`;
  }
}
