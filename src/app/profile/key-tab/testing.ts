/**
 * Test support for the key tabs' specs (never imported by the app): key pairs made at test time with
 * src/pki, the providers every dialog spec needs, and the audit settings.
 */
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Injectable, type EnvironmentProviders, type Provider } from '@angular/core';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { generateCa, type GeneratedPair, type KeyAlgorithm } from '../../../pki';
import { pairValidBetween as pkiPairValidBetween } from '../../../pki/testing';
import type { AuditLog } from '../../../contract';
import { JocApi } from '../../core/api/joc-api';
import type { ApiResult } from '../../core/api/joc-error';
import { I18n } from '../../core/i18n/i18n';
import { provideI18nTesting } from '../../core/i18n/testing';
import type { Language } from '../../core/i18n/languages';
import type { AuditSettings } from '../audit-log-input/audit-log-form';

/** A pair whose certificate is valid from `fromDays` to `untilDays` relative to now (src/pki's test helper). */
export function pairValidBetween(
  fromDays: number,
  untilDays: number,
  algorithm: KeyAlgorithm = 'ECDSA',
  dn = 'CN=test,OU=JOC,O=JS7',
): Promise<GeneratedPair> {
  return pkiPairValidBetween(fromDays, untilDays, { algorithm, dn });
}

/** A CA and a signing pair it issued (ECDSA, both valid from yesterday for 200 days): a chain. */
export async function issuedBy(
  caDn: string,
  dn: string,
): Promise<{ ca: GeneratedPair; pair: GeneratedPair }> {
  const day = 86_400_000;
  const ca = await generateCa({
    dn: caDn,
    now: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 200 * day),
  });
  if (!ca.ok) throw new Error(ca.message);
  const issuer = { privateKey: ca.value.privateKey.pem, certificate: ca.value.certificate.pem };
  return { ca: ca.value, pair: await pkiPairValidBetween(-1, 200, { dn, issuer }) };
}

export const NO_AUDIT: AuditSettings = { show: false, required: false, comments: [] };
export const FORCED_AUDIT: AuditSettings = {
  show: true,
  required: true,
  comments: ['Certificate renewal', 'Key rotation'],
};

/** The providers of a key tab's spec; English texts at once (Karma ignores `providersFile`). */
export function testProviders(): Array<Provider | EnvironmentProviders> {
  return [
    ...provideI18nTesting(),
    provideRouter([]),
    provideHttpClient(),
    provideHttpClientTesting(),
    { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
  ];
}

/** Waits until `check` holds (async validators and src/pki run on promises, not on a clock). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what = 'condition',
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** JocApi whose audit log is empty at once (see {@link emptyHistory}). */
@Injectable()
class JocApiWithEmptyHistory extends JocApi {
  override auditLog(): Promise<ApiResult<AuditLog>> {
    return Promise.resolve({
      ok: true,
      value: { deliveryDate: new Date().toISOString(), auditLog: [] },
    });
  }
}

/**
 * The History panel below a tab's row reads the audit log; specs of the tab itself answer it
 * with an empty log at once, so that no call stays open (harnesses wait for open calls).
 */
export function emptyHistory(): Provider {
  return { provide: JocApi, useClass: JocApiWithEmptyHistory };
}

/**
 * Switches the console to `language` as Preferences does (without remembering it); the specs
 * have every catalog at hand, so a spec sees the switch after one change detection.
 */
export async function useLanguage(language: Language): Promise<void> {
  await TestBed.inject(I18n).use(language, false);
}
