import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { I18n } from '../../core/i18n/i18n';
import { Preferences } from '../../core/session/preferences';
import type { IssuerExpiry } from './issuer-expiry';

/**
 * The row's line about the CA that issued the signing certificate: expired (deployments fail),
 * ending within the warning threshold, or ending before the certificate. Its own chunk: the row is
 * drawn without it.
 */
@Component({
  selector: 'app-issuer-note',
  imports: [MatIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="state {{ view().tone }}"
      ><mat-icon aria-hidden="true">{{ view().icon }}</mat-icon
      >{{ view().text }}</span
    >
    <span class="hint">{{ view().hint }}</span>
  `,
  styles: `
    :host {
      display: block;
    }
    /* Its own tone, whatever the certificate's own status says. */
    /* The icon keeps its size beside text that wraps, at the first line. */
    .state {
      display: inline-flex;
      gap: 6px;
      align-items: flex-start;
      margin-top: 8px;
      font-weight: 500;
    }
    mat-icon {
      flex: none;
    }
    .warn {
      color: var(--app-warn, #7a4f00);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .hint {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      margin-top: 4px;
    }
  `,
})
export class IssuerNote {
  private readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);
  readonly issuer = input.required<IssuerExpiry>();

  protected readonly view = computed(() => {
    const issuer = this.issuer();
    const source = issuer.source === 'ssl-ca' ? 'sslCa' : 'chain';
    const date = this.preferences.date(issuer.notAfter);
    const t = (key: string, params?: Record<string, unknown>) => this.i18n.t(key, params);
    if (issuer.state === 'ends-first')
      return {
        icon: 'info',
        tone: 'info',
        text: t('keys.issuer.endsFirst', { source, date, days: issuer.daysLeft }),
        hint: t('keys.issuer.endsFirstHint'),
      };
    return issuer.state === 'expired'
      ? {
          icon: 'error',
          tone: 'error',
          text: t('keys.issuer.expired', { source, date }),
          hint: t('keys.issuer.expiredHint'),
        }
      : {
          icon: 'warning',
          tone: 'warn',
          text: t('keys.issuer.expiring', { source, date, days: Math.max(0, issuer.daysLeft) }),
          hint: t('keys.issuer.expiringHint', { source }),
        };
  });
}
