import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { I18n } from '../core/i18n/i18n';
import { Session } from '../core/session/session';

/**
 * The Profile page: Preferences, Signature Key Management (when the policy shows it), SSL Key
 * Management. Its sections are pages of their own (each has its URL), so they are a navigation of
 * links, drawn as tabs, the current one marked with aria-current.
 */
@Component({
  selector: 'app-profile-page',
  imports: [RouterLink, RouterLinkActive, RouterOutlet, MatIcon, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>
      {{ 'profile.title' | translate }} <span class="account">{{ session.account() }}</span>
    </h1>
    @if (session.policy()?.notice; as notice) {
      <p class="notice"><mat-icon aria-hidden="true">info</mat-icon>{{ i18n.message(notice) }}</p>
    }
    <nav class="sections" [attr.aria-label]="'profile.sections' | translate">
      <a routerLink="preferences" routerLinkActive="current" ariaCurrentWhenActive="page">{{
        'profile.tabs.preferences' | translate
      }}</a>
      @if (session.policy()?.showTab) {
        <a routerLink="signature-keys" routerLinkActive="current" ariaCurrentWhenActive="page">{{
          'profile.tabs.signatureKeys' | translate
        }}</a>
      }
      <a routerLink="ssl-keys" routerLinkActive="current" ariaCurrentWhenActive="page">{{
        'profile.tabs.sslKeys' | translate
      }}</a>
    </nav>
    <div class="section">
      <router-outlet />
    </div>
  `,
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 12px;
    }
    .account {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-title-medium);
      margin-left: 8px;
    }
    .notice {
      display: flex;
      gap: 8px;
      align-items: center;
      padding: 12px 16px;
      border-radius: 8px;
      margin: 0 0 16px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    /* As Material's tabs look; in a narrow window they wrap rather than hide the last one. */
    .sections {
      display: flex;
      flex-wrap: wrap;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .sections a {
      position: relative;
      display: inline-flex;
      align-items: center;
      min-height: 48px;
      padding: 0 24px;
      font: var(--mat-sys-title-small);
      color: var(--mat-sys-on-surface-variant);
      text-decoration: none;
    }
    .sections a:hover {
      color: var(--mat-sys-on-surface);
      background: color-mix(in srgb, var(--mat-sys-on-surface) 8%, transparent);
    }
    .sections a:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: -2px;
    }
    .sections a.current {
      color: var(--mat-sys-on-surface);
    }
    .sections a.current::after {
      content: '';
      position: absolute;
      left: 0;
      right: 0;
      bottom: 0;
      /* A border, not a background: forced colours (Windows High Contrast) keep borders. */
      border-bottom: 2px solid var(--mat-sys-primary);
    }
    .section {
      padding-top: 16px;
    }
  `,
})
export class ProfilePage {
  protected readonly session = inject(Session);
  protected readonly i18n = inject(I18n);
}
