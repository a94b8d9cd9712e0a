import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { authInterceptor } from '../core/api/auth-interceptor';
import { REAL_JOC_ERRORS, REAL_JOC_LOGINS, REAL_JOC_LOGOUT } from '../testing/real-joc-answers';
import { LoginPage } from './login-page';
import { provideI18nTesting } from '../core/i18n/testing';

@Component({ template: 'target page' })
class Target {}

/** The login page against a real JOC Cockpit's answers: what this console cannot do is said. */
describe('LoginPage against a real JOC Cockpit', () => {
  let http: HttpTestingController;

  async function loginWith(answer: object, headers: Record<string, string> = {}) {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        provideRouter(
          [
            { path: 'login', component: LoginPage },
            { path: '**', component: Target },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login');
    const el = harness.routeNativeElement!;
    for (const [field, value] of [
      ['username', 'root'],
      ['current-password', 'secret'],
    ]) {
      const input = el.querySelector(`input[autocomplete="${field}"]`) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    (el.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await harness.fixture.whenStable();
    http.expectOne('/joc/api/authentication/login').flush(answer, { headers });
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 0));
      await harness.fixture.whenStable();
    };
    await settle();
    const alert = () => el.querySelector('[role=alert]')?.textContent ?? '';
    return { harness, el, alert, settle };
  }

  it('names the unsupported logins and where to make them, before anything is tried', async () => {
    const { el } = await loginWith(REAL_JOC_LOGINS.secondFactor, { 'X-Access-Token': '' });
    const note = el.querySelector('.other-logins')?.textContent ?? '';
    expect(note).toContain('two-factor, OIDC (single sign-on), FIDO and client-certificate');
    expect(note).toContain("JOC Cockpit's own login page");
  });

  it('two-factor (200, empty token, secondFactoridentityService): says it is not supported here', async () => {
    const { alert, harness } = await loginWith(REAL_JOC_LOGINS.secondFactor, {
      'X-Access-Token': '',
    });
    expect(alert()).toContain('asks for a second factor (identity service "FIDO-2FA")');
    expect(alert()).toContain('This console does not support two-factor login');
    expect(alert()).toContain("log in through JOC Cockpit's own login page");
    expect(sessionStorage.getItem('joc-keys.session')).toBeNull();
    expect(harness.routeNativeElement?.textContent).not.toContain('target page');
  });

  it('forcePasswordChange: ends the session JOC opened and says where to change the password', async () => {
    const { alert, settle } = await loginWith(REAL_JOC_LOGINS.forcePasswordChange, {
      'X-Access-Token': REAL_JOC_LOGINS.forcePasswordChange.accessToken,
    });
    const logout = http.expectOne('/joc/api/authentication/logout');
    expect(logout.request.headers.get('X-Access-Token')).toBe(
      REAL_JOC_LOGINS.forcePasswordChange.accessToken,
    );
    logout.flush(REAL_JOC_LOGOUT);
    await settle();
    expect(alert()).toContain('JOC Cockpit asks you to change your password');
    expect(alert()).toContain("log in to JOC Cockpit's own interface, set a new password there");
    expect(sessionStorage.getItem('joc-keys.session')).toBeNull();
    http.expectNone('/joc/api/joc/properties');
  });

  it('a refused login keeps JOC’s own reason next to the plain words', async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        provideRouter([{ path: 'login', component: LoginPage }], withComponentInputBinding()),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login');
    const el = harness.routeNativeElement!;
    for (const [field, value] of [
      ['username', 'root'],
      ['current-password', 'wrong'],
    ]) {
      const input = el.querySelector(`input[autocomplete="${field}"]`) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    (el.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await harness.fixture.whenStable();
    http
      .expectOne('/joc/api/authentication/login')
      .flush(REAL_JOC_ERRORS.loginRefused.body, { status: 401, statusText: 'Unauthorized' });
    await new Promise((r) => setTimeout(r, 0));
    await harness.fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain(
      'Wrong account or password. The server answered: Access denied',
    );
  });
});
