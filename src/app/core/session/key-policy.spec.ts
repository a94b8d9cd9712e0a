import type { JocSecurityLevel } from '../../../contract';
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

  it('says in one sentence at HIGH that keys are managed outside the console', () => {
    expect(keyPolicy('HIGH', 'root', manage).notice?.message).toMatch(
      /^At security level HIGH signing keys are managed outside the console[^.]*\.$/,
    );
  });

  it('honours a default profile account other than root', () => {
    expect(keyPolicy('LOW', 'admin', manage, 'admin').showTab).toBeTrue();
    expect(keyPolicy('LOW', 'root', manage, 'admin').showTab).toBeFalse();
  });
});
