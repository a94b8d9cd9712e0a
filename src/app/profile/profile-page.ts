import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { MatTabLink, MatTabNav, MatTabNavPanel } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { I18n } from '../core/i18n/i18n';
import { Session } from '../core/session/session';

/** The Profile page: Preferences, Signature Key Management (when the policy shows it), SSL Key Management. */
@Component({
  selector: 'app-profile-page',
  imports: [
    MatTabNav,
    MatTabLink,
    MatTabNavPanel,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    MatIcon,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>
      {{ 'profile.title' | translate }} <span class="account">{{ session.account() }}</span>
    </h1>
    @if (session.policy()?.notice; as notice) {
      <p class="notice"><mat-icon aria-hidden="true">info</mat-icon>{{ i18n.message(notice) }}</p>
    }
    <!-- Three tabs wrap in a narrow window (styles.scss) rather than page with arrows, which
      measure the bar on every change. -->
    <nav
      mat-tab-nav-bar
      class="profile-tabs"
      mat-stretch-tabs="false"
      mat-align-tabs="start"
      [tabPanel]="panel"
      [disablePagination]="true"
      [attr.aria-label]="'profile.sections' | translate"
    >
      <a
        mat-tab-link
        routerLink="preferences"
        routerLinkActive
        #prefs="routerLinkActive"
        [active]="prefs.isActive"
        >{{ 'profile.tabs.preferences' | translate }}</a
      >
      @if (session.policy()?.showTab) {
        <a
          mat-tab-link
          routerLink="signature-keys"
          routerLinkActive
          #keys="routerLinkActive"
          [active]="keys.isActive"
          >{{ 'profile.tabs.signatureKeys' | translate }}</a
        >
      }
      <a
        mat-tab-link
        routerLink="ssl-keys"
        routerLinkActive
        #ssl="routerLinkActive"
        [active]="ssl.isActive"
        >{{ 'profile.tabs.sslKeys' | translate }}</a
      >
    </nav>
    <mat-tab-nav-panel #panel>
      <router-outlet />
    </mat-tab-nav-panel>
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
    mat-tab-nav-panel {
      display: block;
      padding-top: 16px;
    }
  `,
})
export class ProfilePage {
  protected readonly session = inject(Session);
  protected readonly i18n = inject(I18n);
}
