import { HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  REAL_JOC_ERRORS,
  REAL_JOC_KEYS,
  REAL_JOC_LOGINS,
  REAL_JOC_LOGOUT,
} from '../../testing/real-joc-answers';
import { expiryOf } from '../session/signing-key';
import { Session } from '../session/session';
import { authInterceptor } from './auth-interceptor';
import { JocApi } from './joc-api';
import { approverName } from '../../profile/key-tab/dialog-request';
import { toJocError } from './joc-error';
import { provideI18nTesting } from '../i18n/testing';

/** The typed client and the interceptor against what a real JOC Cockpit answers. */
describe('JocApi against a real JOC Cockpit', () => {
  let api: JocApi;
  let http: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    api = TestBed.inject(JocApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  /** Answers a write with one of REAL_JOC_ERRORS; the mapped failure. */
  async function refused(answer: { status: number; body: unknown }) {
    const pending = api.deleteKey({});
    http
      .expectOne('/joc/api/profile/key/delete')
      .flush(answer.body as object, { status: answer.status, statusText: 'x' });
    const result = await pending;
    if (result.ok) throw new Error('expected a failure');
    return result.error;
  }

  it('433 (four-eyes): JOC’s message and the approvers, never their e-mail', async () => {
    const error = await refused(REAL_JOC_ERRORS.approval);
    expect(error).toEqual({
      kind: 'approval-required',
      code: 'errors.approvalRequiredSaid',
      params: { server: '4-eyes principle: Operation needs approval process' },
      message: '4-eyes principle: Operation needs approval process',
      approvers: [
        { accountName: 'anna', firstName: 'Anna', lastName: 'Berg' },
        { accountName: 'ops-lead' },
      ],
    });
    if (error.kind === 'approval-required')
      expect(error.approvers.map(approverName)).toEqual(['Anna Berg (anna)', 'ops-lead']);
  });

  it('401, 403 and 440 without an error object: JOC’s top-level message', async () => {
    spyOn(TestBed.inject(Session), 'expire');
    expect(await refused(REAL_JOC_ERRORS.unauthenticated)).toEqual({
      kind: 'unauthenticated',
      code: 'errors.unauthenticatedSaid',
      params: { server: "Authentication failure: SessionNotExistException: Session doesn't exist" },
      message: "Authentication failure: SessionNotExistException: Session doesn't exist",
    });
    expect(await refused(REAL_JOC_ERRORS.forbidden)).toEqual({
      kind: 'forbidden',
      code: 'errors.forbiddenSaid',
      params: { server: 'Access denied' },
      message: 'Access denied',
    });
    expect(await refused(REAL_JOC_ERRORS.sessionExpired)).toEqual({
      kind: 'session-expired',
      code: 'errors.sessionExpiredSaid',
      params: { server: "SessionNotExistException: Session doesn't exist" },
      message: "SessionNotExistException: Session doesn't exist",
    });
  });

  it('a 420 naming UnknownSessionException or "user is null" is a lost session: back to login', async () => {
    const expire = spyOn(TestBed.inject(Session), 'expire');
    const error = await refused(REAL_JOC_ERRORS.lostSession);
    expect(error.kind).toBe('session-expired');
    expect(expire).toHaveBeenCalledTimes(1);
    const other = await refused({
      status: 420,
      body: { error: { code: 'JOC-420', message: 'NullPointerException: user is null' } },
    });
    expect(other.kind).toBe('session-expired');
    expect(expire).toHaveBeenCalledTimes(2);
    // An ordinary business error stays in the dialog.
    const business = await refused({
      status: 420,
      body: { error: { code: 'JOC-411', message: 'JocKeyNotValidException: key not valid' } },
    });
    expect(business.kind).toBe('invalid');
    expect(expire).toHaveBeenCalledTimes(2);
  });

  it('Jersey’s HTML 404 for our /profile/key/check is not-found', async () => {
    const pending = api.checkKey();
    http
      .expectOne('/joc/api/profile/key/check')
      .flush(REAL_JOC_ERRORS.noCheck.body, { status: 404, statusText: 'Not Found' });
    const result = await pending;
    expect(!result.ok && result.error.kind).toBe('not-found');
  });

  it('a password login with role as one string is accepted', async () => {
    const pending = api.login('root', 'root');
    http.expectOne('/joc/api/authentication/login').flush(REAL_JOC_LOGINS.password, {
      headers: { 'X-Access-Token': REAL_JOC_LOGINS.password.accessToken },
    });
    const answer = await pending;
    expect(answer.ok && answer.value.accessToken).toBe(REAL_JOC_LOGINS.password.accessToken);
    expect(answer.ok && answer.value.role).toBe('all, administrator');
  });

  it('a two-factor login (empty token, secondFactoridentityService): not supported, says where to log in', async () => {
    const pending = api.login('root', 'root');
    http
      .expectOne('/joc/api/authentication/login')
      .flush(REAL_JOC_LOGINS.secondFactor, { headers: { 'X-Access-Token': '' } });
    const answer = await pending;
    expect(answer.ok).toBeFalse();
    if (answer.ok) return;
    expect(answer.error.kind).toBe('unsupported');
    expect(answer.error.message).toContain('second factor');
    expect(answer.error.message).toContain('FIDO-2FA');
    expect(answer.error.message).toContain("JOC Cockpit's own login page");
  });

  it('logout’s account object is a success', async () => {
    const pending = api.logout();
    http.expectOne('/joc/api/authentication/logout').flush(REAL_JOC_LOGOUT);
    expect((await pending).ok).toBeTrue();
  });

  it('a web page with HTTP 200 where JSON belongs (a single-sign-on proxy, a wrong JOC_URL): says so, not the parser’s words', () => {
    // What Angular's XHR backend makes of a 200 whose body does not parse (HttpJsonParseError).
    const page =
      '<!DOCTYPE html><html><body><form action="/sso/login">Sign in</form></body></html>';
    let parseError: unknown;
    try {
      JSON.parse(page);
    } catch (e) {
      parseError = e;
    }
    const error = toJocError(
      new HttpErrorResponse({
        status: 200,
        statusText: 'OK',
        url: '/joc/api/profile/key',
        error: { error: parseError, text: page },
      }),
    );
    expect(error.kind).toBe('server');
    expect(error.code).toBe('errors.notJoc');
    expect(error.message).not.toContain('JSON.parse');
    expect(error.message).not.toMatch(/Unexpected token|not valid JSON/);
    expect(error.message).toContain("did not come from JOC Cockpit's API");
  });

  it('a JSON answer cut off or damaged is "could not be read", not a web page', () => {
    const text = '{"privateKey": "-----BEGIN';
    let parseError: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      parseError = e;
    }
    const error = toJocError(
      new HttpErrorResponse({ status: 200, statusText: 'OK', error: { error: parseError, text } }),
    );
    expect(error.code).toBe('errors.unreadable');
    expect(error.message).toBe('The answer could not be read: the JSON is cut off or damaged');
    // A plain-text page of a proxy in between is no JOC answer at all.
    const plain = toJocError(
      new HttpErrorResponse({
        status: 200,
        statusText: 'OK',
        error: { error: new SyntaxError('x'), text: 'Service Unavailable' },
      }),
    );
    expect(plain.code).toBe('errors.notJoc');
  });

  it('validUntil with an offset instead of Z gives the same expiry', () => {
    const now = new Date('2036-11-01T00:00:00Z');
    const withOffset = expiryOf(REAL_JOC_KEYS.pair.validUntil, now, 60);
    expect(withOffset?.validUntil.toISOString()).toBe('2036-11-28T11:54:32.000Z');
    expect(withOffset?.state).toBe('expiring');
    expect(expiryOf(REAL_JOC_KEYS.certificateOnly.validUntil, now, 60)).toEqual(withOffset);
  });
});
