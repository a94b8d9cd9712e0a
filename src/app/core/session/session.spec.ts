import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { JocProperties, Permissions } from '../../../contract';
import { JocApi } from '../api/joc-api';
import type { ApiResult } from '../api/joc-error';
import { Session } from './session';

const properties: JocProperties = {
  securityLevel: 'MEDIUM',
  defaultProfileAccount: 'root',
  forceCommentsForAuditLog: false,
  comments: [],
};
const rights = (manage: boolean): Permissions => ({
  roles: [],
  joc: { administration: { certificates: { view: true, manage } } },
});

describe('Session', () => {
  /** The permissions answers the test gives, in the order the calls were made. */
  let permissions: ((answer: ApiResult<Permissions>) => void)[];

  beforeEach(() => {
    permissions = [];
    sessionStorage.setItem('joc-keys.session', JSON.stringify({ token: 'T1', account: 'alice' }));
    TestBed.configureTestingModule({
      providers: [
        // expire() goes to the login page: any page will do here.
        provideRouter([{ path: '**', children: [] }]),
        {
          provide: JocApi,
          useValue: {
            permissions: () => new Promise((resolve) => permissions.push(resolve)),
            properties: () => Promise.resolve({ ok: true, value: properties }),
            login: () =>
              Promise.resolve({
                ok: true,
                value: { accessToken: 'T2', account: 'bob', sessionTimeout: 1_800_000 },
              }),
          },
        },
      ],
    });
  });
  afterEach(() => sessionStorage.removeItem('joc-keys.session'));

  it("a refresh answered after the session changed does not overwrite the next account's rights", async () => {
    const session = TestBed.inject(Session);
    const restored = session.ready();
    permissions[0]({ ok: true, value: rights(true) });
    expect(await restored).toBe('ok');
    // alice's page comes back into view: her rights are read again, slowly.
    const refresh = session.refresh();
    // Meanwhile her session expires and bob, who may only view, logs in in this tab.
    session.expire();
    const login = session.login('bob', 'pw');
    await new Promise((r) => setTimeout(r));
    permissions[2]({ ok: true, value: rights(false) });
    expect(await login).toBeUndefined();
    permissions[1]({ ok: true, value: rights(true) });
    await refresh;
    expect(session.account()).toBe('bob');
    expect(session.policy()?.canManage).toBeFalse();
  });

  it("keeps the login answer's idle timeout with the session, across a reload of the tab", async () => {
    sessionStorage.removeItem('joc-keys.session');
    const session = TestBed.inject(Session);
    const login = session.login('bob', 'pw');
    await new Promise((r) => setTimeout(r));
    permissions[0]({ ok: true, value: rights(true) });
    expect(await login).toBeUndefined();
    expect(session.idleTimeout()).toBe(1_800_000);
    expect(JSON.parse(sessionStorage.getItem('joc-keys.session')!).timeout).toBe(1_800_000);
  });

  it("a login answered after another login does not overwrite that account's rights", async () => {
    const session = TestBed.inject(Session);
    const api = TestBed.inject(JocApi) as unknown as { login: () => Promise<unknown> };
    const tokens = ['T2', 'T3'];
    const accounts = ['bob', 'carol'];
    api.login = () =>
      Promise.resolve({
        ok: true,
        value: { accessToken: tokens.shift(), account: accounts.shift() },
      });
    sessionStorage.removeItem('joc-keys.session');
    // bob's login reads his rights slowly; carol logs in in the same tab meanwhile.
    const bob = session.login('bob', 'pw');
    await new Promise((r) => setTimeout(r));
    const carol = session.login('carol', 'pw');
    await new Promise((r) => setTimeout(r));
    permissions[1]({ ok: true, value: rights(false) });
    expect(await carol).toBeUndefined();
    permissions[0]({ ok: true, value: rights(true) });
    await bob;
    expect(session.account()).toBe('carol');
    expect(session.policy()?.canManage).toBeFalse();
  });
});
