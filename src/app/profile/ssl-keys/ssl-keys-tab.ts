import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  resource,
  signal,
} from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { I18n } from '../../core/i18n/i18n';
import { JocApi } from '../../core/api/joc-api';
import { Preferences } from '../../core/session/preferences';
import { Session } from '../../core/session/session';
import { hasKeyPair } from '../../core/session/signing-key';
import { SslCa } from '../../core/session/ssl-ca';
import type { AuditSettings } from '../audit-log-input/audit-log-form';
import { KeyDialogs } from '../key-tab/key-dialogs';
import { HistoryPanel } from '../key-tab/history-panel';
import { keptValue } from '../key-tab/kept-value';
import { KeyTable } from '../key-tab/key-table';
import { hasNoExpiry } from '../../../pki/no-expiry';
import { changeCheck } from '../key-tab/change-check';
import { KeyRow, type KeyAction } from '../key-tab/key-row';
import { summarizeKey } from '../key-tab/key-summary';
import { splitAround } from '../key-tab/split-message';
import { TRUST_FOLDER } from '../key-tab/trust-folder';
import { caPolicy } from './ca-policy';

/**
 * SSL Key Management: the installation's SSL CA (contract §5) in the signature tab's row, with
 * Show, Update by paste, Import and Generate; no Delete.
 */
