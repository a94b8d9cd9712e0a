import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { JocSecurityLevel } from '../../../contract';
import { authInterceptor } from '../api/auth-interceptor';
import { sessionGuard } from './session-guard';
import { Session } from './session';
import { SigningKey } from './signing-key';
import { provideI18nTesting } from '../i18n/testing';

@Component({ selector: 'app-tab', template: 'the tab' })
class Tab {}

@Component({ selector: 'app-login', template: 'login page' })
class Login {}

/** A reload of /profile/signature-keys with a session kept in this browser tab. */
describe('sessionGuard on a reload', () => {
  const STORAGE = 'joc-keys.session';
  const PAIR = { certificate: 'PEM', keyAlgorithm: 'ECDSA', validUntil: '2030-01-01T00:00:00Z' };
  let http: HttpTestingController;

  afterEach(() => sessionStorage.removeItem(STORAGE));

  async function reload(kept: object) {
    sessionStorage.setItem(STORAGE, JSON.stringify(kept));
    TestBed.configureTestingModule({
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        provideRouter([
          { path: 'login', component: Login },
          { path: 'profile/signature-keys', component: Tab, canMatch: [sessionGuard] },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl('/profile/signature-keys');
    await new Promise((resolve) => setTimeout(resolve));
    return {
      harness,
      navigation,
      signingKey: TestBed.inject(SigningKey),
      router: TestBed.inject(Router),
    };
  }

  const answerSession = (level: JocSecurityLevel, view = true) => {
    http
      .expectOne('/joc/api/authentication/joc_cockpit_permissions')
      .flush({ roles: [], joc: { administration: { certificates: { view, manage: view } } } });
    http.expectOne('/joc/api/joc/properties').flush({
      securityLevel: level,
      defaultProfileAccount: 'root',
      forceCommentsForAuditLog: false,
      comments: [],
    });
  };

  it('asks for the signing key together with permissions and properties, not after them', async () => {
    const { navigation, signingKey } = await reload({ token: 'T', account: 'root' });
    // All three are open before any is answered.
    const key = http.expectOne('/joc/api/profile/key');
    expect(key.request.headers.get('X-Access-Token')).toBe('T');
    answerSession('MEDIUM');
    key.flush(PAIR);
    await navigation;
    expect(signingKey.pair()).toEqual(PAIR);
    expect(JSON.parse(sessionStorage.getItem(STORAGE)!).keyTab).toBeTrue();
    http.verify();
  });

  it('at HIGH, drops what the early read returned: no key, no error', async () => {
    const { navigation, signingKey, router } = await reload({ token: 'T', account: 'root' });
    http
      .expectOne('/joc/api/profile/key')
      .flush(
        { error: { code: 'JOC-414', message: 'not at HIGH' } },
        { status: 420, statusText: 'x' },
      );
    answerSession('HIGH');
    await navigation;
    expect(router.url).toBe('/profile/signature-keys');
    expect(signingKey.pair()).toBeUndefined();
    expect(signingKey.error()).toBeUndefined();
    expect(JSON.parse(sessionStorage.getItem(STORAGE)!).keyTab).toBeFalse();
  });

  it('does not read the key early for a session that had no tab', async () => {
    const { navigation, signingKey } = await reload({
      token: 'T',
      account: 'alice',
      keyTab: false,
    });
    expect(http.match('/joc/api/profile/key').length).toBe(0);
    answerSession('LOW');
    await navigation;
    http.verify();
    expect(signingKey.pair()).toBeUndefined();
  });

  it('every API call counts as the last use of the session, when it goes out', async () => {
    const { navigation } = await reload({ token: 'T', account: 'alice' });
    const session = TestBed.inject(Session);
    const before = Date.now();
    // Sent: the server's idle timeout starts again when a call arrives, whatever it answers.
    expect(session.lastCallAt).toBeGreaterThanOrEqual(before - 1000);
    session.lastCallAt = 0;
    answerSession('MEDIUM');
    http.expectOne('/joc/api/profile/key').flush(PAIR);
    await navigation;
    expect(session.lastCallAt).toBeGreaterThanOrEqual(before);
  });

  it('a kept token the server no longer accepts (401) leads to the login page', async () => {
    const { navigation, signingKey, router } = await reload({ token: 'gone', account: 'root' });
    for (const request of http.match(() => true))
      request.flush({ error: { code: 'JOC-401', message: 'x' } }, { status: 401, statusText: 'x' });
    await navigation;
    await new Promise((resolve) => setTimeout(resolve));
    expect(router.url).toBe('/login?returnUrl=%2Fprofile%2Fsignature-keys&reason=expired');
    expect(signingKey.pair()).toBeUndefined();
    expect(signingKey.error()).toBeUndefined();
  });

  it('a session that expired (440) only for the key read also leads to the login page', async () => {
    const { navigation, router } = await reload({ token: 'T', account: 'root' });
    answerSession('LOW');
    http.expectOne('/joc/api/profile/key').flush(null, { status: 440, statusText: 'x' });
    await navigation.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(router.url.startsWith('/login?')).toBeTrue();
    expect(router.url).toContain('reason=expired');
  });
});
