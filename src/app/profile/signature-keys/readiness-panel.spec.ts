import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { KeyCheck, KeyCheckResponse } from '../../../contract';
import type { ApiResult, JocError } from '../../core/api/joc-error';
import { ReadinessPanel } from './readiness-panel';
import { browserReadiness, checkReadiness, readinessLine, type Readiness } from './readiness';
import { pairValidBetween, testProviders, useLanguage } from '../key-tab/testing';
import { I18n } from '../../core/i18n/i18n';
import { lineText } from './texts';
import { Preferences } from '../../core/session/preferences';
import { untilEndOfDay } from '../../../pki/testing';

const DAY = 86_400_000;

/** The row line's words, in English (every spec's language). */
const words = (readiness: Readiness) =>
  lineText(
    readinessLine(readiness),
    (k, p) => TestBed.inject(I18n).t(k, p),
    (d) => TestBed.inject(Preferences).date(d),
  );

@Component({
  imports: [ReadinessPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-readiness-panel
    [readiness]="readiness()"
    [error]="error()"
    [running]="running()"
    [warnDays]="60"
    (run)="runs = runs + 1"
  />`,
})
class Host {
  readonly readiness = signal<Readiness | undefined>(undefined);
  readonly error = signal<JocError | undefined>(undefined);
  readonly running = signal(false);
  runs = 0;
}

/** Without the key: stored but not sent, as the server says with keyType "PRIVATE". */
const answer = async (fromDays: number, untilDays: number, withKey = true) => {
  const pair = await pairValidBetween(fromDays, untilDays);
  return {
    ...(withKey ? { privateKey: pair.privateKey.pem } : {}),
    certificate: pair.certificate.pem,
    keyType: 'PRIVATE' as const,
    keyAlgorithm: 'ECDSA',
  };
};

const api = (result: ApiResult<KeyCheckResponse>) => {
  const calls: unknown[] = [];
  return { calls, checkKey: async (request: unknown) => (calls.push(request), result) };
};
const notFound: ApiResult<KeyCheckResponse> = {
  ok: false,
  error: { kind: 'not-found', message: 'no such call' },
};

describe('readiness', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: testProviders() }));

  it("asks the server with the person's threshold and keeps its answer", async () => {
    const server = api({
      ok: true,
      value: {
        checks: [
          // As a server without codes answers: the English reason only.
          { id: 'key-present', ok: true, message: 'A private key is stored.' } as KeyCheck,
          { id: 'issuer', ok: false, message: 'no issuer' } as KeyCheck,
        ],
      },
    });
    const result = await checkReadiness(server, {}, {}, 30);
    expect(server.calls).toEqual([{ warnDays: 30 }]);
    // With the zone the row counts days in: the server's verdict agrees with the row.
    await checkReadiness(server, {}, {}, 30, new Date(), undefined, undefined, 'Asia/Kolkata');
    expect(server.calls[1]).toEqual({ warnDays: 30, timeZone: 'Asia/Kolkata' });
    expect(result).toEqual({
      ok: true,
      value: {
        source: 'server',
        items: [
          { id: 'key-present', state: 'pass', message: 'A private key is stored.' },
          { id: 'issuer', state: 'fail', message: 'no issuer' },
        ],
      },
    });
  });

  it('against a JOC Cockpit without the call (not-found), runs the same checks in the browser', async () => {
    const result = await checkReadiness(api(notFound), await answer(-1, 300), {}, 60);
    expect(result.ok).toBeTrue();
    if (!result.ok) return;
    expect(result.value.source).toBe('browser');
    expect(result.value.items.map((i) => i.id)).toEqual([
      'key-present',
      'certificate-present',
      'pair-match',
      'valid-now',
      'valid-beyond-warning',
      'issuer',
      // No 'issuer-valid': a self-signed certificate is itself what Controllers hold.
      'sign-verify',
    ]);
    expect(result.value.items.every((i) => i.state === 'pass')).toBeTrue();
  });

  it('in the browser, says which checks could not run when the private key is not returned', async () => {
    const readiness = await browserReadiness(await answer(-1, 300, false), {}, new Date(), 60);
    const notRun = readiness.items.filter((i) => i.state === 'not-run').map((i) => i.id);
    expect(notRun).toEqual(['key-present', 'pair-match', 'sign-verify']);
    expect(readiness.items.find((i) => i.id === 'sign-verify')!.message).toContain(
      'the server does not return the private key to this account',
    );
    expect(words(readiness)).toBe('Ready as far as checked: 3 of 7 checks could not run here');
  });

  it('words the row line in the language chosen, naming the failed check as that language writes it', async () => {
    const readiness = await browserReadiness(await answer(-1, 300, false), {}, new Date(), 60);
    const failed: Readiness = {
      ...readiness,
      items: readiness.items.map((i) =>
        i.id === 'sign-verify' ? { ...i, state: 'fail', code: undefined } : i,
      ),
    };
    await useLanguage('de');
    expect(words(failed)).toBe(
      'Nicht bereit zum Ausrollen: 1 von 7 Prüfungen schlägt fehl (mit dem Schlüssel signierter Beispiel-Arbeitsablauf lässt sich verifizieren)',
    );
    await useLanguage('ja');
    expect(words(failed)).toBe(
      '配置の準備ができていません: 7 件中 1 件の確認が失敗（鍵で署名したサンプルのワークフローを検証できる）',
    );
  });

  it('other failures are not hidden behind the browser check', async () => {
    const result = await checkReadiness(
      api({ ok: false, error: { kind: 'forbidden', message: 'not permitted' } }),
      {},
      {},
      60,
    );
    expect(result).toEqual({ ok: false, error: { kind: 'forbidden', message: 'not permitted' } });
  });

  it('an expired self-signed certificate is one failure: its end is not counted again', async () => {
    const readiness = await browserReadiness(await answer(-400, -2), {}, new Date(), 60);
    expect(readiness.items.filter((i) => i.state === 'fail').map((i) => i.id)).toEqual([
      'valid-now',
    ]);
    // Whether it is valid beyond the warning threshold is moot: not run, with its reason.
    expect(readiness.items.find((i) => i.id === 'valid-beyond-warning')!.state).toBe('not-run');
    expect(words(readiness)).toBe(
      'Not ready to deploy: 1 of 7 checks fail (the certificate expired)',
    );
  });

  it('an expiring certificate fails "valid beyond the warning threshold"; the row line says until when it deploys', async () => {
    const pair = await answer(-1, untilEndOfDay(20));
    const readiness = await browserReadiness(pair, {}, new Date(), 60);
    expect(readiness.items.find((i) => i.id === 'valid-beyond-warning')!.state).toBe('fail');
    expect(readinessLine(readiness).tone).toBe('warn');
    // The default format, in the browser's zone, as the row writes the certificate's end.
    const end = TestBed.inject(Preferences).date(new Date(Date.now() + untilEndOfDay(20) * DAY));
    // One failure, not two: the self-signed certificate's end is not counted again as its issuer's.
    expect(readiness.items.filter((i) => i.state === 'fail').length).toBe(1);
    expect(words(readiness)).toBe(
      `Ready to deploy until ${end}: renew before then (certificate valid beyond the warning threshold)`,
    );
  });

  it('an expired issuer is named as such on the row line, and deployments fail', async () => {
    const readiness: Readiness = {
      source: 'server',
      items: [
        { id: 'valid-now', state: 'pass', message: 'valid' },
        {
          id: 'issuer-valid',
          state: 'fail',
          code: 'readyExpired',
          params: { what: 'ca', subject: 'CN=CA', date: '2026-12-01', at: '2026-12-01T12:00:00Z' },
          message: 'The CA certificate "CN=CA" expired on 2026-12-01.',
        },
      ],
    };
    expect(readinessLine(readiness).tone).toBe('error');
    expect(words(readiness)).toBe(
      'Not ready to deploy: 1 of 2 checks fail (the issuer certificate expired)',
    );
  });

  it('counts "0 days" as today in every language', async () => {
    const item = {
      id: 'valid-beyond-warning' as const,
      state: 'fail' as const,
      code: 'readyOnlyDaysLeft',
      params: { days: 0 },
      message: 'Only 0 days left: renew the certificate.',
    };
    const i18n = TestBed.inject(I18n);
    expect(i18n.message(item)).toBe('It expires today: renew the certificate.');
    await useLanguage('de');
    expect(i18n.message(item)).toBe('Es läuft heute ab: Erneuern Sie das Zertifikat.');
  });
});

describe('ReadinessPanel', () => {
  async function render(readiness?: Readiness, error?: JocError) {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.readiness.set(readiness);
    fixture.componentInstance.error.set(error);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it("writes the reasons' dates and days in the person's zone and format, like the row", async () => {
    sessionStorage.setItem('joc-keys.session', JSON.stringify({ token: 't', account: 'alice' }));
    localStorage.setItem(
      'joc-keys.preferences.alice',
      JSON.stringify({ timeZone: 'Pacific/Auckland', dateFormat: 'DD.MM.YYYY' }),
    );
    try {
      // As the server writes it: the UTC date, and the moment itself. In Auckland (UTC+13 in
      // December) 14:00 UTC is already the next day.
      const at = new Date(Date.now() + 10 * DAY);
      at.setUTCHours(14, 0, 0, 0);
      const utcDate = at.toISOString().slice(0, 10);
      const { element } = await render({
        source: 'server',
        items: [
          {
            id: 'valid-now',
            state: 'pass',
            code: 'readyValidUntil',
            params: { what: 'certificate', date: utcDate, at: at.toISOString() },
            message: `The certificate is valid until ${utcDate}.`,
          },
        ],
      });
      const local = new Date(at.getTime() + 13 * 3_600_000);
      const day = String(local.getUTCDate()).padStart(2, '0');
      const month = String(local.getUTCMonth() + 1).padStart(2, '0');
      expect(element.querySelector('li .message')!.textContent).toBe(
        `The certificate is valid until ${day}.${month}.${local.getUTCFullYear()}.`,
      );
    } finally {
      sessionStorage.removeItem('joc-keys.session');
      localStorage.removeItem('joc-keys.preferences.alice');
    }
  });

  it('shows each item with its state in words and its reason', async () => {
    const { element } = await render({
      source: 'server',
      items: [
        { id: 'valid-now', state: 'pass', message: 'The certificate is valid until 2030-01-01.' },
        {
          id: 'issuer-valid',
          state: 'fail',
          message: 'The CA certificate "CN=CA" expires in 10 days.',
        },
        { id: 'sign-verify', state: 'not-run', message: 'Not checked in this browser.' },
      ],
    });
    const items = Array.from(element.querySelectorAll('li')).map((li) => [
      li.className,
      li.querySelector('strong')!.textContent,
      li.querySelector('.state')!.textContent!.replace(/\s+/g, ' ').trim(),
      li.querySelector('.message')!.textContent,
    ]);
    expect(items).toEqual([
      ['pass', 'Certificate valid now', '— Passed', 'The certificate is valid until 2030-01-01.'],
      [
        'fail',
        'Issuer certificate valid beyond the warning threshold',
        '— Failed',
        'The CA certificate "CN=CA" expires in 10 days.',
      ],
      [
        'not-run',
        'A sample workflow signed with the key verifies',
        '— Not run',
        'Not checked in this browser.',
      ],
    ]);
    expect(element.textContent).not.toContain('ran in your browser');
  });

  it('follows a language switch: heading, items, states, and reasons the console itself wrote', async () => {
    const { fixture, element } = await render({
      source: 'browser',
      items: [
        { id: 'valid-now', state: 'pass', message: 'The certificate is valid until 2030-01-01.' },
        {
          id: 'sign-verify',
          state: 'not-run',
          code: 'sig.readiness.noPrivateKey',
          message: 'Not checked in this browser.',
        },
      ],
    });
    await useLanguage('de');
    await fixture.whenStable();
    expect(element.querySelector('h3')!.textContent).toBe('Bereitschaft zum Ausrollen');
    expect(element.textContent).toContain('Warnschwelle von 60 Tagen');
    expect(element.textContent).toContain('Sie lief in Ihrem Browser');
    const items = Array.from(element.querySelectorAll('li')).map((li) =>
      li.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(items[0]).toContain('Zertifikat derzeit gültig — Bestanden');
    // A reason without a code stays as it came (the server's or the PKI core's English).
    expect(items[0]).toContain('The certificate is valid until 2030-01-01.');
    expect(items[1]).toContain('— Nicht ausgeführt');
    expect(items[1]).toContain('Der Server gibt den privaten Schlüssel');
  });

  it("shows a failure the console knows in the person's language", async () => {
    const { fixture, element } = await render(undefined, {
      kind: 'network',
      code: 'errors.network',
      message: 'The server cannot be reached: check the network connection and try again.',
    });
    await useLanguage('de');
    await fixture.whenStable();
    const alert = element.querySelector('[role=alert]')!.textContent!;
    expect(alert).toContain('Die Prüfung konnte nicht ausgeführt werden:');
    expect(alert).not.toContain('The server cannot be reached');
  });

  it('says when the check ran in the browser', async () => {
    const { element } = await render({ source: 'browser', items: [] });
    expect(element.textContent).toContain(
      'This JOC Cockpit does not offer the check: it ran in your browser',
    );
  });

  it('keeps the focus on its button while the check runs, and runs once at a time', async () => {
    const { fixture, element } = await render();
    const button = element.querySelector('button')!;
    button.focus();
    button.click();
    fixture.componentInstance.running.set(true);
    await fixture.whenStable();
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).withContext('the focused element while running').toBe(button);
    button.click();
    expect(fixture.componentInstance.runs).toBe(1);
    fixture.componentInstance.running.set(false);
    await fixture.whenStable();
    expect(document.activeElement).withContext('the focused element after running').toBe(button);
  });

  it('shows a failure of the call, and the button asks to run again', async () => {
    const { fixture, element } = await render(undefined, {
      kind: 'network',
      message: 'The server cannot be reached.',
    });
    expect(element.querySelector('[role=alert]')?.textContent).toContain(
      'The check could not run: The server cannot be reached.',
    );
    element.querySelector('button')!.click();
    expect(fixture.componentInstance.runs).toBe(1);
  });
});
