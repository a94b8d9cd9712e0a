import {
  ChangeDetectionStrategy,
  Component,
  afterNextRender,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Session } from '../core/session/session';
import { SigningKey } from '../core/session/signing-key';
import { SslCa } from '../core/session/ssl-ca';

/**
 * The account button and its menu (Profile, Log out). The shell loads it after the first paint
 * (`@defer`): the menu brings the CDK overlay, which the login page and the first view do not need.
 */
@Component({
  selector: 'app-account-menu',
  imports: [MatButton, MatIcon, MatMenu, MatMenuItem, MatMenuTrigger, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      mat-button
      [matMenuTriggerFor]="userMenu"
      [attr.aria-label]="'shell.accountMenu' | translate: { account: session.account() ?? '' }"
    >
      <mat-icon aria-hidden="true">account_circle</mat-icon>
      <span class="account">{{ session.account() }}</span>
      <mat-icon aria-hidden="true" iconPositionEnd>arrow_drop_down</mat-icon>
    </button>
    <mat-menu #userMenu="matMenu" xPosition="before">
      <a mat-menu-item routerLink="/profile/preferences"
        ><mat-icon aria-hidden="true">person</mat-icon>{{ 'shell.menu.profile' | translate }}</a
      >
      <button mat-menu-item type="button" (click)="logout()">
        <mat-icon aria-hidden="true">logout</mat-icon>{{ 'shell.menu.logout' | translate }}
      </button>
    </mat-menu>
  `,
})
export class AccountMenu {
  protected readonly session = inject(Session);
  private readonly signingKey = inject(SigningKey);
  private readonly sslCa = inject(SslCa);
  /** Set when the person clicked the shell's placeholder before this code had loaded. */
  readonly openAtOnce = input(false);
  private readonly trigger = viewChild.required(MatMenuTrigger);

  constructor() {
    // The click that loaded the menu must open it: a second click would be needed otherwise.
    afterNextRender(() => {
      if (this.openAtOnce()) this.trigger().openMenu();
    });
  }

  protected async logout(): Promise<void> {
    this.signingKey.reset();
    this.sslCa.reset();
    await this.session.logout();
  }
}
