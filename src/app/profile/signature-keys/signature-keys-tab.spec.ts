import { PLATFORM_ID, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { Session } from '../../core/session/session';
import { keyPolicy } from '../../core/session/key-policy';
import { SignatureKeysTab } from './signature-keys-tab';
import { pairValidBetween, testProviders, until } from './testing';

/**
 * The tab as the browser draws it and as the embedded server draws it (server/src/page-render.ts):
 * in the browser it says when its row is drawn (the server's view of the page then goes); on the
 * server it draws the row only, without asking for the CA or running the readiness check.
 */
describe('SignatureKeysTab', () => {
  async function render(platform: 'browser' | 'server') {
    const certificates = { view: true, manage: true };
    const session: Partial<Session> = {
      account: signal('root'),
      properties: signal({ securityLevel: 'LOW', defaultProfileAccount: 'root', forceCommentsForAuditLog: false, comments: [] }),
      permissions: signal({ roles: [], joc: { administration: { certificates } } }),
      policy: signal(keyPolicy('LOW', 'root', certificates, 'root')),
    };
    TestBed.configureTestingModule({ providers: [...testProviders(), { provide: Session, useValue: session }, { provide: PLATFORM_ID, useValue: platform }] });
    const drawn: number[] = [];
    const listener = () => drawn.push(Date.now());
    document.addEventListener('joc-keys:drawn', listener);
    const fixture = TestBed.createComponent(SignatureKeysTab);
    const http = TestBed.inject(HttpTestingController);
    const element = fixture.nativeElement as HTMLElement;
    const pair = await pairValidBetween(-1, 300);
    const c = pair.certificate;
    await until(() => (fixture.detectChanges(), http.match('/joc/api/profile/key').some((call) => (call.flush({ privateKey: pair.privateKey.pem, certificate: c.pem, keyID: c.subject, validUntil: c.notAfter.toISOString(), keyAlgorithm: 'ECDSA' }), true))), 'the /profile/key call');
    // Not whenStable(): in the browser the tab's /profile/ca call stays open until a test answers it.
    await until(() => (fixture.detectChanges(), !!element.querySelector('td.status .state')?.textContent?.includes('Valid')), 'the row');
    return { fixture, http, element, drawn, done: () => document.removeEventListener('joc-keys:drawn', listener) };
  }

  it('in the browser: says the row is drawn, then asks for the CA for the trust panel', async () => {
    const { http, drawn, done } = await render('browser');
    try {
      await until(() => drawn.length > 0, 'joc-keys:drawn');
      await until(() => http.match('/joc/api/profile/ca').length > 0, 'the /profile/ca call');
    } finally {
      done();
    }
  });

  it('on the server: the row only; no CA, no trust panel, no readiness check', async () => {
    const { fixture, http, element, done } = await render('server');
    try {
      await fixture.whenStable();
      await new Promise((r) => setTimeout(r, 100));
      await fixture.whenStable();
      expect(element.querySelector('td.status .state')?.textContent).toContain('Valid');
      http.verify();
      expect(element.querySelector('app-trust-panel')).toBeNull();
    } finally {
      done();
    }
  });
});
