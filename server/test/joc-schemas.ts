/**
 * JOC Cockpit's own schemas for tests (src/contract/joc-schemas), independent of the server's
 * derived request schemas (server/src/http/schemas.ts): ajv-draft-04 with jsonschema2pojo's
 * `extends` merged in. The server tests and the JOC double (e2e/support) both check with it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import Ajv, { type SchemaObject } from 'ajv-draft-04';

const SCHEMA_DIR = join(__dirname, '..', '..', 'src', 'contract', 'joc-schemas');
const BASE = 'http://joc.test/';

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listJson(full) : name.endsWith('.json') ? [full] : [];
  });
}

let ajv: Ajv | undefined;

function schemaAjv(): Ajv {
  if (ajv) return ajv;
  // JOC's patterns are Java regular expressions (`\<` in path-schema.json): not valid with the u flag.
  const instance = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // Jackson writes offsets with or without a colon (+00:00, +0000): both are JOC timestamps.
  instance.addFormat(
    'date-time',
    (s: string) =>
      s === '' ||
      (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.test(s) &&
        !Number.isNaN(Date.parse(s))),
  );
  const load = (rel: string): SchemaObject =>
    JSON.parse(readFileSync(join(SCHEMA_DIR, rel), 'utf8')) as SchemaObject;
  for (const file of listJson(SCHEMA_DIR)) {
    const rel = relative(SCHEMA_DIR, file).split('\\').join('/');
    const schema = load(rel);
    // jsonschema2pojo's `extends`: the referenced schema's properties and required are merged in.
    if (schema['extends']?.['$ref']) {
      const base = load(posix.normalize(posix.join(posix.dirname(rel), schema['extends']['$ref'])));
      schema['properties'] = { ...base['properties'], ...schema['properties'] };
      schema['required'] = [
        ...new Set([...(base['required'] ?? []), ...(schema['required'] ?? [])]),
      ];
      delete schema['extends'];
    }
    schema['id'] = BASE + rel;
    delete schema['$schema'];
    instance.addSchema(schema);
  }
  ajv = instance;
  return instance;
}

/**
 * Validates `data` against a JOC schema (path below joc-schemas/): ajv's error text, '' when
 * valid, undefined when there is no such schema.
 */
export function jocSchemaErrors(rel: string, data: unknown): string | undefined {
  const validate = schemaAjv().getSchema(BASE + rel);
  if (!validate) return undefined;
  return validate(data) ? '' : schemaAjv().errorsText(validate.errors);
}
