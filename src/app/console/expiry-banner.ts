import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { I18n } from '../core/i18n/i18n';
import { Preferences } from '../core/session/preferences';
import { SigningKey, expiryOf, hasKeyPair } from '../core/session/signing-key';

/**
 * Shown on every console page while the signing certificate is expired or inside the warning
 * threshold set in Preferences: deployments fail once it has expired.
 */
@Component({
  selector: 'app-expiry-banner',
  imports: [MatIcon, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (text(); as message) {
      <div class="banner" [class.expired]="expiry()?.state === 'expired'" role="status">
        <mat-icon aria-hidden="true">{{
          expiry()?.state === 'expired' ? 'error' : 'warning'
        }}</mat-icon>
        <span>{{ message }}</span>
        <a routerLink="/profile/signature-keys">{{ 'shell.expiry.manage' | translate }}</a>
      </div>
    }
  `,
  styles: `
    .banner {
      display: flex;
      gap: 12px;
      align-items: center;
      padding: 12px 24px;
      flex-wrap: wrap;
      background: #ffefc2;
      color: #3d2e00;
      border-bottom: 1px solid #e0b84a;
    }
    .banner.expired {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    /* The text takes the room and wraps beside the icon; the link wraps below when it must. */
    span {
      flex: 1 1 20em;
      min-width: 0;
    }
    a {
      color: inherit;
      font-weight: 500;
    }
  `,
})
export class ExpiryBanner {
  private readonly signingKey = inject(SigningKey);
  private readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);

  protected readonly expiry = computed(() => {
    const pair = this.signingKey.pair();
    return hasKeyPair(pair)
      ? expiryOf(
          pair.validUntil,
          this.signingKey.readAt(),
          this.preferences.current().warnDays,
          this.preferences.dayNumber(),
        )
      : undefined;
  });
  protected readonly text = computed(() => {
    const expiry = this.expiry();
    if (!expiry || expiry.state === 'valid') return undefined;
    const date = this.preferences.date(expiry.validUntil);
    // A PGP key carries its own end date (JOC's validUntil); X.509 keys end with their certificate.
    const pair = this.signingKey.pair();
    const what =
      hasKeyPair(pair) && !pair.certificate && pair.keyAlgorithm === 'PGP' ? 'pgp' : 'certificate';
    return expiry.state === 'expired'
      ? this.i18n.t('shell.expiry.expired', { what, date })
      : this.i18n.t('shell.expiry.expiring', { what, date, days: expiry.daysLeft });
  });
}
