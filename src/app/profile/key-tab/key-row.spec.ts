import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { keyPolicy, type KeyPolicy } from '../../core/session/key-policy';
import { KeyRow, type KeyAction } from './key-row';
import { summarizeKey, type KeySummary } from './key-summary';
import { fixtureText } from '../../../pki/testing';
import { pairValidBetween, testProviders, useLanguage } from './testing';
import { Preferences } from '../../core/session/preferences';

@Component({
  imports: [KeyRow],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<table>
    <tbody>
      <tr appKeyRow [summary]="summary()" [policy]="policy()" (action)="actions.push($event)"></tr>
    </tbody>
  </table>`,
})
class Host {
  readonly summary = signal<KeySummary>({ status: { kind: 'none' }, hasPrivateKey: false });
  readonly policy = signal<KeyPolicy>(keyPolicy('LOW', 'root', { view: true, manage: true }));
  readonly actions: KeyAction[] = [];
}

describe('KeyRow', () => {
  const manage = keyPolicy('MEDIUM', 'alice', { view: true, manage: true });
  const viewOnly = keyPolicy('MEDIUM', 'alice', { view: true, manage: false });

  async function render(summary: KeySummary, policy = manage) {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.summary.set(summary);
    fixture.componentInstance.policy.set(policy);
    await fixture.whenStable();
    const row = fixture.nativeElement.querySelector('tr') as HTMLElement;
    const buttons = () =>
      Array.from(row.querySelectorAll('button')).map((b) => b.getAttribute('aria-label'));
    return { fixture, row, buttons };
  }

  const answerFor = async (fromDays: number, untilDays: number) => {
    const pair = await pairValidBetween(fromDays, untilDays);
    return {
      privateKey: pair.privateKey.pem,
      certificate: pair.certificate.pem,
      keyAlgorithm: 'ECDSA',
    };
  };

  it('says "No key is present" and offers the actions that fix it', async () => {
    const { row, buttons } = await render(await summarizeKey({}, new Date(), 60));
    expect(row.textContent).toContain('Keys and Certificates');
    expect(row.textContent).toContain('No key is present');
    expect(buttons()).toEqual(['Update', 'Import', 'Generate']);
  });

  it('shows a valid certificate: subject, words, period with a bar, algorithm, fingerprint', async () => {
    const summary = await summarizeKey(await answerFor(-100, 265), new Date(), 60);
    const { row, buttons } = await render(summary);
    expect(row.textContent).toContain('CN=test,OU=JOC,O=JS7');
    expect(row.querySelector('.status')?.textContent).toContain('Valid');
    expect(row.querySelector('.status mat-icon')?.textContent).toContain('check_circle');
    expect(row.textContent).toContain('ECDSA P-256');
    expect(row.querySelector('.fingerprint')?.textContent?.replace(/\s/g, '')).toBe(
      summary.certificate!.fingerprintSha256,
    );
    expect(row.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe(
      '27% of the validity period used',
    );
    expect(buttons()).toEqual(['Show', 'Update', 'Import', 'Generate', 'Delete']);
  });

  it('warns "expires in N days" inside the threshold', async () => {
    const { row } = await render(await summarizeKey(await answerFor(-300, 30), new Date(), 60));
    expect(row.querySelector('.status')?.textContent).toMatch(/Expires in (29|30) days/);
    expect(row.querySelector('.status mat-icon')?.textContent).toContain('warning');
  });

  it('takes the threshold from the preference', async () => {
    const { row } = await render(await summarizeKey(await answerFor(-300, 30), new Date(), 10));
    expect(row.querySelector('.status')?.textContent).toContain('Valid');
  });

  it('says "expired on DATE"', async () => {
    const answer = await answerFor(-400, -35);
    const summary = await summarizeKey(answer, new Date(), 60);
    const { row } = await render(summary);
    const day = summary.certificate!.notAfter.toISOString().slice(0, 10);
    expect(row.querySelector('.status')?.textContent).toContain(`Expired on`);
    expect(row.querySelector('.status')?.textContent).toMatch(/Expired on \d{4}-\d{2}-\d{2}/);
    expect(
      Math.abs(
        Date.parse(/Expired on (\d{4}-\d{2}-\d{2})/.exec(row.textContent!)![1]) - Date.parse(day),
      ),
    ).toBeLessThanOrEqual(86_400_000);
  });

  it('says "not yet valid"', async () => {
    const { row } = await render(await summarizeKey(await answerFor(5, 300), new Date(), 60));
    expect(row.querySelector('.status')?.textContent).toContain('Not yet valid');
    // The moment it starts, to the minute, as the banner says it.
    expect(row.querySelector('.status .state')?.textContent).toMatch(
      /Not yet valid \(from \d{4}-\d{2}-\d{2} \d{2}:\d{2} /,
    );
    // Deployments fail until then: the error tone of the banner and the readiness line.
    expect(row.querySelector('.status')?.classList).toContain('error');
  });

  it('an end today or tomorrow is given to the minute', async () => {
    const summary = await summarizeKey(await answerFor(-100, 265), new Date(), 60);
    const until = new Date(Date.UTC(2026, 11, 3, 0, 0, 30));
    const { row, fixture } = await render({
      ...summary,
      status: { kind: 'expiring', daysLeft: 0, until },
    });
    const at = TestBed.inject(Preferences).dateTime(until);
    expect(row.querySelector('.status .state')?.textContent).toContain(`Expires today, at ${at}`);
    fixture.componentInstance.summary.set({
      ...summary,
      status: { kind: 'expiring', daysLeft: 1, until },
    });
    fixture.detectChanges();
    expect(row.querySelector('.status .state')?.textContent).toContain(
      `Expires tomorrow, at ${at}`,
    );
    fixture.componentInstance.summary.set({
      ...summary,
      status: { kind: 'expiring', daysLeft: 2, until },
    });
    fixture.detectChanges();
    expect(row.querySelector('.status .state')?.textContent).toContain('Expires in 2 days');
  });

  it('says "no certificate (deployments will fail)" for a key alone', async () => {
    const pair = await pairValidBetween(-1, 100);
    const { row } = await render(
      await summarizeKey(
        { privateKey: pair.privateKey.pem, keyAlgorithm: 'ECDSA' },
        new Date(),
        60,
      ),
    );
    expect(row.querySelector('.status')?.textContent).toContain(
      'No certificate (deployments will fail)',
    );
    expect(row.textContent).toContain('ECDSA P-256');
  });

  it('has no change buttons without manage: absent, not disabled', async () => {
    const { buttons } = await render(
      await summarizeKey(await answerFor(-1, 100), new Date(), 60),
      viewOnly,
    );
    expect(buttons()).toEqual(['Show']);
  });

  it('emits the action of a button, each named by its tooltip', async () => {
    const { fixture, row } = await render(
      await summarizeKey(await answerFor(-1, 100), new Date(), 60),
    );
    for (const button of Array.from(row.querySelectorAll('button'))) {
      expect(button.getAttribute('title')).toBe(button.getAttribute('aria-label'));
      button.click();
    }
    expect(fixture.componentInstance.actions).toEqual([
      'show',
      'update',
      'import',
      'generate',
      'delete',
    ]);
  });

  it('a certificate with no expiry date (99991231235959Z): no day count, no year 10000, no bar', async () => {
    const answer = {
      privateKey: fixtureText('noexpiry.pkcs8.pem'),
      certificate: fixtureText('noexpiry.crt.pem'),
      keyAlgorithm: 'ECDSA',
    };
    // The longest warning threshold the preferences take: still no warning.
    const summary = await summarizeKey(answer, new Date(), 3650);
    expect<unknown>(summary.status).toEqual({
      kind: 'valid',
      daysLeft: jasmine.any(Number),
      noExpiry: true,
    });
    const { row, fixture } = await render(summary);
    expect(row.querySelector('.status .state')?.textContent).toContain('Valid');
    expect(row.querySelector('.status .hint')?.textContent).toBe('No expiry date');
    const validity = () => row.querySelector('td.validity')!.textContent!.trim();
    expect(validity()).toMatch(/^\d{4}-\d{2}-\d{2} – no expiry date$/);
    expect(row.querySelector('mat-progress-bar')).toBeNull();
    expect(row.textContent).not.toMatch(/9999|10000|days? left|of the validity period/);
    await useLanguage('de');
    fixture.detectChanges();
    expect(row.querySelector('.status .hint')?.textContent).toBe('Kein Ablaufdatum');
    expect(validity()).toMatch(/ – kein Ablaufdatum$/);
  });

  it('counts days with the plural of the language: "1 day left", not "1 days left"', async () => {
    const summary = await summarizeKey(await answerFor(-100, 265), new Date(), 60);
    const { row, fixture } = await render({ ...summary, status: { kind: 'valid', daysLeft: 1 } });
    expect(row.querySelector('.status .hint')?.textContent).toBe('1 day left');
    fixture.componentInstance.summary.set({
      ...summary,
      status: { kind: 'expiring', daysLeft: 1 },
    });
    fixture.detectChanges();
    // One calendar day is tomorrow, as the banner says.
    expect(row.querySelector('.status .state')?.textContent).toContain('Expires tomorrow');
    expect(row.querySelector('.status .state')?.textContent).not.toContain('1 days');
  });

  it('follows a switch to German at once: status, hint, bar, buttons and cell labels', async () => {
    const summary = await summarizeKey(await answerFor(-100, 265), new Date(), 60);
    const { row, fixture, buttons } = await render(summary);
    await useLanguage('de');
    fixture.detectChanges();
    expect(row.querySelector('th')?.textContent).toBe('Schlüssel und Zertifikate');
    expect(row.querySelector('.status .state')?.textContent).toContain('Gültig');
    expect(row.querySelector('.status .hint')?.textContent).toMatch(/^Noch 26[45] Tage$/);
    expect(row.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toMatch(
      /^27\s%\s?der Gültigkeitsdauer verstrichen$/,
    );
    expect(buttons()).toEqual(['Anzeigen', 'Aktualisieren', 'Importieren', 'Erzeugen', 'Löschen']);
    expect(row.querySelector('td.validity')?.getAttribute('data-label')).toBe('Gültigkeit');
    fixture.componentInstance.summary.set({
      ...summary,
      status: { kind: 'expiring', daysLeft: 1 },
    });
    fixture.detectChanges();
    expect(row.querySelector('.status .state')?.textContent).toContain('Läuft morgen ab');
  });

  it("writes Japanese without plural forms, and an unreadable certificate in the PKI core's words", async () => {
    const { row, fixture } = await render({
      status: {
        kind: 'unreadable',
        code: 'no-such-code',
        message: 'The certificate is not PEM.',
      },
      hasPrivateKey: true,
    });
    expect(row.querySelector('.status .state')?.textContent).toContain(
      'The certificate cannot be read: The certificate is not PEM.',
    );
    await useLanguage('ja');
    fixture.detectChanges();
    expect(row.querySelector('.status .state')?.textContent).toContain(
      '証明書を読み取れません: The certificate is not PEM.',
    );
    const summary = await summarizeKey(await answerFor(-100, 265), new Date(), 60);
    fixture.componentInstance.summary.set({
      ...summary,
      status: { kind: 'expiring', daysLeft: 3 },
    });
    fixture.detectChanges();
    expect(row.querySelector('.status .state')?.textContent).toContain('あと 3 日で期限切れ');
  });

  it("an unreadable certificate: the PKI core's reason follows a switch, by its code", async () => {
    const pair = await pairValidBetween(-1, 100);
    const summary = await summarizeKey(
      {
        privateKey: pair.privateKey.pem,
        certificate: '-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n',
        keyAlgorithm: 'ECDSA',
      },
      new Date(),
      60,
    );
    expect(summary.status.kind).toBe('unreadable');
    const english = summary.status.kind === 'unreadable' ? summary.status.message : '';
    expect(summary.status).toEqual(jasmine.objectContaining({ code: jasmine.any(String) }));
    const { row, fixture } = await render(summary);
    const state = () => row.querySelector('.status .state')?.textContent ?? '';
    expect(state()).toContain(`The certificate cannot be read: ${english}`);
    await useLanguage('de');
    fixture.detectChanges();
    expect(state()).toContain('Das Zertifikat kann nicht gelesen werden: ');
    expect(state()).not.toContain(english);
  });

  it('a stored certificate with a compressed EC key: the row says JS7 cannot read it, and why', async () => {
    const summary = await summarizeKey(
      {
        privateKey: fixtureText('ec256.sec1-compressed.pem'),
        certificate: fixtureText('ec256.compressed.crt.pem'),
        keyAlgorithm: 'ECDSA',
      },
      new Date(),
      60,
    );
    expect(summary.status).toEqual(
      jasmine.objectContaining({ kind: 'unreadable', code: 'certificateKeyCompressed' }),
    );
    expect(summary.algorithm).toBe('ECDSA P-256');
    const { row } = await render(summary);
    expect(row.querySelector('.status .state')?.textContent).toContain(
      "The certificate cannot be read: The certificate's EC public key is in compressed form, which JOC Cockpit and the Controllers (Java) cannot read",
    );
  });
});
