/** What every route plugin is given. */
import type { ValidateFunction } from 'ajv-draft-04';
import type { SchemaObject } from 'ajv-draft-04';
import type { JocOk } from '../../../src/contract';
import type { JocConfig } from '../config';
import type { LoginThrottle } from '../auth/throttle';
import type { SigningKeys } from '../keys/signing-keys';
import type { SslCa } from '../keys/ssl-ca';
import type { Store } from '../store';

export interface RouteContext {
  readonly config: JocConfig;
  readonly store: Store;
  readonly now: () => Date;
  readonly throttle: LoginThrottle;
  readonly signingKeys: SigningKeys;
  readonly sslCa: SslCa;
  /** Compiles a (closed) schema for hand validation, e.g. JSON inside a form field. */
  readonly compile: (schema: SchemaObject) => ValidateFunction;
}

/** The answer of every successful write. */
export function okBody(now: Date): JocOk {
  const iso = now.toISOString();
  return { deliveryDate: iso, surveyDate: iso, ok: true };
}
