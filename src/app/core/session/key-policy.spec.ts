import { TestBed } from '@angular/core/testing';
import type { JocSecurityLevel } from '../../../contract';
import { I18n } from '../i18n/i18n';
import { provideI18nTesting } from '../i18n/testing';
import { keyPolicy } from './key-policy';

describe('keyPolicy', () => {
  const none = { view: false, manage: false };
  const view = { view: true, manage: false };
  const manage = { view: true, manage: true };
  // level, account, permissions, tab shown, manage buttons, whose key
  const table: ReadonlyArray<[JocSecurityLevel, string, typeof none, boolean, boolean, string]> = [
    ['LOW', 'root', manage, true, true, 'root'],
    ['LOW', 'root', view, true, false, 'root'],
    ['LOW', 'root', none, false, false, 'root'],
    ['LOW', 'alice', manage, false, false, 'root'],
    ['LOW', 'alice', view, false, false, 'root'],
    ['MEDIUM', 'root', manage, true, true, 'root'],
    ['MEDIUM', 'alice', manage, true, true, 'alice'],
    ['MEDIUM', 'viewer', view, true, false, 'viewer'],
    ['MEDIUM', 'nobody', none, false, false, 'nobody'],
    ['HIGH', 'root', manage, false, false, 'root'],
    ['HIGH', 'alice', view, false, false, 'alice'],
  ];
  for (const [level, account, permissions, showTab, canManage, keyOwner] of table) {
    it(`${level} ${account} ${JSON.stringify(permissions)}: tab ${showTab}, manage ${canManage}`, () => {
      const policy = keyPolicy(level, account, permissions, 'root');
      expect(policy.showTab).toBe(showTab);
      expect(policy.canManage).toBe(canManage);
      expect(policy.keyOwner).toBe(keyOwner);
      expect(policy.notice === undefined).toBe(showTab);
    });
  }

  it('reads the key that signs the deployments for the banner: also at LOW for the others', () => {
    expect(keyPolicy('LOW', 'alice', view, 'root').readsKey).toBeTrue();
    expect(keyPolicy('LOW', 'root', view, 'root').readsKey).toBeTrue();
    expect(keyPolicy('MEDIUM', 'alice', view).readsKey).toBeTrue();
    expect(keyPolicy('LOW', 'alice', none, 'root').readsKey).toBeFalse();
    expect(keyPolicy('MEDIUM', 'nobody', none).readsKey).toBeFalse();
    expect(keyPolicy('HIGH', 'root', manage).readsKey).toBeFalse();
  });

  it('says in one sentence at HIGH that keys are managed outside the console', () => {
    expect(keyPolicy('HIGH', 'root', manage).notice?.message).toMatch(
      /^At security level HIGH signing keys are managed outside the console[^.]*\.$/,
    );
  });

  it('at LOW against JOC, the default account typed in another case (LDAP) manages the key', () => {
    expect(keyPolicy('LOW', 'Root', manage, 'root', true).showTab).toBeTrue();
    expect(keyPolicy('LOW', 'ADMIN', manage, 'admin', true).canManage).toBeTrue();
    expect(keyPolicy('LOW', 'rooty', manage, 'root', true).showTab).toBeFalse();
    // The embedded server's accounts are exact: "ROOT" is another account.
    expect(keyPolicy('LOW', 'ROOT', manage, 'root').showTab).toBeFalse();
  });

  it('honours a default profile account other than root', () => {
    expect(keyPolicy('LOW', 'admin', manage, 'admin').showTab).toBeTrue();
    expect(keyPolicy('LOW', 'root', manage, 'admin').showTab).toBeFalse();
  });

  it('each notice reads in English as written, and in German after a switch', async () => {
    // angular.json's providersFile is a Vitest option: Karma does not read it.
    TestBed.configureTestingModule({ providers: provideI18nTesting() });
    const i18n = TestBed.inject(I18n);
    const notices = [
      keyPolicy('HIGH', 'root', manage).notice!,
      keyPolicy('MEDIUM', 'nobody', none).notice!,
      keyPolicy('LOW', 'alice', manage, 'admin').notice!,
    ];
    for (const notice of notices) expect(i18n.message(notice)).toBe(notice.message);
    await i18n.use('de', false);
    expect(notices.map((n) => i18n.message(n))).toEqual([
      jasmine.stringMatching(/^In der Sicherheitsstufe HIGH /),
      jasmine.stringMatching(/^Ihrem Benutzerkonto fehlt die Berechtigung/),
      jasmine.stringMatching(/des Benutzerkontos admin jedes Ausrollen/),
    ]);
    document.documentElement.lang = 'en';
  });
});
