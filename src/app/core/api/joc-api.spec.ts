import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Session } from '../session/session';
import { authInterceptor } from './auth-interceptor';
import { JocApi, basicCredentials } from './joc-api';
import type { ApiResult, JocError } from './joc-error';
import { provideI18nTesting } from '../i18n/testing';

describe('JocApi', () => {
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

  /** Lets the pending promise reach HttpClient before the test answers. */
  const tick = () => new Promise((resolve) => setTimeout(resolve));

  it('logs in with a UTF-8 Basic header and takes the token from the response header', async () => {
    const pending = api.login('jürgen', 'pässwörd:1');
    const req = http.expectOne('/joc/api/authentication/login');
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('Authorization')).toBe(basicCredentials('jürgen', 'pässwörd:1'));
    expect(atob(req.request.headers.get('Authorization')!.slice(6))).toBe(
      String.fromCharCode(...new TextEncoder().encode('jürgen:pässwörd:1')),
    );
    expect(req.request.headers.has('X-Access-Token')).toBeFalse();
    req.flush(
      {
        accessToken: 'body-token',
        account: 'jürgen',
        isAuthenticated: true,
        sessionTimeout: 900000,
        role: [],
      },
      { headers: { 'X-Access-Token': 'header-token' } },
    );
    const answer = await pending;
    expect(answer.ok && answer.value.accessToken).toBe('header-token');
  });

  it('maps bad credentials to unauthenticated', async () => {
    const pending = api.login('root', 'wrong');
    http
      .expectOne('/joc/api/authentication/login')
      .flush(
        { error: { code: 'JOC-401', message: 'Wrong account or password.' } },
        { status: 401, statusText: 'Unauthorized' },
      );
    const answer = await pending;
    expect(!answer.ok && answer.error).toEqual({
      kind: 'unauthenticated',
      code: 'errors.unauthenticatedSaid',
      params: { server: 'Wrong account or password.' },
      message: 'Wrong account or password.',
    });
  });

  const calls: ReadonlyArray<
    [string, (api: JocApi) => Promise<ApiResult<unknown>>, string, unknown]
  > = [
    ['logout', (a) => a.logout(), 'authentication/logout', {}],
    ['permissions', (a) => a.permissions(), 'authentication/joc_cockpit_permissions', {}],
    ['properties', (a) => a.properties(), 'joc/properties', {}],
    ['showKey', (a) => a.showKey(), 'profile/key', {}],
    [
      'storeKey',
      (a) => a.storeKey({ keys: { privateKey: 'K', certificate: 'C', keyAlgorithm: 'ECDSA' } }),
      'profile/key/store',
      { keys: { privateKey: 'K', certificate: 'C', keyAlgorithm: 'ECDSA' } },
    ],
    [
      'generateKey',
      (a) =>
        a.generateKey({
          keyAlgorithm: 'RSA',
          dn: 'CN=x',
          validUntil: '2030-01-01T00:00:00.000Z',
          useSslCa: true,
          auditLog: { comment: 'c' },
        }),
      'profile/key/generate',
      {
        keyAlgorithm: 'RSA',
        dn: 'CN=x',
        validUntil: '2030-01-01T00:00:00.000Z',
        useSslCa: true,
        auditLog: { comment: 'c' },
      },
    ],
    ['deleteKey', (a) => a.deleteKey({}), 'profile/key/delete', {}],
    ['checkKey', (a) => a.checkKey(), 'profile/key/check', {}],
    ['showCa', (a) => a.showCa(), 'profile/ca', {}],
  ];

  for (const [name, call, path, body] of calls) {
    it(`${name}: POST /joc/api/${path} with the session token`, async () => {
      // The session (read by the interceptor) is created on the first request, from this tab's storage.
      sessionStorage.setItem('joc-keys.session', JSON.stringify({ token: 'T1', account: 'root' }));
      const pending = call(api);
      await tick();
      const req = http.expectOne(`/joc/api/${path}`);
      expect(req.request.method).toBe('POST');
      expect(req.request.body).toEqual(body);
      expect(req.request.headers.get('X-Access-Token')).toBe('T1');
      req.flush({ ok: true });
      expect((await pending).ok).toBeTrue();
    });
  }

  const errors: ReadonlyArray<[number, object | string | null, JocError]> = [
    [
      0,
      null,
      {
        kind: 'network',
        code: 'errors.network',
        message: 'The server cannot be reached: check the network connection and try again.',
      },
    ],
    [
      401,
      { error: { code: 'JOC-401', message: 'not logged in' } },
      {
        kind: 'unauthenticated',
        code: 'errors.unauthenticatedSaid',
        params: { server: 'not logged in' },
        message: 'not logged in',
      },
    ],
    [
      440,
      { error: { code: 'JOC-440', message: 'expired' } },
      {
        kind: 'session-expired',
        code: 'errors.sessionExpiredSaid',
        params: { server: 'expired' },
        message: 'expired',
      },
    ],
    [
      403,
      { error: { code: 'JOC-403', message: 'lacks manage' } },
      {
        kind: 'forbidden',
        code: 'errors.forbiddenSaid',
        params: { server: 'lacks manage' },
        message: 'lacks manage',
      },
    ],
    [
      420,
      { error: { code: 'JOC-411', message: 'the certificate expired on 2021-01-01' } },
      { kind: 'invalid', jocCode: 'JOC-411', message: 'the certificate expired on 2021-01-01' },
    ],
    [
      420,
      '',
      {
        kind: 'invalid',
        jocCode: 'HTTP 420',
        code: 'errors.refused',
        message: 'The server refused the request.',
      },
    ],
    [
      404,
      { error: { code: 'JOC-404', message: 'no such call' } },
      {
        kind: 'not-found',
        code: 'errors.notFoundSaid',
        params: { server: 'no such call' },
        message: 'no such call',
      },
    ],
    [
      500,
      'Internal',
      {
        kind: 'server',
        code: 'errors.serverFailed',
        params: { status: '500 Server Error' },
        message: 'The server failed to answer (HTTP 500 Server Error): try again later.',
      },
    ],
  ];

  for (const [status, body, expected] of errors) {
    it(`maps HTTP ${status} to ${expected.kind}`, async () => {
      const pending = api.storeKey({ keys: { keyAlgorithm: 'ECDSA' } });
      const req = http.expectOne('/joc/api/profile/key/store');
      if (status === 0) req.error(new ProgressEvent('error'));
      else req.flush(body, { status, statusText: status === 500 ? 'Server Error' : 'x' });
      const answer = await pending;
      expect(!answer.ok && answer.error).toEqual(expected);
    });
  }

  for (const body of [null, [1, 2, 3], 'text']) {
    it(`an answer that is no object (${JSON.stringify(body)}) is unreadable, never "no key"`, async () => {
      const pending = api.showKey();
      http.expectOne('/joc/api/profile/key').flush(body);
      const answer = await pending;
      expect(!answer.ok && answer.error.code).toBe('errors.unreadable');
    });
  }

  for (const status of [401, 440]) {
    it(`sends the person to the login page on ${status}`, async () => {
      const session = TestBed.inject(Session);
      const expire = spyOn(session, 'expire');
      const pending = api.showKey();
      http
        .expectOne('/joc/api/profile/key')
        .flush({ error: { code: 'x', message: 'y' } }, { status, statusText: 'x' });
      await pending;
      expect(expire).toHaveBeenCalledWith(false);
    });
  }

  it('says a change was refused with the session: nothing was stored', async () => {
    const session = TestBed.inject(Session);
    const expire = spyOn(session, 'expire');
    const pending = api.storeKey({
      keys: { privateKey: 'K', certificate: 'C', keyAlgorithm: 'ECDSA' },
    });
    http
      .expectOne('/joc/api/profile/key/store')
      .flush({ error: { code: 'JOC-440', message: 'expired' } }, { status: 440, statusText: 'x' });
    await pending;
    expect(expire).toHaveBeenCalledWith(true);
  });
});
