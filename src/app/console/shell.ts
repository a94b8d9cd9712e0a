import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatToolbar } from '@angular/material/toolbar';
import { RouterLink, RouterOutlet } from '@angular/router';
import { Session } from '../core/session/session';
import { SigningKey } from '../core/session/signing-key';
import { ExpiryBanner } from './expiry-banner';

/** The console around every page: product name, account menu (Profile, Log out), expiry banner. */
@Component({
  selector: 'app-shell',
  imports: [MatToolbar, MatButton, MatIcon, MatMenu, MatMenuItem, MatMenuTrigger, RouterLink, RouterOutlet, ExpiryBanner],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip" href="#main">Skip to content</a>
    <mat-toolbar>
      <a class="product" routerLink="/profile">JS7 Key Management</a>
      <span class="spacer"></span>
      <button mat-button [matMenuTriggerFor]="userMenu" aria-label="Account menu for {{ session.account() }}">
        <mat-icon aria-hidden="true">account_circle</mat-icon>
        <span class="account">{{ session.account() }}</span>
        <mat-icon aria-hidden="true" iconPositionEnd>arrow_drop_down</mat-icon>
      </button>
      <mat-menu #userMenu="matMenu" xPosition="before">
        <a mat-menu-item routerLink="/profile/preferences"><mat-icon aria-hidden="true">person</mat-icon>Profile</a>
        <button mat-menu-item type="button" (click)="logout()"><mat-icon aria-hidden="true">logout</mat-icon>Log out</button>
      </mat-menu>
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

  protected async logout(): Promise<void> {
    this.signingKey.reset();
    await this.session.logout();
  }
}
