import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { I18n } from '../i18n/i18n';
import { provideI18nTesting } from '../i18n/testing';
import { toJocError, type JocError } from './joc-error';

describe('JocError in the person’s language', () => {
  const answer = (status: number, error: unknown = null, statusText = '') =>
    toJocError(new HttpErrorResponse({ status, error, statusText, headers: new HttpHeaders() }));
  const envelope = (message: string, code = 'JOC-420') => ({ error: { code, message } });

  /** Failures whose reason the console knows and for which the server said nothing. */
  const ownWords: ReadonlyArray<[string, JocError]> = [
    ['network down', answer(0)],
    ['401', answer(401)],
    ['403', answer(403)],
    ['404', answer(404)],
    ['433', answer(433)],
    ['440', answer(440)],
    ['502', answer(502, null, 'Bad Gateway')],
    ['504', answer(504)],
  ];

  let i18n: I18n;
  beforeEach(() => {
    // angular.json's providersFile is a Vitest option: Karma does not read it.
    TestBed.configureTestingModule({ providers: provideI18nTesting() });
    i18n = TestBed.inject(I18n);
  });
  afterEach(() => {
    localStorage.removeItem('joc-keys.language');
    document.documentElement.lang = 'en';
  });

  async function german(): Promise<void> {
    await i18n.use('de');
  }

  it('in English, the catalog says exactly what the English message says', () => {
    for (const [what, error] of ownWords) {
      expect('code' in error && error.code?.startsWith('errors.'))
        .withContext(what)
        .toBeTrue();
      expect(i18n.message(error)).withContext(what).toBe(error.message);
    }
    expect(i18n.message(answer(502, null, 'Bad Gateway'))).toBe(
      'The server failed to answer (HTTP 502 Bad Gateway): try again later.',
    );
  });

  it('in English, a known reason the server put in words is shown as the server wrote it', () => {
    const forbidden = answer(403, envelope('Your account lacks the permission manage.', 'JOC-403'));
    expect(i18n.message(forbidden)).toBe('Your account lacks the permission manage.');
  });

  it('after a switch to German, known reasons are German; unknown ones stay as the server wrote them', async () => {
    const network = answer(0);
    const forbidden = answer(403, envelope('Your account lacks the permission manage.', 'JOC-403'));
    const lost = answer(420, envelope('UnknownSessionException: There is no session with id [x]'));
    const business = answer(420, envelope('The certificate expired on 2021-01-01.', 'JOC-411'));
    await german();
    expect(i18n.message(network)).toBe(
      'Der Server ist nicht erreichbar: Prüfen Sie die Netzwerkverbindung und versuchen Sie es erneut.',
    );
    expect(i18n.message(answer(502, null, 'Bad Gateway'))).toBe(
      'Der Server hat nicht geantwortet (HTTP 502 Bad Gateway): Versuchen Sie es später erneut.',
    );
    expect(i18n.message(forbidden)).toBe(
      'Ihrem Benutzerkonto fehlt die Berechtigung für diese Aktion. Antwort des Servers: Your account lacks the permission manage.',
    );
    expect(lost.kind).toBe('session-expired');
    expect(i18n.message(lost)).toMatch(/^Ihre Sitzung ist abgelaufen\. /);
    expect(i18n.message(business)).toBe('The certificate expired on 2021-01-01.');
    for (const [what, error] of ownWords)
      expect(i18n.message(error)).withContext(what).not.toBe(error.message);
  });
});
