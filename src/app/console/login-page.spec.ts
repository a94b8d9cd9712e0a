import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { authInterceptor } from '../core/api/auth-interceptor';
import { I18n } from '../core/i18n/i18n';
import { LoginPage } from './login-page';
import { provideI18nTesting } from '../core/i18n/testing';

@Component({ template: 'target page' })
class Target {}

describe('LoginPage', () => {
  let http: HttpTestingController;

  async function at(url: string) {
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
    await harness.navigateByUrl(url);
    const el = harness.routeNativeElement!;
    const fill = (label: string, value: string) => {
      const input = el.querySelector(`input[autocomplete="${label}"]`) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    const submit = async () => {
      (el.querySelector('button[type=submit]') as HTMLButtonElement).click();
      await harness.fixture.whenStable();
    };
    return { harness, el, fill, submit };
  }

  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('puts the focus into the Account field when it opens', async () => {
    (document.activeElement as HTMLElement | null)?.blur();
    const { harness, el } = await at('/login');
    await harness.fixture.whenStable();
    expect(document.activeElement)
      .withContext('the focused element')
      .toBe(el.querySelector('input[autocomplete="username"]'));
  });

  it('says clearly when account or password are wrong', async () => {
    const { harness, el, fill, submit } = await at('/login');
    fill('username', 'root');
    fill('current-password', 'nope');
    await submit();
    http
      .expectOne('/joc/api/authentication/login')
      .flush({ error: { code: 'JOC-401', message: 'x' } }, { status: 401, statusText: 'x' });
    await settle();
    await harness.fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Wrong account or password.');
  });

  it('puts the focus into the emptied password field after a refused password', async () => {
    const { harness, el, fill, submit } = await at('/login');
    fill('username', 'root');
    fill('current-password', 'nope');
    // As with a click on "Log in": the button has the focus, and is disabled while sending.
    (el.querySelector('button[type=submit]') as HTMLButtonElement).focus();
    await submit();
    http
      .expectOne('/joc/api/authentication/login')
      .flush({ error: { code: 'JOC-401', message: 'x' } }, { status: 401, statusText: 'x' });
    await settle();
    await harness.fixture.whenStable();
    const password = el.querySelector('input[autocomplete="current-password"]') as HTMLInputElement;
    expect(password.value).toBe('');
    expect(document.activeElement).withContext('the focused element').toBe(password);
  });

  it('shows the throttle\'s "try again in N s", keeps the password and waits that long', async () => {
    const { harness, el, fill, submit } = await at('/login');
    fill('username', 'root');
    fill('current-password', 'root');
    await submit();
    const message = 'Too many failed logins for this account: try again in 1 s.';
    http
      .expectOne('/joc/api/authentication/login')
      .flush(
        { error: { code: 'JOC-420', message } },
        { status: 420, statusText: 'x', headers: { 'Retry-After': '1' } },
      );
    await settle();
    await harness.fixture.whenStable();
    const alert = el.querySelector('[role=alert]');
    expect(alert?.textContent).toContain(message);
    expect(alert?.textContent).not.toContain('Wrong account or password');
    expect(alert?.querySelector('mat-icon')?.textContent).toContain('schedule');
    const password = el.querySelector('input[autocomplete="current-password"]') as HTMLInputElement;
    expect(password.value).toBe('root');
    const button = el.querySelector('button[type=submit]') as HTMLButtonElement;
    expect(button.disabled).toBeTrue();
    await new Promise((r) => setTimeout(r, 1100));
    await harness.fixture.whenStable();
    expect(button.disabled).toBeFalse();
    await submit();
    http.expectOne('/joc/api/authentication/login');
  });

  it('waits as long as Retry-After says, whatever the message', async () => {
    const { harness, el, fill, submit } = await at('/login');
    fill('username', 'root');
    fill('current-password', 'root');
    await submit();
    http
      .expectOne('/joc/api/authentication/login')
      .flush(
        { error: { code: 'JOC-420', message: 'Zu viele fehlgeschlagene Anmeldungen.' } },
        { status: 420, statusText: 'x', headers: { 'Retry-After': '1' } },
      );
    await settle();
    await harness.fixture.whenStable();
    const button = el.querySelector('button[type=submit]') as HTMLButtonElement;
    expect(button.disabled).toBeTrue();
    await new Promise((r) => setTimeout(r, 1100));
    await harness.fixture.whenStable();
    expect(button.disabled).toBeFalse();
  });

  it('over plain HTTP from another machine: says the password travels unencrypted and what to open', async () => {
    spyOnProperty(window, 'isSecureContext').and.returnValue(false);
    const { el } = await at('/login');
    const alert = el.querySelector('[role=alert]')?.textContent ?? '';
    expect(alert).toContain('This console is open over plain HTTP from another machine.');
    expect(alert).toContain('your password and keys travel unencrypted');
    expect(alert).toContain('Open it over https://');
  });

  it('over https:// or on localhost: no such notice', async () => {
    const { el } = await at('/login');
    expect(el.querySelector('[role=alert]')).toBeNull();
  });

  it('says that the session has expired', async () => {
    const { el } = await at('/login?reason=expired&returnUrl=%2Fprofile%2Fssl-keys');
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Your session has expired');
  });

  it('says that a change sent as the session expired was not stored', async () => {
    const { el } = await at('/login?reason=expired-unsaved&returnUrl=%2Fprofile%2Fsignature-keys');
    expect(el.querySelector('[role=alert]')?.textContent).toContain(
      'Your session expired before your change was stored: nothing was changed.',
    );
  });

  it('logs in and returns where the person was', async () => {
    const { harness, fill, submit } = await at(
      '/login?reason=expired&returnUrl=%2Fprofile%2Fssl-keys',
    );
    fill('username', 'root');
    fill('current-password', 'root');
    await submit();
    http
      .expectOne('/joc/api/authentication/login')
      .flush(
        { accessToken: 'T', account: 'root', isAuthenticated: true, sessionTimeout: 1, role: [] },
        { headers: { 'X-Access-Token': 'T' } },
      );
    await settle();
    const permissions = http.expectOne('/joc/api/authentication/joc_cockpit_permissions');
    expect(permissions.request.headers.get('X-Access-Token')).toBe('T');
    permissions.flush({
      roles: [],
      joc: { administration: { certificates: { view: true, manage: true } } },
    });
    http.expectOne('/joc/api/joc/properties').flush({
      securityLevel: 'LOW',
      defaultProfileAccount: 'root',
      forceCommentsForAuditLog: false,
      comments: [],
    });
    await settle();
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/profile/ssl-keys');
  });

  describe('in German', () => {
    afterEach(() => {
      localStorage.removeItem('joc-keys.language');
      document.documentElement.lang = 'en';
    });

    it('the failure and the throttle follow a switch; the server’s words stay as written', async () => {
      const { harness, el, fill, submit } = await at('/login');
      fill('username', 'root');
      fill('current-password', 'nope');
      await submit();
      http
        .expectOne('/joc/api/authentication/login')
        .flush({ error: { code: 'JOC-401', message: 'x' } }, { status: 401, statusText: 'x' });
      await settle();
      await harness.fixture.whenStable();
      await TestBed.inject(I18n).use('de');
      await harness.fixture.whenStable();
      const alert = () => el.querySelector('[role=alert]')?.textContent ?? '';
      expect(alert()).toContain('Benutzerkonto oder Kennwort ist falsch.');
      expect(el.querySelector('button[type=submit]')?.textContent?.trim()).toBe('Anmelden');

      fill('current-password', 'root');
      await submit();
      const message = 'Too many failed logins from your address: try again in 1 s.';
      http
        .expectOne('/joc/api/authentication/login')
        .flush(
          { error: { code: 'JOC-420', message } },
          { status: 420, statusText: 'x', headers: { 'Retry-After': '1' } },
        );
      await settle();
      await harness.fixture.whenStable();
      expect(alert()).toContain('Die Anmeldung ist vorübergehend gesperrt');
      expect(alert()).toContain(message);
    });
  });
});
