import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  signal,
  viewChild,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter } from 'rxjs';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Session } from '../core/session/session';
import { SigningKey, hasKeyPair } from '../core/session/signing-key';
import { AccountMenu } from './account-menu';
import { ExpiryBanner } from './expiry-banner';

/** How often a page left open looks whether its session outlived the server's idle timeout. */
const IDLE_CHECK_MS = 15_000;
/** Past the idle timeout by this much: the server counts from a call's arrival, not its start. */
const IDLE_MARGIN_MS = 5_000;

/** The console around every page: product name, account menu (Profile, Log out), expiry banner. */
@Component({
  selector: 'app-shell',
  imports: [RouterLink, RouterOutlet, ExpiryBanner, AccountMenu, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <!-- Handled here: with <base href="/"> the bare "#main" would load the page at "/" again. -->
    <a class="skip" href="#main" (click)="$event.preventDefault(); main.focus()">{{
      'shell.skip' | translate
    }}</a>
    <!-- Material's toolbar look in a header (the page's banner landmark), without its code in the first bundle. -->
    <header class="toolbar">
      <a class="product" routerLink="/profile">{{ 'common.product' | translate }}</a>
      <span class="spacer"></span>
      @defer (on idle; on interaction) {
        <app-account-menu [openAtOnce]="menuWanted()" />
      } @placeholder {
        <!-- Drawn like the menu's text button, without Material's button code in the first bundle. -->
        <button
          class="account-placeholder"
          type="button"
          [attr.aria-label]="'shell.accountMenu' | translate: { account: session.account() ?? '' }"
          (click)="menuWanted.set(true)"
        >
          <span class="material-symbols-outlined" aria-hidden="true">account_circle</span>
          <span class="account">{{ session.account() }}</span>
          <span class="material-symbols-outlined" aria-hidden="true">arrow_drop_down</span>
        </button>
      }
    </header>
    @defer (when certificateEnds()) {
      <app-expiry-banner />
    }
    <main id="main" tabindex="-1" #main>
      <router-outlet />
    </main>
  `,
  styles: `
    :host {
      display: block;
      min-height: 100vh;
    }
    .toolbar {
      display: flex;
      align-items: center;
      box-sizing: border-box;
      height: 64px;
      padding: 0 16px;
      white-space: nowrap;
      background: var(--mat-sys-surface-container);
      color: var(--mat-sys-on-surface);
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .product {
      color: inherit;
      text-decoration: none;
      font: var(--mat-sys-title-large);
      /* The account button keeps its room on a narrow screen; the name gives way. */
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    @media (max-width: 400px) {
      .product {
        font: var(--mat-sys-title-medium);
      }
    }
    .spacer {
      flex: 1;
    }
    main {
      padding: 24px;
      max-width: 1280px;
      margin: 0 auto;
      outline: none;
    }
    .account-placeholder {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      height: 40px;
      padding: 0 12px 0 12px;
      border: 0;
      border-radius: 20px;
      background: transparent;
      color: var(--mat-sys-primary);
      font: var(--mat-sys-label-large);
      cursor: pointer;
    }
    .account-placeholder .material-symbols-outlined {
      font-size: 18px;
      width: 18px;
      height: 18px;
    }
    .skip {
      position: absolute;
      left: -9999px;
    }
    .skip:focus {
      left: 8px;
      top: 8px;
      z-index: 10;
      padding: 8px;
      background: var(--mat-sys-surface);
    }
  `,
})
export class Shell {
  protected readonly session = inject(Session);
  private readonly signingKey = inject(SigningKey);
  /** A click on the placeholder asks for the menu: it opens as soon as its code has loaded. */
  protected readonly menuWanted = signal(false);

  /**
   * The banner (and the preferences with its warning threshold) loads once a certificate's end
   * date is known; the first paint does without it.
   */
  protected readonly certificateEnds = computed(() => {
    const pair = this.signingKey.pair();
    return hasKeyPair(pair) && !!pair.validUntil;
  });

  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  constructor() {
    void this.signingKey.load();
    // A navigation that removed the focused element (Log in, a link inside a dialog) leaves the
    // focus on the page body: it goes to the page's content instead, where a screen reader reads
    // on. A page's first load keeps the focus at the top, where the skip link is.
    const document = inject(DOCUMENT);
    const injector = inject(Injector);
    // A page left open in another browser tab, back in view: what the server holds now (another
    // session may have changed the key, an administrator the security level), unless just read.
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      void this.signingKey.load();
      void this.session.refresh({ maxAgeMs: 30_000 });
    };
    document.addEventListener('visibilitychange', onVisible);
    // A session idle past the server's timeout has ended there: the page goes to the login page,
    // taking an open Show dialog with its private key off the screen, as JOC Cockpit's own pages
    // do. It does not ask the server: any call would keep the session alive for another browser
    // tab holding the same token (a duplicated tab), and two such tabs asking in turn would keep
    // it alive for ever.
    const idleCheck = setInterval(() => {
      const timeout = this.session.idleTimeout();
      if (timeout && timeout > 0 && Date.now() - this.session.lastCallAt > timeout + IDLE_MARGIN_MS)
        this.session.expire();
    }, IDLE_CHECK_MS);
    inject(DestroyRef).onDestroy(() => {
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(idleCheck);
    });
    inject(Router)
      .events.pipe(
        filter((e) => e instanceof NavigationEnd && e.id > 1),
        takeUntilDestroyed(),
      )
      .subscribe(() =>
        afterNextRender(
          () => {
            if (document.activeElement === document.body)
              this.main().nativeElement.focus({ preventScroll: true });
          },
          { injector },
        ),
      );
  }
}
