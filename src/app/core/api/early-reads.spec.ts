import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideI18nTesting } from '../i18n/testing';
import { SESSION_STORAGE_KEY } from '../session/kept-session';
import { authInterceptor } from './auth-interceptor';
import { EARLY_READ_MAX_AGE_MS, dropEarlyReads, startEarlyReads } from './early-reads';
import { earlyReadsInterceptor } from './early-reads-interceptor';
import { JocApi } from './joc-api';

/** A reload of a console page with a kept session: its first reads start before Angular runs. */
describe('early reads', () => {
  const TOKEN = 'a'.repeat(32);
  let sent: { url: string; init: RequestInit }[];
  let answers: Map<string, () => Promise<Response>>;

  const send = ((url: string, init: RequestInit) => {
    sent.push({ url, init });
    const answer = answers.get(url);
    return answer ? answer() : Promise.resolve(Response.json({ for: url }));
  }) as typeof fetch;

  const keep = (session: object) =>
    sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));

  beforeEach(() => {
    sent = [];
    answers = new Map();
    sessionStorage.clear();
    dropEarlyReads();
  });
  afterEach(() => {
    sessionStorage.clear();
    dropEarlyReads();
  });

  describe('startEarlyReads', () => {
    it('asks for permissions, properties and the key as the console does: {} and the token', () => {
      keep({ token: TOKEN, account: 'root' });
      startEarlyReads('/profile/signature-keys', sessionStorage, send);
      expect(sent.map((s) => s.url)).toEqual([
        '/joc/api/authentication/joc_cockpit_permissions',
        '/joc/api/joc/properties',
        '/joc/api/profile/key',
      ]);
      for (const { init } of sent) {
        expect(init.method).toBe('POST');
        expect(init.body).toBe('{}');
        expect((init.headers as Record<string, string>)['X-Access-Token']).toBe(TOKEN);
        expect(init.credentials).toBeUndefined();
      }
    });

    it('asks nothing without a kept session, on the login page, and not for the key the tab did not show', () => {
      startEarlyReads('/profile/signature-keys', sessionStorage, send);
      sessionStorage.setItem(SESSION_STORAGE_KEY, '{not json');
      startEarlyReads('/profile/signature-keys', sessionStorage, send);
      keep({ token: TOKEN, account: 'root' });
      startEarlyReads('/login', sessionStorage, send);
      expect(sent).toEqual([]);
      keep({ token: TOKEN, account: 'anna', keyTab: false });
      startEarlyReads('/profile/preferences', sessionStorage, send);
      expect(sent.map((s) => s.url)).toEqual([
        '/joc/api/authentication/joc_cockpit_permissions',
        '/joc/api/joc/properties',
      ]);
    });
  });

  describe('through the console', () => {
    let api: JocApi;
    let http: HttpTestingController;

    beforeEach(() => {
      TestBed.configureTestingModule({
        providers: [
          ...provideI18nTesting(),
          provideRouter([]),
          provideHttpClient(withInterceptors([authInterceptor, earlyReadsInterceptor])),
          provideHttpClientTesting(),
        ],
      });
      api = TestBed.inject(JocApi);
      http = TestBed.inject(HttpTestingController);
    });
    afterEach(() => http.verify());

    const tick = () => new Promise((resolve) => setTimeout(resolve));

    it("gives the console's first call the early answer, and asks the server for the next one", async () => {
      keep({ token: TOKEN, account: 'root' });
      answers.set('/joc/api/joc/properties', () =>
        Promise.resolve(Response.json({ securityLevel: 'LOW', defaultProfileAccount: 'root' })),
      );
      startEarlyReads('/profile', sessionStorage, send);
      const first = await api.properties();
      expect(first.ok && first.value.securityLevel).toBe('LOW');
      http.expectNone('/joc/api/joc/properties');

      const second = api.properties();
      await tick();
      http.expectOne('/joc/api/joc/properties').flush({ securityLevel: 'MEDIUM' });
      const again = await second;
      expect(again.ok && again.value.securityLevel).toBe('MEDIUM');
      expect(sent.length).toBe(3);
    });

    it('maps an early failure as any answer: 440 is an expired session', async () => {
      keep({ token: TOKEN, account: 'root' });
      answers.set('/joc/api/profile/key', () =>
        Promise.resolve(
          Response.json(
            { error: { code: 'JOC-440', message: 'session timeout' } },
            { status: 440 },
          ),
        ),
      );
      startEarlyReads('/profile', sessionStorage, send);
      const key = await api.showKey();
      expect(key.ok).toBeFalse();
      expect(!key.ok && key.error.kind).toBe('session-expired');
      http.expectNone('/joc/api/profile/key');
    });

    it('asks the server when the early read could not reach it', async () => {
      keep({ token: TOKEN, account: 'root' });
      answers.set('/joc/api/profile/key', () => Promise.reject(new TypeError('Failed to fetch')));
      startEarlyReads('/profile', sessionStorage, send);
      const key = api.showKey();
      await tick();
      http.expectOne('/joc/api/profile/key').flush({ certificate: 'PEM' });
      expect((await key).ok).toBeTrue();
    });

    it('asks the server when the answer is older than any first call', async () => {
      keep({ token: TOKEN, account: 'root' });
      const now = Date.now();
      startEarlyReads('/profile', sessionStorage, send, () => now - EARLY_READ_MAX_AGE_MS - 1);
      const properties = api.properties();
      await tick();
      http.expectOne('/joc/api/joc/properties').flush({ securityLevel: 'LOW' });
      expect((await properties).ok).toBeTrue();
    });

    it('never gives one session the answer read for another', async () => {
      keep({ token: 'b'.repeat(32), account: 'anna' });
      startEarlyReads('/profile', sessionStorage, send);
      // The console starts with another kept session than the one the reads were started for.
      keep({ token: TOKEN, account: 'root' });
      const permissions = api.permissions();
      await tick();
      const request = http.expectOne('/joc/api/authentication/joc_cockpit_permissions');
      expect(request.request.headers.get('X-Access-Token')).toBe(TOKEN);
      request.flush({ roles: [] });
      await permissions;
    });
  });
});
