/**
 * The signing key calls (contract §4) at every security level (§6). Validation and generation
 * (the slow crypto) happen first; the write is then one transaction with its audit row.
 * Every user-input failure comes from the PKI core and is mapped by `failureToJocError`.
 */
import type { AuditParams, DeleteKeyRequest, GenerateKeyRequest, JocKeyPair, SetKeyRequest } from '../../src/contract';
import {
  checkPublicMaterial,
  checkSigningPair,
  declaredAlgorithm,
  formatDn,
  generateSigningPair,
  keyMatchesCertificate,
  parseDn,
  readCertificate,
  readCertificates,
  readKeyMaterial,
  readPublicKey,
  type Certificate,
  type Failure,
  type FailureReason,
  type KeyMaterial,
} from '../../src/pki';
import { auditParams } from './audit';
import type { JocConfig } from './config';
import { failureToJocError, invalid, notFound } from './errors';
import { keyPolicy, type KeyPolicy } from './key-policy';
import { PairAnswers, pairAnswer } from './key-view';
import type { Store, StoredAlgorithm, StoredPair } from './store';

const DAY_MS = 24 * 3600 * 1000;

export interface ServiceContext {
  readonly config: JocConfig;
  readonly store: Store;
  readonly now: () => Date;
}

const failure = (reason: FailureReason, message: string): Failure => ({ ok: false, reason, message });

/** Throws the JOC answer for a PKI failure. */
function orThrow<T>(result: { ok: true; value: T } | Failure): T {
  if (!result.ok) throw failureToJocError(result);
  return result.value;
}

/** The whole chain as PEM (leaf first), so intermediate CAs given with a certificate are kept. */
async function chainPem(text: string | undefined, leaf: Certificate | undefined): Promise<string | undefined> {
  if (!text || !leaf) return undefined;
  const all = await readCertificates(text);
  return all.ok ? all.value.map((c) => c.pem).join('') : leaf.pem;
}

function certificatesPem(certificates: readonly Certificate[]): string | undefined {
  return certificates.length ? certificates.map((c) => c.pem).join('') : undefined;
}

/** The stored certificate, kept only when it certifies `spki`. */
async function keptCertificate(stored: string | undefined, key: { readonly spki: Uint8Array }): Promise<string | undefined> {
  if (!stored) return undefined;
  const cert = await readCertificate(stored);
  return cert.ok && keyMatchesCertificate(key, cert.value) ? stored : undefined;
}

/** The algorithm a request names: only ECDSA and RSA are supported (JOC-414 otherwise; the PKI core's words). */
function requestedAlgorithm(value: string): StoredAlgorithm {
  const declared = declaredAlgorithm(value.trim());
  if (!declared.ok) throw failureToJocError(declared);
  if (!declared.value) throw failureToJocError(failure('unsupported-algorithm', 'No key algorithm was given: use ECDSA or RSA.'));
  return declared.value;
}

export class SigningKeys {
  private readonly answers = new PairAnswers();

  constructor(private readonly ctx: ServiceContext) {}

  policy(account: string): KeyPolicy {
    return keyPolicy(this.ctx.config, account);
  }

  private audit(account: string, request: string, owner: string, params: AuditParams) {
    return { account, created: this.ctx.now(), request, keyOwner: owner, ...params };
  }

  /** `/profile/key`: the pair as stored now, as JSON text. */
  async showJson(account: string): Promise<string> {
    const policy = this.policy(account);
    return this.answers.json(this.ctx.store.keys.get(policy.owner, policy.level), policy.revealPrivateKey);
  }

