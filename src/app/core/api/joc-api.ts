import { HttpClient, HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom, type Observable } from 'rxjs';
import type {
  AuditLog,
  AuditLogFilter,
  DeleteKeyRequest,
  GenerateCaRequest,
  GenerateKeyRequest,
  JocKeyPairAnswer,
  JocOk,
  JocProperties,
  KeyCheckRequest,
  KeyCheckResponse,
  LoginResponse,
  LogoutResponse,
  Permissions,
  SetKeyRequest,
  SetRootCaRequest,
} from '../../../contract';
import { toJocError, unreadable, type ApiResult } from './joc-error';

/** Every call of the JOC REST dialect lives under this path and is a POST. */
export const API_BASE = '/joc/api';

/** UTF-8 safe base64 for the Basic header (account names and passwords may hold any character). */
export function basicCredentials(account: string, password: string): string {
  const bytes = new TextEncoder().encode(`${account}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/**
 * The typed JOC API client: one method per endpoint of the contract, every call a POST under
 * {@link API_BASE}. Methods resolve to an {@link ApiResult}; failures are already mapped.
 */
@Injectable({ providedIn: 'root' })
export class JocApi {
  private readonly http = inject(HttpClient);

  /** `authentication/login` with HTTP Basic; the token comes from the header, else the body. */
  async login(account: string, password: string): Promise<ApiResult<LoginResponse>> {
    const headers = new HttpHeaders({ Authorization: basicCredentials(account, password) });
    const answer = await this.settle(
      this.http.post<LoginResponse>(`${API_BASE}/authentication/login`, null, {
        headers,
        observe: 'response',
      }),
    );
    if (!answer.ok) return answer;
    const response: HttpResponse<LoginResponse> = answer.value;
    const body = response.body;
    // JOC Cockpit's two-factor login: the password passed, an empty token, the second factor's
    // identity service named; the second step exists only on JOC Cockpit's own login page.
    if (body?.secondFactoridentityService)
      return {
        ok: false,
        error: {
          kind: 'unsupported',
          code: 'errors.secondFactor',
          params: { service: body.secondFactoridentityService },
          message: `JOC Cockpit accepted the password and now asks for a second factor (identity service "${body.secondFactoridentityService}"). This console does not support two-factor login: log in through JOC Cockpit's own login page.`,
        },
      };
    const accessToken = response.headers.get('X-Access-Token') || body?.accessToken;
    if (!body || !accessToken)
      return {
        ok: false,
        error: {
          kind: 'server',
          code: 'errors.noToken',
          message: 'The server accepted the login but sent no access token.',
        },
      };
    return { ok: true, value: { ...body, accessToken } };
  }

  /** JOC Cockpit answers the logged-out account, the embedded server before it did so `{ok}`. */
  logout(): Promise<ApiResult<JocOk | LogoutResponse>> {
    return this.post('authentication/logout', {});
  }

  permissions(): Promise<ApiResult<Permissions>> {
    return this.post('authentication/joc_cockpit_permissions', {});
  }

  properties(): Promise<ApiResult<JocProperties>> {
    return this.post('joc/properties', {});
  }

  /** The signing key pair, or `{}` when none is stored. */
  showKey(): Promise<ApiResult<JocKeyPairAnswer>> {
    return this.post('profile/key', {});
  }

  storeKey(request: SetKeyRequest): Promise<ApiResult<JocOk>> {
    return this.post('profile/key/store', request);
  }

  generateKey(request: GenerateKeyRequest): Promise<ApiResult<JocKeyPairAnswer>> {
    return this.post('profile/key/generate', request);
  }

  deleteKey(request: DeleteKeyRequest): Promise<ApiResult<JocOk>> {
    return this.post('profile/key/delete', request);
  }

  /** Deployment readiness check; a real JOC Cockpit lacks it (answers `not-found`). */
  checkKey(request: KeyCheckRequest = {}): Promise<ApiResult<KeyCheckResponse>> {
    return this.post('profile/key/check', request);
  }

  /** JOC Cockpit's audit log, newest first (needs JOC's audit log permission, not certificates'). */
  auditLog(filter: AuditLogFilter): Promise<ApiResult<AuditLog>> {
    return this.post('audit_log', filter);
  }

  /** The SSL CA of the installation, or `{}` when none exists. */
  showCa(): Promise<ApiResult<JocKeyPairAnswer>> {
    return this.post('profile/ca', {});
  }

  /** A new self-signed P-256 root CA (replaces the stored one). */
  generateCa(request: GenerateCaRequest): Promise<ApiResult<JocKeyPairAnswer>> {
    return this.post('profile/ca/generate', request);
  }

  /** The CA's private key and certificate as PEM text. */
  storeCa(request: SetRootCaRequest): Promise<ApiResult<JocOk>> {
    return this.post('profile/ca/store', request);
  }

  private post<T>(path: string, body: object): Promise<ApiResult<T>> {
    return this.settle(this.http.post<T>(`${API_BASE}/${path}`, body));
  }

  private async settle<T>(call: Observable<T>): Promise<ApiResult<T>> {
    try {
      const value = await firstValueFrom(call);
      // Every answer of JOC's API is an object: `null` or a list is no key pair, never "no key".
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('not a JSON object');
      return { ok: true, value };
    } catch (error) {
      if (error instanceof HttpErrorResponse) return { ok: false, error: toJocError(error) };
      return {
        ok: false,
        error: unreadable(error instanceof Error ? error.message : String(error)),
      };
    }
  }
}
