import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatToolbar } from '@angular/material/toolbar';
import { RouterLink, RouterOutlet } from '@angular/router';
import { Session } from '../core/session/session';
import { SigningKey } from '../core/session/signing-key';
import { AccountMenu } from './account-menu';
import { ExpiryBanner } from './expiry-banner';

/** The console around every page: product name, account menu (Profile, Log out), expiry banner. */
@Component({
  selector: 'app-shell',
  imports: [MatToolbar, MatButton, MatIcon, RouterLink, RouterOutlet, ExpiryBanner, AccountMenu],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip" href="#main">Skip to content</a>
    <mat-toolbar>
      <a class="product" routerLink="/profile">JS7 Key Management</a>
      <span class="spacer"></span>
      @defer (on idle; on interaction) {
        <app-account-menu />
      } @placeholder {
        <button mat-button aria-label="Account menu for {{ session.account() }}">
          <mat-icon aria-hidden="true">account_circle</mat-icon>
          <span class="account">{{ session.account() }}</span>
          <mat-icon aria-hidden="true" iconPositionEnd>arrow_drop_down</mat-icon>
        </button>
      }
    </mat-toolbar>
    <app-expiry-banner />
    <main id="main" tabindex="-1">
      <router-outlet />
    </main>
  `,
  styles: `
    :host { display: block; min-height: 100vh; }
    mat-toolbar { background: var(--mat-sys-surface-container); border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .product { color: inherit; text-decoration: none; font: var(--mat-sys-title-large); }
    .spacer { flex: 1; }
    main { padding: 24px; max-width: 1280px; margin: 0 auto; outline: none; }
    .skip { position: absolute; left: -9999px; }
    .skip:focus { left: 8px; top: 8px; z-index: 10; padding: 8px; background: var(--mat-sys-surface); }
  `,
})
export class Shell {
  protected readonly session = inject(Session);
  private readonly signingKey = inject(SigningKey);

  constructor() {
    void this.signingKey.load();
  }
}