  /** `/profile/key/store`: PEM text only. */
  async store(account: string, body: SetKeyRequest): Promise<void> {
    const policy = this.policy(account);
    const params = auditParams(body.auditLog, this.ctx.config.forceCommentsForAuditLog);
    const keys = body.keys;
    requestedAlgorithm(keys.keyAlgorithm);
    const now = this.ctx.now();
    let pair: StoredPair;
    if (policy.storesPrivateKey) {
      if (!keys.privateKey?.trim() && keys.publicKey?.trim()) {
        throw failureToJocError(
          failure('public-key-not-private', `A public key was given, but at security level ${policy.level} the private key is stored: JS7 signs deployments with it.`),
        );
      }
      const checked = orThrow(await checkSigningPair({ privateKey: keys.privateKey, certificate: keys.certificate, keyAlgorithm: keys.keyAlgorithm, now }));
      if (keys.publicKey?.trim()) {
        const publicKey = await readPublicKey(keys.publicKey);
        if (!publicKey.ok) throw failureToJocError({ ...publicKey, message: `Public key: ${publicKey.message}` });
        if (!keyMatchesCertificate(checked.key, publicKey.value)) {
          throw failureToJocError(failure('key-certificate-mismatch', 'Public key: the public key does not belong to this private key.'));
        }
      }
      pair = {
        keyAlgorithm: checked.key.algorithm,
        privateKey: checked.key.pem,
        certificate: await chainPem(keys.certificate, checked.certificate),
      };
    } else {
      if (keys.privateKey?.trim()) {
        throw failureToJocError(
          failure('private-key-not-public', 'At security level HIGH private keys stay outside JOC Cockpit: give the public key or the certificate, not the private key.'),
        );
      }
      const checked = orThrow(await checkPublicMaterial({ publicKey: keys.publicKey, certificate: keys.certificate, keyAlgorithm: keys.keyAlgorithm, now }));
      pair = this.publicPair(checked.key, checked.certificate, await chainPem(keys.certificate, checked.certificate));
    }
    this.ctx.store.keys.put(policy.owner, policy.level, pair, this.audit(account, 'profile/key/store', policy.owner, params));
  }

  private publicPair(
    key: { readonly pem: string; readonly algorithm: StoredAlgorithm } | undefined,
    certificate: Certificate | undefined,
    certificatePem: string | undefined,
  ): StoredPair {
    const algorithm = key?.algorithm ?? certificate?.publicKey.algorithm;
    if (algorithm !== 'RSA' && algorithm !== 'ECDSA') {
      throw failureToJocError(failure('unsupported-algorithm', 'The key is neither ECDSA nor RSA.'));
    }
    return { keyAlgorithm: algorithm, publicKey: key?.pem, certificate: certificatePem };
  }

  /**
   * `/profile/key/import`: one file. A private key replaces the stored key (the stored certificate
   * stays only if it belongs to the new key); certificates in the same file replace the stored
   * certificate; a certificate alone must belong to the stored key.
   */
  async importFile(account: string, bytes: Uint8Array, options: { keyAlgorithm: string; password?: string; audit?: AuditParams }): Promise<void> {
    const policy = this.policy(account);
    const params = auditParams(options.audit, this.ctx.config.forceCommentsForAuditLog);
    requestedAlgorithm(options.keyAlgorithm);
    const now = this.ctx.now();
    const material: KeyMaterial = orThrow(await readKeyMaterial(bytes, { password: options.password || undefined }));
    const stored = this.ctx.store.keys.get(policy.owner, policy.level);
    const fileCertificates = certificatesPem(material.certificates);
    let pair: StoredPair;
    if (policy.storesPrivateKey) {
      let privateKey: string | undefined;
      let certificate: string | undefined;
      if (material.privateKey) {
        privateKey = material.privateKey.pem;
        certificate = fileCertificates ?? (await keptCertificate(stored?.certificate, material.privateKey));
      } else if (material.certificates.length) {
        if (!stored?.privateKey) {
          throw invalid('JOC-406', 'No private key is stored yet: import the private key first, then its certificate.');
        }
        privateKey = stored.privateKey;
        certificate = fileCertificates;
      } else {
        throw failureToJocError(
          failure('public-key-not-private', `The file holds a public key, but at security level ${policy.level} the private key is stored: import the private key file.`),
        );
      }
      const checked = orThrow(await checkSigningPair({ privateKey, certificate, keyAlgorithm: options.keyAlgorithm, now }));
      pair = { keyAlgorithm: checked.key.algorithm, privateKey: checked.key.pem, certificate: checked.certificate ? certificate : undefined };
    } else {
      if (material.privateKey) {
        throw failureToJocError(
          failure('private-key-not-public', 'The file holds a private key. At security level HIGH private keys stay outside JOC Cockpit: import the public key or the certificate.'),
        );
      }
      let publicKey: string | undefined;
      let certificate: string | undefined;
      if (material.publicKey) {
        publicKey = material.publicKey.pem;
        certificate = fileCertificates ?? (await keptCertificate(stored?.certificate, material.publicKey));
      } else {
        certificate = fileCertificates;
        const leaf = material.certificates[0];
        if (stored?.publicKey && leaf) {
          const storedKey = await readPublicKey(stored.publicKey);
          if (storedKey.ok && keyMatchesCertificate(storedKey.value, leaf)) publicKey = stored.publicKey;
        }
      }
      const checked = orThrow(await checkPublicMaterial({ publicKey, certificate, keyAlgorithm: options.keyAlgorithm, now }));
      pair = this.publicPair(checked.key, checked.certificate, checked.certificate ? certificate : undefined);
    }
    this.ctx.store.keys.put(policy.owner, policy.level, pair, this.audit(account, 'profile/key/import', policy.owner, params));
  }

