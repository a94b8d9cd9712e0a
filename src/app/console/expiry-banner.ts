import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  linkedSignal,
  resource,
} from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { I18n } from '../core/i18n/i18n';
import { followDays } from '../core/session/follow-days';
import { Preferences } from '../core/session/preferences';
import { SigningKey, expiryOf, hasKeyPair } from '../core/session/signing-key';
import { Session } from '../core/session/session';
import { SslCa } from '../core/session/ssl-ca';
import type { SigningAlerts } from './signing-alerts';

/** One sentence of the banner; `error` when deployments fail now. */
interface Alert {
  readonly text: string;
  readonly tone: 'warn' | 'error';
}

/**
 * Shown on every console page while deployments fail or soon will: the signing certificate is
 * expired, not valid yet or inside the warning threshold set in Preferences, or the CA that issued
 * it has expired or is inside that threshold.
 */
@Component({
  selector: 'app-expiry-banner',
  imports: [MatIcon, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (alerts().length) {
      <div class="banner" [class.expired]="failing()" role="status">
        <mat-icon aria-hidden="true">{{ failing() ? 'error' : 'warning' }}</mat-icon>
        <span class="texts">
          @for (alert of alerts(); track $index) {
            <span>{{ alert.text }}</span>
          }
        </span>
        <span class="links">
          @if (owner(); as owner) {
            <span>{{ 'shell.expiry.askOwner' | translate: { owner } }}</span>
          } @else {
            <a routerLink="/profile/signature-keys">{{ 'shell.expiry.manage' | translate }}</a>
          }
          @if (caLink()) {
            <a routerLink="/profile/ssl-keys">{{ 'shell.expiry.manageCa' | translate }}</a>
          }
        </span>
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
    /* The text takes the room and wraps beside the icon (at 390 px too); the links wrap below. */
    .texts {
      flex: 1 1 15em;
      min-width: 0;
    }
    .texts span {
      display: block;
    }
    .texts span + span {
      margin-top: 4px;
    }
    .links {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
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
  private readonly sslCa = inject(SslCa);
  private readonly i18n = inject(I18n);
  private readonly policy = inject(Session).policy;
  /**
   * At LOW, for the other accounts: the default account, whose key signs their deployments too
   * and who alone can renew it (they have no tab to manage it).
   */
  protected readonly owner = computed(() => {
    const policy = this.policy();
    return policy && !policy.showTab ? policy.keyOwner : undefined;
  });

  constructor() {
    followDays(
      this.signingKey,
      () => this.preferences.dayNumber(),
      () => this.found()?.startsAt,
    );
  }

  /** The certificate's end, from `validUntil` alone: shown before anything else is read. */
  protected readonly expiry = computed(() => {
    const pair = this.signingKey.pair();
    return hasKeyPair(pair)
      ? expiryOf(
          pair.validUntil,
          this.signingKey.now(),
          this.preferences.current().warnDays,
          this.preferences.dayNumber(),
        )
      : undefined;
  });
  /**
   * The certificate's start and its CA's end, read from the certificates in code loaded only
   * here; again whenever the key is read again, and when the SSL tab hands over another CA.
   */
  private readonly more = resource({
    params: () => {
      const pair = this.signingKey.pair();
      return hasKeyPair(pair) && pair.certificate
        ? {
            pair,
            now: this.signingKey.now(),
            warnDays: this.preferences.current().warnDays,
            dayNumber: this.preferences.dayNumber(),
            ca: this.sslCa.changes(),
          }
        : undefined;
    },
    loader: async ({ params }) => {
      const { signingAlerts } = await import('./signing-alerts');
      return signingAlerts(
        params.pair,
        () => this.sslCa.read(),
        params.now,
        params.warnDays,
        params.dayNumber,
      );
    },
  });
  /**
   * What the last read found; kept while a new one runs, so that the banner does not blink.
   * Written out rather than taken from key-tab's keptValue: shared, that would become a chunk of
   * its own, one more file on the tab's first load.
   */
  private readonly found = linkedSignal<
    { value: SigningAlerts | undefined; loading: boolean },
    SigningAlerts | undefined
  >({
    source: () => ({
      value: this.more.hasValue() ? this.more.value() : undefined,
      loading: this.more.isLoading(),
    }),
    computation: ({ value, loading }, previous) => value ?? (loading ? previous?.value : undefined),
  });

  protected readonly alerts = computed<Alert[]>(() => {
    const alerts: Alert[] = [];
    const t = (key: string, params?: Record<string, unknown>) => this.i18n.t(key, params);
    const expiry = this.expiry();
    if (expiry && expiry.state !== 'valid') {
      const date = this.preferences.date(expiry.validUntil);
      // A PGP key carries its own end date (JOC's validUntil); X.509 keys end with their certificate.
      const pair = this.signingKey.pair();
      const what =
        hasKeyPair(pair) && !pair.certificate && pair.keyAlgorithm === 'PGP'
          ? 'pgp'
          : 'certificate';
      alerts.push(
        expiry.state === 'expired'
          ? { tone: 'error', text: t('shell.expiry.expired', { what, date }) }
          : {
              tone: 'warn',
              text: t('shell.expiry.expiring', { what, date, days: expiry.daysLeft }),
            },
      );
    }
    const found = this.found();
    if (found?.startsAt)
      alerts.push({
        tone: 'error',
        text: t('shell.expiry.notYetValid', { date: this.preferences.dateTime(found.startsAt) }),
      });
    const issuer = found?.issuer;
    if (issuer) {
      const source = issuer.source === 'ssl-ca' ? 'sslCa' : 'chain';
      const date = this.preferences.date(issuer.notAfter);
      alerts.push(
        issuer.state === 'expired'
          ? { tone: 'error', text: t('shell.expiry.caExpired', { source, date }) }
          : {
              tone: 'warn',
              text: t('shell.expiry.caExpiring', {
                source,
                date,
                days: Math.max(0, issuer.daysLeft),
              }),
            },
      );
    }
    return alerts;
  });
  /** Deployments fail now: the banner takes the error colours. */
  protected readonly failing = computed(() => this.alerts().some((a) => a.tone === 'error'));
  /** The SSL CA needs renewing: a link to its tab beside the signing key's. */
  protected readonly caLink = computed(() => this.found()?.issuer?.source === 'ssl-ca');
}
