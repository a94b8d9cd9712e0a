/**
 * The signing key calls (contract §4) at every security level (§6). Validation and generation
 * (the slow crypto) happen first; the write is then one transaction with its audit row, so a
 * refused call changes nothing stored. What each call stores is decided in signing-pairs.ts.
 */
import type {
  AuditParams,
  DeleteKeyRequest,
  GenerateKeyRequest,
  JocKeyPair,
  SetKeyRequest,
} from '../../../src/contract';
import { generateSigningPair } from '../../../src/pki';
import type { JocConfig } from '../config';
import { invalid, notFound, orThrow } from '../http/errors';
import type { AuditRecord, Store, StoredPair } from '../store';
import { auditedCertificate, auditParams } from './audit-params';
import { GenerationGate, MAX_RSA_GENERATIONS, MAX_WAITING_GENERATIONS } from './generation-gate';
import { Turns } from './turns';
import { readKeyMaterialOffThread } from './decrypt-off-thread';
import { keyRules, type KeyRules } from './key-rules';
import { PairAnswers, pairAnswer } from './key-view';
import {
  generatedNotAfter,
  generatedSubject,
  importedPair,
  publicPairToSave,
  requestedAlgorithm,
  signingPairToSave,
} from './signing-pairs';

/** What the key services are given. */
export interface ServiceContext {
  readonly config: JocConfig;
  readonly store: Store;
  readonly now: () => Date;
}

export class SigningKeys {
  private readonly answers: PairAnswers;
  /**
   * RSA work on libuv's threads, generation and key checks together: two at a time in all; checks
   * wait ahead of generations (turns.ts).
   */
  readonly rsaTurns = new Turns(MAX_RSA_GENERATIONS, MAX_WAITING_GENERATIONS);
  private readonly rsaGate = new GenerationGate(undefined, undefined, this.rsaTurns);

  constructor(private readonly ctx: ServiceContext) {
    this.answers = new PairAnswers(ctx.store.keys);
  }

  /** Whose key the calls of `account` act on, and what they may do. */
  rules(account: string): KeyRules {
    return keyRules(this.ctx.config, account);
  }

  /** `/profile/key`: the pair as stored now, as JSON text. */
  async showJson(account: string): Promise<string> {
    const rules = this.rules(account);
    return this.answers.json(rules.owner, rules.level, rules.revealPrivateKey);
  }

  /** `/profile/key/store`: PEM text only. */
  async save(account: string, body: SetKeyRequest): Promise<void> {
    const rules = this.rules(account);
    const params = this.auditParams(body.auditLog);
    requestedAlgorithm(body.keys.keyAlgorithm);
    const now = this.ctx.now();
    const pair = rules.storesPrivateKey
      ? await signingPairToSave(body.keys, rules.level, now)
      : await publicPairToSave(body.keys, now);
    await this.write(account, 'profile/key/store', rules, pair, params);
  }

  /**
   * `/profile/key/import`: one file (PEM, DER, PKCS#12, an encrypted key with `password`), merged
   * with the stored pair (signing-pairs.ts says how).
   */
  async importFile(
    account: string,
    bytes: Uint8Array,
    options: {
      keyAlgorithm: string;
      password?: string;
      /** The uploaded file's name, for the commands a refusal gives. */
      name?: string;
      audit?: AuditParams;
      signal?: AbortSignal;
    },
  ): Promise<void> {
    const rules = this.rules(account);
    const params = this.auditParams(options.audit);
    requestedAlgorithm(options.keyAlgorithm);
    const now = this.ctx.now();
    const material = orThrow(
      // An empty field is the empty password (openssl pkcs12 -passout pass:), not its absence.
      await readKeyMaterialOffThread(bytes, options.password, {
        signal: options.signal,
        name: options.name,
      }),
    );
    const stored = this.ctx.store.keys.get(rules.owner, rules.level);
    const pair = await importedPair(material, stored, rules, options.keyAlgorithm, now);
    // Written only if the pair is still the one the file was merged with: else a certificate
    // import could put back the key another call has just replaced.
    const written = await this.write(account, 'profile/key/import', rules, pair, params, {
      version: stored?.version,
    });
    if (!written)
      throw invalid(
        'JOC-420',
        'The key was changed by another call while this file was read: nothing was stored. Import the file again.',
      );
  }

  /**
   * `/profile/key/generate`: a new pair, self-signed or issued by the SSL CA. RSA keys take their
   * turn, one at a time per account (generation-gate.ts); `signal` ends the wait when the client
   * goes away.
   */
  async generate(
    account: string,
    body: GenerateKeyRequest,
    signal?: AbortSignal,
  ): Promise<JocKeyPair | Record<string, never>> {
    const rules = this.rules(account);
    if (!rules.canGenerate)
      throw notFound(
        'At security level HIGH keys are generated outside JOC Cockpit: there is no /profile/key/generate.',
      );
    const params = this.auditParams(body.auditLog);
    const algorithm = requestedAlgorithm(body.keyAlgorithm);
    const now = this.ctx.now();
    const useSslCa = body.useSslCa === true;
    const notAfter = generatedNotAfter(body.validUntil, useSslCa, now);
    const dn = generatedSubject(body.dn, account, useSslCa);
    const issuer = useSslCa ? this.sslCaIssuer() : undefined;
    const make = () => generateSigningPair({ algorithm, dn, notAfter, now, issuer });
    const generated = orThrow(
      // One at a time per key: at LOW every manager's Generate replaces the default account's.
      await (algorithm === 'RSA'
        ? this.rsaGate.run(`${rules.owner}\u0000${rules.level}`, make, signal)
        : make()),
    );
    const pair: StoredPair = {
      keyAlgorithm: algorithm,
      privateKey: generated.privateKey.pem,
      certificate: generated.certificate.pem,
    };
    await this.write(account, 'profile/key/generate', rules, pair, params);
    return pairAnswer(pair, rules.revealPrivateKey);
  }

  /** `/profile/key/delete`. */
  async remove(account: string, body: DeleteKeyRequest): Promise<void> {
    const rules = this.rules(account);
    const params = this.auditParams(body.auditLog);
    this.ctx.store.keys.remove(
      rules.owner,
      rules.level,
      this.auditRecord(account, 'profile/key/delete', rules, params),
    );
  }

  private sslCaIssuer(): { privateKey: string; certificate: string } {
    const ca = this.ctx.store.keys.getCa();
    if (!ca?.privateKey || !ca.certificate) {
      throw invalid(
        'JOC-003',
        'No SSL CA is configured: create or import the CA on the SSL Key Management tab first, or generate without "use SSL CA".',
      );
    }
    return { privateKey: ca.privateKey, certificate: ca.certificate };
  }

  private auditParams(params: AuditParams | undefined): AuditParams {
    return auditParams(params, this.ctx.config.forceCommentsForAuditLog);
  }

  private auditRecord(
    account: string,
    request: string,
    rules: KeyRules,
    params: AuditParams,
    certificate?: AuditRecord['certificate'],
  ): AuditRecord {
    return {
      account,
      created: this.ctx.now(),
      request,
      keyOwner: rules.owner,
      ...(certificate ? { certificate } : {}),
      ...params,
    };
  }

  private async write(
    account: string,
    request: string,
    rules: KeyRules,
    pair: StoredPair,
    params: AuditParams,
    basedOn?: { readonly version: string | undefined },
  ): Promise<boolean> {
    const certificate = await auditedCertificate(pair.certificate);
    return this.ctx.store.keys.put(
      rules.owner,
      rules.level,
      pair,
      this.auditRecord(account, request, rules, params, certificate),
      basedOn,
    );
  }
}