  /** `/profile/key/generate`: a new pair, self-signed or issued by the SSL CA. */
  async generate(account: string, body: GenerateKeyRequest): Promise<JocKeyPair | Record<string, never>> {
    const policy = this.policy(account);
    if (!policy.canGenerate) throw notFound('At security level HIGH keys are generated outside JOC Cockpit: there is no /profile/key/generate.');
    const params = auditParams(body.auditLog, this.ctx.config.forceCommentsForAuditLog);
    const algorithm = requestedAlgorithm(body.keyAlgorithm);
    const now = this.ctx.now();
    let notAfter: Date | undefined;
    if (body.validUntil) {
      notAfter = new Date(body.validUntil);
      if (Number.isNaN(notAfter.getTime())) throw invalid('JOC-411', `validUntil "${body.validUntil}" is not a date.`);
      if (notAfter.getTime() <= now.getTime()) {
        throw invalid('JOC-411', `validUntil ${notAfter.toISOString()} is not in the future: choose a later date for the certificate to expire.`);
      }
    }
    let dn: string;
    if (body.dn !== undefined && body.dn.trim() !== '') {
      dn = orThrow(parseDn(body.dn));
    } else {
      const cn = { oid: '2.5.4.3', name: 'CN', value: account };
      dn = body.useSslCa
        ? formatDn([cn])
        : formatDn([cn, { oid: '2.5.4.11', name: 'OU', value: 'JOC' }, { oid: '2.5.4.10', name: 'O', value: 'JS7' }]);
    }
    let issuer: { privateKey: string; certificate: string } | undefined;
    if (body.useSslCa) {
      const ca = this.ctx.store.keys.getCa();
      if (!ca?.privateKey || !ca.certificate) {
        throw invalid('JOC-003', 'No SSL CA is configured: create or import the CA on the SSL Key Management tab first, or generate without "use SSL CA".');
      }
      issuer = { privateKey: ca.privateKey, certificate: ca.certificate };
      if (!notAfter) {
        notAfter = new Date(now);
        notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 2);
      }
    }
    notAfter ??= new Date(now.getTime() + 365 * DAY_MS);
    const generated = orThrow(await generateSigningPair({ algorithm, dn, notAfter, now, issuer }));
    const pair: StoredPair = { keyAlgorithm: algorithm, privateKey: generated.privateKey.pem, certificate: generated.certificate.pem };
    this.ctx.store.keys.put(policy.owner, policy.level, pair, this.audit(account, 'profile/key/generate', policy.owner, params));
    return pairAnswer(pair, policy.revealPrivateKey);
  }

  /** `/profile/key/delete`. */
  async remove(account: string, body: DeleteKeyRequest): Promise<void> {
    const policy = this.policy(account);
    const params = auditParams(body.auditLog, this.ctx.config.forceCommentsForAuditLog);
    this.ctx.store.keys.remove(policy.owner, policy.level, this.audit(account, 'profile/key/delete', policy.owner, params));
  }
}

