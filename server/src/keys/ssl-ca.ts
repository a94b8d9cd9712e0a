/**
 * The built-in SSL CA (contract §5): one per installation, ECDSA only, no delete. Its key may be
 * stored first and its certificate imported afterwards; until both are there, generation with
 * `useSslCa` answers JOC-003.
 */
import type {
  AuditParams,
  GenerateCaRequest,
  JocKeyPair,
  SetRootCaRequest,
} from '../../../src/contract';
import {
  checkCaPair,
  generateCa,
  keyMatchesCertificate,
  parseDn,
  readCertificate,
  readPrivateKey,
} from '../../../src/pki';
import { failureToApiError, invalid, orThrow } from '../http/errors';
import type { StoredCa } from '../store';
import { auditedCertificate, auditParams } from './audit-params';
import { readKeyMaterialOffThread } from './decrypt-off-thread';
import { caAnswer } from './key-view';
import { checkChainSize, checkKeyTextSize, pemBlocksLength } from './signing-pairs';
import type { ServiceContext } from './signing-keys';

export class SslCa {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Writes the CA with its audit row, which names the certificate left in place. A CA merged with
   * the stored one (`basedOn`) is written only if that is still the stored one: else a certificate
   * could put back the key another call has just replaced.
   */
  private async put(
    account: string,
    request: string,
    ca: StoredCa,
    params: AuditParams,
    basedOn?: { readonly ca: StoredCa | undefined },
  ): Promise<void> {
    const certificate = await auditedCertificate(ca.certificate);
    const written = this.ctx.store.keys.putCa(
      ca,
      {
        account,
        created: this.ctx.now(),
        request,
        ...(certificate ? { certificate } : {}),
        ...params,
      },
      basedOn,
    );
    if (!written)
      throw invalid(
        'JOC-420',
        'The SSL CA was changed by another call while this one was checked: nothing was stored. Look at the CA now stored, then send yours again.',
      );
  }

  /** `/profile/ca`: the private key only for callers who may manage certificates. */
  async show(revealPrivateKey: boolean): Promise<JocKeyPair | Record<string, never>> {
    return caAnswer(this.ctx.store.keys.getCa(), revealPrivateKey);
  }

  /** `/profile/ca/generate`: a new P-256 self-signed root, 5 years. */
  async generate(
    account: string,
    body: GenerateCaRequest,
  ): Promise<JocKeyPair | Record<string, never>> {
    const params = auditParams(body.auditLog, this.ctx.config.forceCommentsForAuditLog);
    const dn = orThrow(parseDn(body.dn));
    const generated = orThrow(await generateCa({ dn, now: this.ctx.now() }));
    const ca: StoredCa = {
      privateKey: generated.privateKey.pem,
      certificate: generated.certificate.pem,
    };
    await this.put(account, 'profile/ca/generate', ca, params);
    return caAnswer(ca, true);
  }

  /** `/profile/ca/store`: PEM text; merged with the stored CA like an import. */
  async save(account: string, body: SetRootCaRequest): Promise<void> {
    const params = auditParams(body.auditLog, this.ctx.config.forceCommentsForAuditLog);
    const privateKey = body.privateKey?.trim() ? body.privateKey : undefined;
    const certificate = body.certificate?.trim() ? body.certificate : undefined;
    if (!privateKey && !certificate)
      throw invalid('JOC-406', 'No private key or certificate was provided for the CA.');
    checkChainSize(pemBlocksLength(certificate));
    checkKeyTextSize('Private key', privateKey);
    const { ca, basedOn } = await this.merge(privateKey, certificate);
    await this.put(account, 'profile/ca/store', ca, params, basedOn);
  }

  /** `/profile/ca/import`: one file (PEM, DER, PKCS#12, encrypted key with `password`). */
  async importFile(
    account: string,
    bytes: Uint8Array,
    options: { password?: string; name?: string; audit?: AuditParams; signal?: AbortSignal },
  ): Promise<void> {
    const params = auditParams(options.audit, this.ctx.config.forceCommentsForAuditLog);
    const material = orThrow(
      // An empty field is the empty password (openssl pkcs12 -passout pass:), not its absence.
      await readKeyMaterialOffThread(bytes, options.password, {
        signal: options.signal,
        name: options.name,
      }),
    );
    if (!material.privateKey && material.certificates.length === 0) {
      throw failureToApiError({
        reason: 'public-key-not-private',
        message:
          'The file holds a public key: the SSL CA needs its private key and its CA certificate.',
      });
    }
    checkChainSize(material.certificates[0]?.pem.length ?? 0);
    const { ca, basedOn } = await this.merge(
      material.privateKey?.pem,
      material.certificates[0]?.pem,
    );
    await this.put(account, 'profile/ca/import', ca, params, basedOn);
  }

  /**
   * A key replaces the stored key (the stored certificate stays when it belongs to it); a
   * certificate alone must belong to the stored key. A complete pair passes `checkCaPair`.
   */
  private async merge(
    privateKey: string | undefined,
    certificate: string | undefined,
  ): Promise<{ ca: StoredCa; basedOn: { ca: StoredCa | undefined } }> {
    const stored = this.ctx.store.keys.getCa();
    const basedOn = { ca: stored };
    const now = this.ctx.now();
    let key = privateKey;
    let cert = certificate;
    if (!key) {
      if (!stored?.privateKey)
        throw invalid(
          'JOC-406',
          'No CA private key is stored yet: import the CA private key first, then its certificate.',
        );
      key = stored.privateKey;
    } else if (!cert && stored?.certificate) {
      const read = orThrow(await readPrivateKey(key));
      const storedCert = await readCertificate(stored.certificate);
      if (storedCert.ok && keyMatchesCertificate(read, storedCert.value)) cert = stored.certificate;
    }
    if (!cert) {
      // Key only, for now: it must be an ECDSA private key; the certificate follows.
      const read = orThrow(await readPrivateKey(key));
      if (read.algorithm !== 'ECDSA') {
        throw failureToApiError({
          reason: 'unsupported-algorithm',
          message: `Private key: the SSL CA must be an ECDSA key; this is an ${read.label} key.`,
        });
      }
      return { ca: { privateKey: read.pem }, basedOn };
    }
    const checked = orThrow(await checkCaPair({ privateKey: key, certificate: cert, now }));
    return { ca: { privateKey: checked.key.pem, certificate: checked.certificate.pem }, basedOn };
  }
}