@Component({
  selector: 'app-ssl-keys-tab',
  imports: [KeyTable, KeyRow, MatIcon, MatProgressBar, HistoryPanel, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2>{{ 'ssl.tab.title' | translate }}</h2>
    @if (!policy().showTab) {
      <p class="notice">
        <mat-icon aria-hidden="true">info</mat-icon>{{ policy().notice ?? '' | translate }}
      </p>
    } @else {
      @let introText = intro();
      <p class="intro">
        {{ introText[0] }}<code>{{ folder }}</code
        >{{ introText[1] }}
      </p>
      <div class="progress">
        @if (ca.isLoading() || summary.isLoading() || reading()) {
          <mat-progress-bar
            mode="indeterminate"
            [attr.aria-label]="'ssl.tab.loading' | translate"
          />
        }
      </div>
      @if (error(); as e) {
        <p class="error" role="alert">
          {{ 'ssl.tab.error' | translate: { message: i18n.message(e) } }}
        </p>
      }
      @if (shown(); as s) {
        <app-key-table>
          <tr appKeyRow kind="ca" [summary]="s" [policy]="policy()" (action)="act($event)"></tr>
        </app-key-table>
        <!-- Not "on idle": a page kept busy (or an idle callback lost) never showed it. Its chunk
             loads once the row is drawn. -->
        @defer (on immediate) {
          <app-history-panel kind="ca" owner="" [level]="level()" [version]="ca.value()" />
        }
      }
    }
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-large);
      margin: 8px 0;
    }
    /* The bar runs in the gap above the table: the row stays where the pointer is. */
    .progress {
      position: relative;
    }
    .progress mat-progress-bar {
      position: absolute;
      inset: -10px 0 auto;
    }
    .intro {
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 16px;
      max-width: 80ch;
    }
    .notice {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .error {
      color: var(--mat-sys-error);
      /* A server's text may be long (a stack trace) or hold a long unbroken word (a URL). */
      overflow-wrap: anywhere;
      max-height: 40vh;
      overflow: auto;
    }
    code {
      font-family: ui-monospace, 'Roboto Mono', monospace;
      font-size: 13px;
    }
  `,
})
export class SslKeysTab {
  private readonly api = inject(JocApi);
  private readonly session = inject(Session);
  private readonly preferences = inject(Preferences);
  private readonly dialogs = inject(KeyDialogs);
  private readonly sslCa = inject(SslCa);
  protected readonly i18n = inject(I18n);

  protected readonly folder = TRUST_FOLDER;
  /** The intro around the folder, which the template sets in `<code>`. */
  protected readonly intro = computed(() => splitAround(this.i18n, 'ssl.tab.intro', 'folder'));
  protected readonly level = computed(() => this.session.properties()?.securityLevel ?? 'LOW');
  protected readonly policy = computed(() =>
    caPolicy(
      this.session.permissions()?.joc.administration.certificates ?? { view: false, manage: false },
    ),
  );
  protected readonly ca = resource({
    params: () => (this.policy().showTab ? {} : undefined),
    loader: async () => {
      const answer = await this.api.showCa();
      // The banner on every page checks the signing certificate's issuer with this CA.
      if (answer.ok) this.sslCa.seen(answer.value);
      return answer;
    },
  });
  protected readonly error = computed(() => {
    const answer = this.ca.value();
    return answer && !answer.ok ? answer.error : undefined;
  });
  protected readonly summary = resource({
    params: () => {
      const answer = this.ca.value();
      return answer?.ok
        ? {
            pair: answer.value,
            warnDays: this.preferences.current().warnDays,
            dayNumber: this.preferences.dayNumber(),
          }
        : undefined;
    },
    loader: ({ params }) =>
      summarizeKey(params.pair, new Date(), params.warnDays, params.dayNumber),
  });
  protected readonly shown = keptValue(this.summary);
  /** Show reads the CA again before its dialog opens. */
  protected readonly reading = signal(false);
  private readonly audit = computed<AuditSettings>(() => {
    const properties = this.session.properties();
    const force = properties?.forceCommentsForAuditLog ?? false;
    return {
      show: force || this.preferences.current().auditAlways,
      required: force,
      comments: properties?.comments ?? [],
    };
  });

  protected async act(action: KeyAction): Promise<void> {
    if (action !== 'show' && action !== 'delete') {
      // As on the Signature tab: another session may have changed the CA since this page read
      // it, and the dialog must name what it replaces.
      this.reading.set(true);
      const now = await this.api.showCa().finally(() => this.reading.set(false));
      if (JSON.stringify(now) !== JSON.stringify(this.ca.value())) this.ca.set(now);
      if (!now.ok) return;
      this.sslCa.seen(now.value);
    }
    const answer = this.ca.value();
    const pair = answer?.ok && hasKeyPair(answer.value) ? answer.value : undefined;
    const audit = this.audit();
    // The dialog writes over the CA it opened on, not over one stored meanwhile elsewhere.
    const check = changeCheck(pair, async () => {
      const now = await this.api.showCa();
      if (!now.ok) return undefined;
      if (JSON.stringify(now) !== JSON.stringify(this.ca.value())) this.ca.set(now);
      this.sslCa.seen(now.value);
      return now.value;
    });
    const summary =
      action === 'generate' && pair
        ? await summarizeKey(
            pair,
            new Date(),
            this.preferences.current().warnDays,
            this.preferences.dayNumber(),
          )
        : this.summary.value();
    switch (action) {
      case 'show': {
        // As for the signing key: the CA's private key is shown as stored now, and only while the
        // server accepts the session (a 401/440 goes to the login page through the interceptor).
        this.reading.set(true);
        const now = await this.api.showCa().finally(() => this.reading.set(false));
        if (!now.ok || !hasKeyPair(now.value)) {
          this.ca.set(now);
          return;
        }
        const unchanged = JSON.stringify(now.value) === JSON.stringify(pair) && summary;
        if (!unchanged) {
          this.ca.set(now);
          this.sslCa.seen(now.value);
        }
        await this.dialogs.show({
          pair: now.value,
          summary: unchanged
            ? summary
            : await summarizeKey(
                now.value,
                new Date(),
                this.preferences.current().warnDays,
                this.preferences.dayNumber(),
              ),
          owner: 'ssl-ca',
          kind: 'ca',
        });
        return;
      }
      case 'update':
        await this.dialogs.update({ audit, target: 'ca', unchanged: check });
        break;
      case 'import':
        await this.dialogs.import({ audit, target: 'ca', unchanged: check });
        break;
      case 'generate':
        await this.dialogs.generateCa({
          current: pair
            ? {
                subject: summary?.certificate?.subject ?? pair.keyID,
                // RFC 5280's "no expiration date" is no date to name.
                validUntil: hasNoExpiry(summary?.certificate?.notAfter)
                  ? undefined
                  : summary?.certificate?.notAfter,
              }
            : undefined,
          audit,
          unchanged: check,
        });
        break;
      case 'delete':
        return; // the SSL CA has no Delete (contract §5)
    }
    // Also without an answer: a request carried out whose answer was lost changed the CA too.
    this.ca.reload();
  }
}
