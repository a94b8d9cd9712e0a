import { signal } from '@angular/core';
import { DeferBlockBehavior, DeferBlockState, TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { Session } from '../core/session/session';
import { SigningKey } from '../core/session/signing-key';
import { Shell } from './shell';
import { provideI18nTesting } from '../core/i18n/testing';

describe('Shell', () => {
  it('a click on the account button before the menu has loaded opens the menu once it has', async () => {
    const session: Partial<Session> = { account: signal('alice'), policy: signal(undefined) };
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Session, useValue: session },
        {
          provide: SigningKey,
          useValue: {
            pair: signal(undefined),
            reset: () => undefined,
            load: async () => undefined,
          },
        },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
      deferBlockBehavior: DeferBlockBehavior.Manual,
    });
    await TestBed.compileComponents();
    const fixture = TestBed.createComponent(Shell);
    fixture.detectChanges();
    const placeholder = fixture.nativeElement.querySelector(
      'button.account-placeholder',
    ) as HTMLButtonElement;
    expect(placeholder.getAttribute('aria-label')).toBe('Account menu for alice');
    placeholder.click();
    const [menuBlock] = await fixture.getDeferBlocks();
    await menuBlock.render(DeferBlockState.Complete);
    await fixture.whenStable();
    const items = [...document.querySelectorAll('[role="menuitem"]')].map((i) =>
      i.textContent?.trim(),
    );
    expect(items.some((t) => t?.includes('Log out')))
      .withContext(String(items))
      .toBeTrue();
  });

  it('back in view after a while in another browser tab: reads the key and the policy again', async () => {
    const load = jasmine.createSpy('load').and.resolveTo(undefined);
    const refresh = jasmine.createSpy('refresh').and.resolveTo(undefined);
    const session: Partial<Session> = {
      account: signal('alice'),
      policy: signal(undefined),
      refresh,
    };
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [
        ...provideI18nTesting(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Session, useValue: session },
        { provide: SigningKey, useValue: { pair: signal(undefined), load } },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
      deferBlockBehavior: DeferBlockBehavior.Manual,
    });
    await TestBed.compileComponents();
    TestBed.createComponent(Shell).detectChanges();
    expect(load).toHaveBeenCalledTimes(1);
    spyOnProperty(document, 'visibilityState').and.returnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(load).toHaveBeenCalledTimes(2);
    // Within their max age both are answered from what was read (SigningKey and Session decide).
    expect(refresh).toHaveBeenCalledOnceWith({ maxAgeMs: 30_000 });
  });
  describe('a page left open', () => {
    beforeEach(() => {
      jasmine.clock().install();
      jasmine.clock().mockDate(new Date('2026-12-02T10:00:00Z'));
    });
    afterEach(() => jasmine.clock().uninstall());

    async function leftOpen(idleTimeout: number | undefined) {
      const session = {
        account: signal('alice'),
        policy: signal(undefined),
        idleTimeout: signal(idleTimeout),
        lastCallAt: Date.now(),
        // As Session's own: the session it ends has no timeout left to watch.
        expire: jasmine.createSpy('expire').and.callFake(() => session.idleTimeout.set(undefined)),
        refresh: jasmine.createSpy('refresh').and.resolveTo(undefined),
      };
      TestBed.configureTestingModule({
        imports: [Shell],
        providers: [
          ...provideI18nTesting(),
          provideRouter([]),
          provideHttpClient(),
          provideHttpClientTesting(),
          { provide: Session, useValue: session },
          {
            provide: SigningKey,
            useValue: { pair: signal(undefined), load: async () => undefined },
          },
          { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        ],
        deferBlockBehavior: DeferBlockBehavior.Manual,
      });
      await TestBed.compileComponents();
      TestBed.createComponent(Shell).detectChanges();
      return session;
    }

    it("goes to the login page once its session is idle past the server's timeout", async () => {
      const session = await leftOpen(60_000);
      jasmine.clock().tick(60_000);
      expect(session.expire).not.toHaveBeenCalled();
      // A call made meanwhile (a click on Show) starts the timeout again.
      session.lastCallAt = Date.now();
      jasmine.clock().tick(60_000);
      expect(session.expire).not.toHaveBeenCalled();
      jasmine.clock().tick(30_000);
      expect(session.expire).toHaveBeenCalledOnceWith();
      // It does not ask the server: a call would keep the session alive.
      expect(session.refresh).not.toHaveBeenCalled();
    });

    it('stays when the login answer named no idle timeout', async () => {
      const session = await leftOpen(undefined);
      jasmine.clock().tick(24 * 3600_000);
      expect(session.expire).not.toHaveBeenCalled();
    });
  });
});
