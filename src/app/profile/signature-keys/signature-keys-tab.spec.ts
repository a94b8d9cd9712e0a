import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { Session } from '../../core/session/session';
import { keyPolicy } from '../../core/session/key-policy';
import { SignatureKeysTab } from './signature-keys-tab';
import { pairValidBetween, testProviders, until } from '../key-tab/testing';

describe('SignatureKeysTab', () => {
  async function render() {
    const certificates = { view: true, manage: true };
    const session: Partial<Session> = {
      account: signal('root'),
      properties: signal({ securityLevel: 'LOW', defaultProfileAccount: 'root', forceCommentsForAuditLog: false, comments: [] }),
      permissions: signal({ roles: [], joc: { administration: { certificates } } }),
      policy: signal(keyPolicy('LOW', 'root', certificates, 'root')),
    };
    TestBed.configureTestingModule({ imports: [SignatureKeysTab], providers: [...testProviders(), { provide: Session, useValue: session }] });
    await TestBed.compileComponents();
    const fixture = TestBed.createComponent(SignatureKeysTab);
    const http = TestBed.inject(HttpTestingController);
    const element = fixture.nativeElement as HTMLElement;
    const pair = await pairValidBetween(-1, 300);
    const c = pair.certificate;
    await until(() => (fixture.detectChanges(), http.match('/joc/api/profile/key').some((call) => (call.flush({ privateKey: pair.privateKey.pem, certificate: c.pem, keyID: c.subject, validUntil: c.notAfter.toISOString(), keyAlgorithm: 'ECDSA' }), true))), 'the /profile/key call');
    // Not whenStable(): the tab's /profile/ca call stays open until a test answers it.
    await until(() => (fixture.detectChanges(), !!element.querySelector('td.status .state')?.textContent?.includes('Valid')), 'the row');
    return { fixture, http, element };
  }

  it('draws the row, then asks for the CA for the trust panel', async () => {
    const { http } = await render();
    await until(() => http.match('/joc/api/profile/ca').length > 0, 'the /profile/ca call');
  });
});
