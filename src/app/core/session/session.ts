import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { JocProperties, Permissions } from '../../../contract';
import { JocApi } from '../api/joc-api';
import type { JocError } from '../api/joc-error';
import { keyPolicy, type KeyPolicy } from './key-policy';

const STORAGE_KEY = 'joc-keys.session';

interface StoredSession {
  readonly token: string;
  readonly account: string;
  /**
   * Whether the account saw the Signature tab when the session was last loaded: on a reload, the
   * signing key is read while the session is restored only when it may be shown (absent: yes).
   */
  readonly keyTab?: boolean;
  /** The session's idle timeout in milliseconds, as the login answer gave it. */
  readonly timeout?: number;
}

/** Why the login page is shown. */
export type LoginReason = 'expired' | 'expired-unsaved' | 'logged-out';

/**
 * Login state, permissions and security level as signals. The token survives a reload of the tab
 * (sessionStorage) but not the browser; everything else is read again from the server.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly api = inject(JocApi);
  private readonly router = inject(Router);
  private readonly stored = signal<StoredSession | undefined>(readStored());
  private restoring: Promise<'ok' | 'expired'> | undefined;
  /** When permissions and properties were last read. */
  private contextAt = 0;

  readonly permissions = signal<Permissions | undefined>(undefined);
  readonly properties = signal<JocProperties | undefined>(undefined);
  /**
   * Whether the server is known to be the embedded one (it says so in `/joc/properties`); anything
   * else is treated as a real JOC Cockpit, whose behaviour the console then describes.
   */
  readonly embedded = computed(() => this.properties()?.embeddedServer === true);
  /**
   * Whether the server lacks our `/profile/key/check` (a real JOC Cockpit answers 404): learnt
   * once per session, so the readiness check then runs in the browser without asking again.
   */
  readonly serverCheck = { missing: false };
  /** When the last API call went out: the server's idle timeout counts from its calls. */
  lastCallAt = 0;

  readonly token = computed(() => this.stored()?.token);
  readonly account = computed(() => this.stored()?.account);
  readonly idleTimeout = computed(() => this.stored()?.timeout);
  readonly loggedIn = computed(
    () => !!this.stored() && !!this.permissions() && !!this.properties(),
  );
  /** Before the policy is known: whether a kept session expects the Signature tab (unknown: yes). */
  readonly keyTabExpected = computed(() => !!this.stored() && this.stored()?.keyTab !== false);

  /** What this account sees of the signing key; every component reads only this. */
  readonly policy = computed<KeyPolicy | undefined>(() => {
    const properties = this.properties();
    const permissions = this.permissions();
    const account = this.account();
    if (!properties || !permissions || !account) return undefined;
    return keyPolicy(
      properties.securityLevel,
      account,
      permissions.joc.administration.certificates,
      properties.defaultProfileAccount,
      !properties.embeddedServer,
    );
  });

  /**
   * Logs in and loads permissions and properties; resolves to the failure, if any, as the server
   * gave it (the login page words it), or `password-change` when JOC Cockpit opened the session
   * only for a new password.
   */
  async login(
    account: string,
    password: string,
  ): Promise<JocError | 'password-change' | undefined> {
    const answer = await this.api.login(account, password);
    if (!answer.ok) return answer.error;
    this.setStored({
      token: answer.value.accessToken,
      account: answer.value.account || account,
      timeout: answer.value.sessionTimeout,
    });
    if (answer.value.forcePasswordChange) {
      // A session that JOC Cockpit's own UI would use only to set a new password.
      await this.api.logout();
      this.clear();
      return 'password-change';
    }
    const loaded = await this.loadContext(answer.value.accessToken);
    if (loaded) this.clear();
    return loaded;
  }

  /**
   * Whether a session is usable: already loaded (`ok`), restored from a token kept in this tab
   * (`ok`), none at all (`none`), or a kept token the server no longer accepts (`expired`).
   */
  ready(): Promise<'ok' | 'none' | 'expired'> {
    if (this.loggedIn()) return Promise.resolve('ok');
    if (!this.stored()) return Promise.resolve('none');
    this.restoring ??= this.loadContext(this.token()).then((error) => {
      this.restoring = undefined;
      if (error) this.clear();
      return error ? 'expired' : 'ok';
    });
    return this.restoring;
  }

  async logout(): Promise<void> {
    if (this.stored()) await this.api.logout();
    this.clear();
    await this.router.navigate(['/login']);
  }

  /**
   * Reads permissions and properties again: an administrator may have changed the security level
   * or this account's roles since login. Keeps what was known when the read fails (the
   * interceptor handles an ended session).
   */
  async refresh(options: { maxAgeMs?: number } = {}): Promise<void> {
    if (!this.loggedIn() || Date.now() - this.contextAt < (options.maxAgeMs ?? 0)) return;
    await this.loadContext(this.token());
  }

  /**
   * The server said 401/440: back to the login page, which returns here after login and says
   * whether a change the person sent was refused with the session (`unsaved`).
   */
  expire(unsaved = false): void {
    // While a kept token is being restored, the route guard decides where to go.
    if (!this.stored() || this.restoring) return;
    this.clear();
    const returnUrl = this.router.url;
    if (!returnUrl.startsWith('/login')) {
      const reason = unsaved ? 'expired-unsaved' : 'expired';
      void this.router.navigate(['/login'], { queryParams: { reason, returnUrl } });
    }
  }

  /** The answer counts only while the session of `forToken` lasts (not after a logout and login). */
  private async loadContext(forToken: string | undefined): Promise<JocError | undefined> {
    const [permissions, properties] = await Promise.all([
      this.api.permissions(),
      this.api.properties(),
    ]);
    if (forToken !== this.token()) return undefined;
    if (!permissions.ok) return permissions.error;
    if (!properties.ok) return properties.error;
    this.permissions.set(permissions.value);
    this.properties.set(properties.value);
    this.contextAt = Date.now();
    const stored = this.stored();
    const keyTab = this.policy()?.showTab;
    if (stored && stored.keyTab !== keyTab) this.setStored({ ...stored, keyTab });
    return undefined;
  }

  private setStored(value: StoredSession): void {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    this.stored.set(value);
  }

  private clear(): void {
    this.serverCheck.missing = false;
    sessionStorage.removeItem(STORAGE_KEY);
    this.stored.set(undefined);
    this.permissions.set(undefined);
    this.properties.set(undefined);
  }
}

function readStored(): StoredSession | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as StoredSession | null;
    return value && typeof value.token === 'string' && typeof value.account === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
