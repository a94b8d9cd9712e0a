import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import type { JocKeyPairAnswer, JocSecurityLevel } from '../../../contract';
import { Session } from '../../core/session/session';
import { keyPolicy } from '../../core/session/key-policy';
import {
  JOC_EC_PUBLIC_KEY_AS_SENT,
  JOC_PUBLIC_KEY,
  REAL_JOC_ERRORS,
  REAL_JOC_KEYS,
} from '../../testing/real-joc-answers';
import { KeyDialogs } from '../key-tab/key-dialogs';
import { pairValidBetween, testProviders, until, useLanguage } from '../key-tab/testing';
import { SignatureKeysTab } from './signature-keys-tab';

/**
 * The Signature tab against what a real JOC Cockpit answers (src/app/testing/real-joc-answers.ts):
 * a certificate without key, PGP and ML-DSA keys, a missing `/profile/key/check`, and JOC 2.9.0's
 * LOW defect (Update and Import write another row than the one read back).
 */
describe('SignatureKeysTab against a real JOC Cockpit', () => {
  async function render(answer: JocKeyPairAnswer, level: JocSecurityLevel = 'LOW') {
    const certificates = { view: true, manage: true };
    const session: Partial<Session> = {
      token: signal('T'),
      refresh: () => Promise.resolve(),
      account: signal('root'),
      properties: signal({
        securityLevel: level,
        defaultProfileAccount: 'root',
        forceCommentsForAuditLog: false,
        comments: [],
      }),
      permissions: signal({ roles: [], joc: { administration: { certificates } } }),
      policy: signal(keyPolicy(level, 'root', certificates, 'root')),
      embedded: signal(false),
      serverCheck: { missing: false },
    };
    TestBed.configureTestingModule({
      imports: [SignatureKeysTab],
      providers: [...testProviders(), { provide: Session, useValue: session }],
    });
    await TestBed.compileComponents();
    const fixture = TestBed.createComponent(SignatureKeysTab);
    const http = TestBed.inject(HttpTestingController);
    const element = fixture.nativeElement as HTMLElement;
    const answerKey = (value: JocKeyPairAnswer) =>
      http.match('/joc/api/profile/key').some((call) => (call.flush(value), true));
    await until(() => (fixture.detectChanges(), answerKey(answer)), 'the /profile/key call');
    await until(
      () => (fixture.detectChanges(), !!element.querySelector('td.status .state')),
      'the row',
    );
    await until(
      () => http.match('/joc/api/profile/ca').some((call) => (call.flush({}), true)),
      'the /profile/ca call',
    );
    /** Text as a person reads it: change detection first, spaces (and &nbsp;) as one space. */
    const read = (node: Element | null | undefined) => (
      fixture.detectChanges(),
      (node?.textContent ?? '').replace(/\s+/g, ' ')
    );
    const text = () => read(element);
    const rowText = () => read(element.querySelector('tr[appKeyRow]'));
    /** Answers the readiness check as real JOC does (Jersey's 404); false while none is open. */
    const answerCheck = () =>
      http
        .match('/joc/api/profile/key/check')
        .some(
          (call) => (
            call.flush(REAL_JOC_ERRORS.noCheck.body, { status: 404, statusText: 'Not Found' }),
            true
          ),
        );
    const panel = () =>
      read(element.querySelector('app-readiness-panel ul[aria-label="Readiness checks"]'));
    const session$ = session as { serverCheck: { missing: boolean } };
    return {
      read,
      fixture,
      http,
      element,
      text,
      rowText,
      answerKey,
      answerCheck,
      panel,
      session$,
    };
  }

  it('a certificate without key (keyType PUBLIC): the row and readiness say the key is missing, never ready', async () => {
    const tab = await render(REAL_JOC_KEYS.certificateOnly);
    expect(tab.rowText()).toContain('No private key (deployments will fail)');
    expect(tab.rowText()).toContain('Store the private key with Update or Import');
    expect(tab.rowText()).toContain('CN=root,');
    await until(() => (tab.text(), tab.answerCheck()), 'the readiness check');
    await until(() => tab.panel().includes('Private key stored'), 'the readiness items');
    expect(tab.panel()).toContain('Private key stored — Failed');
    expect(tab.panel()).toContain('No private key is stored');
    await until(() => tab.rowText().includes('Not ready to deploy'), 'the readiness line');
    expect(tab.text()).not.toContain('Ready to deploy');
    expect(tab.text()).not.toContain('Ready as far as checked');
    expect(tab.text()).not.toContain('Not run');
  });

  // JOC sends this certificate (its issuer is not its subject), and Controllers accept it only when
  // a certificate they hold with basicConstraints signed it: it has no extensions at all.
  it('a pair JOC generated (issuer "O=JOC,OU=Self Signed", signed by its own key): not ready, says why', async () => {
    const tab = await render(REAL_JOC_KEYS.generated);
    await until(() => (tab.text(), tab.answerCheck()), 'the readiness check');
    await until(() => tab.panel().includes('Issuer certificate available'), 'the readiness items');
    expect(tab.panel()).toContain('Issuer certificate available and directly signing — Failed');
    expect(tab.panel()).toContain(
      'The certificate is signed with its own key but names "OU=Self Signed,O=JOC" as its issuer and has no basicConstraints extension',
    );
    await until(() => tab.rowText().includes('Not ready to deploy'), 'the readiness line');
    await until(() => tab.text().includes('What to do: generate a new key with'), 'trust');
    expect(tab.text()).not.toContain('Download trusted-x509-keys');
  });

  it('an ECDSA key without certificate: Show offers the key’s own public key, not the generator point JOC sends', async () => {
    const tab = await render(REAL_JOC_KEYS.keyWithoutCertificate);
    expect(tab.rowText()).toContain('ECDSA P-256');
    (
      tab.element.querySelector('tr[appKeyRow] button[aria-label="Show"]') as HTMLButtonElement
    ).click();
    await until(
      () => (tab.fixture.detectChanges(), tab.answerKey(REAL_JOC_KEYS.keyWithoutCertificate)),
      'read again',
    );
    const dialogText = () => tab.read(document.querySelector('mat-dialog-container'));
    await until(() => dialogText().includes('Public key'), 'the Show dialog');
    const shown = document.querySelector('mat-dialog-container pre[aria-label="Public key"]');
    const base64 = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
    expect(base64(shown?.textContent ?? '')).toBe(base64(JOC_PUBLIC_KEY));
    expect(base64(shown?.textContent ?? '')).not.toBe(base64(JOC_EC_PUBLIC_KEY_AS_SENT));
  });

  it('a PGP key: the row says what is stored and that JOC manages it; no check fails; Show works', async () => {
    const tab = await render(REAL_JOC_KEYS.pgp);
    expect(tab.rowText()).toContain('PGP key stored (managed in JOC Cockpit)');
    expect(tab.rowText()).toContain('see and change this PGP key in JOC Cockpit');
    expect(tab.rowText()).toContain('Valid until 2035-01-01');
    await until(() => tab.rowText().includes('not checked here'), 'the readiness line');
    // Not asked of the server at all, and nothing reported as failed.
    expect(tab.http.match('/joc/api/profile/key/check').length).toBe(0);
    expect(tab.text()).not.toContain('Failed');
    expect(tab.text()).not.toContain('cannot be read');
    await until(() => tab.text().includes('this is a PGP key managed in JOC Cockpit'), 'panel');
    expect(tab.text()).not.toContain('Not run');
    expect(tab.text()).not.toContain('it ran in your browser');
    expect(tab.element.querySelector('app-trust-panel')).toBeNull();
    (
      tab.element.querySelector('tr[appKeyRow] button[aria-label="Show"]') as HTMLButtonElement
    ).click();
    await until(
      () => (tab.fixture.detectChanges(), tab.answerKey(REAL_JOC_KEYS.pgp)),
      'read again',
    );
    // Read from the page, not through a harness: the tab's other panels may keep requests open.
    const dialogText = () => tab.read(document.querySelector('mat-dialog-container'));
    await until(() => dialogText().includes('Key ID'), 'the Show dialog');
    const content = dialogText();
    expect(content).toContain('PGP key stored (managed in JOC Cockpit)');
    expect(content).toContain('4350EA888F4373D6');
    expect(content).toContain('Public key');
    expect(content).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(content).toContain('Private key');
    expect(content).toContain('Download .asc');
  });

  it('an ML-DSA public key alone: says so, and that deployments fail without the private key', async () => {
    const tab = await render(REAL_JOC_KEYS.mldsaPublic);
    expect(tab.rowText()).toContain(
      'ML-DSA public key only: no private key (deployments will fail)',
    );
    expect(tab.rowText()).not.toContain('cannot be read');
  });

  it('JOC lacks /profile/key/check: the browser checks, and the server is not asked again this session', async () => {
    const tab = await render(REAL_JOC_KEYS.pair);
    await until(() => (tab.text(), tab.answerCheck()), 'the readiness check');
    await until(() => tab.text().includes('it ran in your browser'), 'the browser check');
    expect(tab.session$.serverCheck.missing).toBeTrue();
    const run = tab.element.querySelector('app-readiness-panel button') as HTMLButtonElement;
    run.click();
    for (let i = 0; i < 10; i++) {
      tab.text();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(tab.http.match('/joc/api/profile/key/check').length).toBe(0);
    expect(tab.text()).toContain('it ran in your browser');
  });

  describe('JOC 2.9.0 at LOW: Update and Import answer ok but write another key', () => {
    for (const [action, method] of [
      ['Update', 'update'],
      ['Import', 'import'],
    ] as const) {
      it(`${action}: the re-read shows the old certificate, so the tab says so and what to do`, async () => {
        const tab = await render(REAL_JOC_KEYS.pair);
        const sent = (await pairValidBetween(-1, 300, 'ECDSA', 'CN=new,OU=JOC,O=JS7')).certificate
          .pem;
        spyOn(TestBed.inject(KeyDialogs), method).and.resolveTo(
          method === 'update'
            ? { saved: true, certificate: sent }
            : { imported: true, certificate: sent },
        );
        (
          tab.element.querySelector(
            `tr[appKeyRow] button[aria-label="${action}"]`,
          ) as HTMLButtonElement
        ).click();
        await until(() => (tab.text(), tab.answerKey(REAL_JOC_KEYS.pair)), 'the read before');
        // JOC 2.9.0 wrote the caller's own row: the LOW row read back still holds the old pair.
        await until(() => (tab.text(), tab.answerKey(REAL_JOC_KEYS.pair)), 'the key read again');
        await until(() => tab.text().includes('reading the key back'), 'the alert');
        const alert = tab.element.querySelector('.not-applied')?.textContent ?? '';
        expect(alert).toContain('shows a different certificate');
        expect(alert).toContain('the key shown here is not the one you sent');
        expect(alert).toContain('which signs nothing at LOW. Use Generate instead.');
        await useLanguage('fr');
        tab.fixture.detectChanges();
        expect(tab.element.querySelector('.not-applied')?.textContent).toContain(
          'la relecture de la clé montre un autre certificat',
        );
      });
    }

    it('Import into an empty LOW row: the re-read shows no key at all', async () => {
      const tab = await render(REAL_JOC_KEYS.nothing);
      spyOn(TestBed.inject(KeyDialogs), 'import').and.resolveTo({
        imported: true,
        certificate: REAL_JOC_KEYS.pair.certificate!,
      } as never);
      (
        tab.element.querySelector('tr[appKeyRow] button[aria-label="Import"]') as HTMLButtonElement
      ).click();
      await until(() => (tab.text(), tab.answerKey({})), 'the read before the dialog');
      await until(() => (tab.text(), tab.answerKey({})), 'the key read again');
      await until(() => tab.text().includes('shows no key at all'), 'the alert');
      expect(tab.rowText()).toContain('No key is present');
    });

    it('no alert when the re-read shows the certificate sent (however it is wrapped)', async () => {
      const tab = await render(REAL_JOC_KEYS.nothing);
      const rewrapped = REAL_JOC_KEYS.pair.certificate!.replace(/\n(?!-)/g, '\r\n');
      spyOn(TestBed.inject(KeyDialogs), 'update').and.resolveTo({
        saved: true,
        certificate: rewrapped,
      });
      (
        tab.element.querySelector('tr[appKeyRow] button[aria-label="Update"]') as HTMLButtonElement
      ).click();
      await until(() => (tab.text(), tab.answerKey(REAL_JOC_KEYS.nothing)), 'the read before');
      await until(() => (tab.text(), tab.answerKey(REAL_JOC_KEYS.pair)), 'the key read again');
      await until(() => tab.rowText().includes('CN=root,'), 'the new row');
      expect(tab.element.querySelector('.not-applied')).toBeNull();
    });
  });
});
