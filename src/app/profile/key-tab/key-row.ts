import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  input,
  output,
} from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { I18n } from '../../core/i18n/i18n';
import { Preferences } from '../../core/session/preferences';
import type { KeyPolicy } from '../../core/session/key-policy';
import { hasNoExpiry } from '../../../pki/no-expiry';
import { IssuerNote } from './issuer-note';
import type { IssuerExpiry } from './issuer-expiry';
import type { KeyStatus, KeySummary } from './key-summary';

/** A status in words with its icon and tone; the tone only repeats what the words say. */
export interface StatusView {
  readonly icon: string;
  readonly text: string;
  readonly tone: 'ok' | 'warn' | 'error';
}

/** What turns a status into words: the I18n service (or a stand-in). */
export type StatusWords = Pick<I18n, 't' | 'message'>;

/**
 * A fingerprint's pairs, each with its colon, to be drawn as inline blocks: lines then break
 * between pairs only, never inside one.
 */
export function fingerprintPairs(fingerprint: string | undefined): string[] {
  const parts = fingerprint ? fingerprint.split(':') : [];
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}:` : p));
}

/**
 * A distinguished name's RDNs, each with its comma, to be drawn as inline blocks: lines then break
 * between them (an escaped comma stays inside its RDN).
 */
export function nameParts(name: string | undefined): string[] {
  return name ? name.split(/(?<=[^\\],)/) : [];
}

/**
 * The words for a status in the person's language; `date` writes a date in the person's zone and
 * format, `dateTime` a moment with its time: an end today or tomorrow, and a start, are given to
 * the minute. Call it inside a `computed` or a template, so the words follow a language switch.
 */
export function describeStatus(
  status: KeyStatus,
  date: (d: Date) => string,
  i18n: StatusWords,
  dateTime: (d: Date) => string = date,
): StatusView {
  const t = (key: string, params?: Record<string, unknown>) => i18n.t(key, params);
  switch (status.kind) {
    case 'none':
      return { icon: 'key_off', text: t('keys.status.none'), tone: 'error' };
    case 'no-certificate':
      return { icon: 'error', text: t('keys.status.noCertificate'), tone: 'error' };
    case 'no-private-key':
      return { icon: 'key_off', text: t('keys.status.noPrivateKey'), tone: 'error' };
    case 'foreign':
      if (status.stored === 'public-key')
        return {
          icon: 'key_off',
          text: t('keys.status.foreignPublicKey', { algorithm: status.algorithm }),
          tone: 'error',
        };
      if (status.expired && status.validUntil)
        return {
          icon: 'error',
          text: t('keys.status.foreignExpired', {
            algorithm: status.algorithm,
            date: date(status.validUntil),
          }),
          tone: 'error',
        };
      return {
        icon: 'info',
        text: t('keys.status.foreignStored', { algorithm: status.algorithm }),
        tone: 'ok',
      };
    case 'unreadable':
      return {
        icon: 'error',
        text: t('keys.status.unreadable', { message: i18n.message(status) }),
        tone: 'error',
      };
    case 'valid':
      return { icon: 'check_circle', text: t('keys.status.valid'), tone: 'ok' };
    case 'expiring':
      return {
        icon: 'warning',
        text:
          status.until && status.daysLeft <= 1
            ? t('keys.status.expiresAt', {
                days: Math.max(0, status.daysLeft),
                at: dateTime(status.until),
              })
            : t('keys.status.expires', { days: Math.max(0, status.daysLeft) }),
        tone: 'warn',
      };
    case 'expired':
      return {
        icon: 'error',
        text: t('keys.status.expired', { date: date(status.since) }),
        tone: 'error',
      };
    case 'not-yet-valid':
      return {
        icon: 'schedule',
        text: t('keys.status.notYetValid', { date: dateTime(status.from) }),
        // Deployments fail until then where certificate dates are checked, as the banner says.
        tone: 'error',
      };
  }
}

/** The action buttons a row offers. */
export type KeyAction = 'show' | 'update' | 'import' | 'generate' | 'delete';

/** One button of a row: what it does, its name (label and tooltip) and its icon. */
interface ActionButton {
  readonly action: KeyAction;
  readonly icon: string;
}

/** What a row shows: the signing key (Signature Key Management) or the SSL CA (SSL Key Management, no Delete). */
export type KeyRowKind = 'signing' | 'ca';

/**
 * What the row's buttons depend on; `canPaste: false` leaves out Update and Import (the tab says
 * why).
 */
export type RowPolicy = Pick<KeyPolicy, 'canManage' | 'canGenerate'> & {
  readonly canPaste?: boolean;
};

/**
 * The one row of a key tab: "Keys and Certificates" (signing key) or "SSL CA". Content marked
 * `appRowNote` is shown under the status (e.g. the readiness line).
 */
@Component({
  selector: 'tr[appKeyRow]',
  imports: [IssuerNote, MatIcon, MatIconButton, MatProgressBar, TranslatePipe],
  host: { '(focusin)': 'focusCameIn($event)', '(focusout)': 'focusLeft($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <th scope="row">{{ (kind() === 'ca' ? 'keys.row.ca' : 'keys.row.signingKey') | translate }}</th>
    @if (summary().status.kind === 'none') {
      <td colspan="5" class="status error">
        @if (kind() === 'ca') {
          <span class="state"
            ><mat-icon aria-hidden="true">key_off</mat-icon>{{ 'keys.row.noCa' | translate }}</span
          >
          <span class="hint">{{
            (policy().canManage ? 'keys.row.noCaManage' : 'keys.row.noCaView') | translate
          }}</span>
        } @else {
          <span class="state"
            ><mat-icon aria-hidden="true">key_off</mat-icon>{{ 'keys.row.noKey' | translate }}</span
          >
          <span class="hint">{{
            (policy().canManage ? 'keys.row.noKeyManage' : 'keys.row.noKeyView') | translate
          }}</span>
        }
      </td>
    } @else {
      <td class="subject" [attr.data-label]="'keys.table.subject' | translate">
        @for (part of subject(); track $index) {
          <span>{{ part }}</span>
        } @empty {
          —
        }
      </td>
      <td class="status {{ status().tone }}" [attr.data-label]="'keys.table.status' | translate">
        <span class="state"
          ><mat-icon aria-hidden="true">{{ status().icon }}</mat-icon
          >{{ status().text }}</span
        >
        @if (statusHint(); as hint) {
          <span class="hint">{{ hint }}</span>
        }
        <!-- The issuing CA is known a moment after the row is drawn: announced when it arrives. -->
        <div class="issuer" aria-live="polite">
          @if (issuer(); as i) {
            @defer (on immediate) {
              <app-issuer-note [issuer]="i" />
            }
          }
        </div>
        <ng-content select="[appRowNote]" />
      </td>
      <td class="validity" [attr.data-label]="'keys.table.validity' | translate">
        @if (cert(); as c) {
          @if (noExpiry()) {
            <!-- No end: no period to have used a share of. -->
            <span>{{
              'keys.row.fromNoExpiry' | translate: { from: preferences.date(c.notBefore) }
            }}</span>
          } @else {
            <span>{{ preferences.date(c.notBefore) }} – {{ preferences.date(c.notAfter) }}</span>
            <mat-progress-bar
              mode="determinate"
              [value]="usedPercent()"
              [attr.aria-label]="usedLabel()"
              [class]="status().tone"
            />
            <span class="hint">{{ usedLabel() }}</span>
          }
        } @else {
          —
        }
      </td>
      <td class="algorithm" [attr.data-label]="'keys.table.algorithm' | translate">
        {{ summary().algorithm ?? '—' }}
      </td>
      <td class="fingerprint" [attr.data-label]="'keys.table.fingerprint' | translate">
        @for (pair of fingerprint(); track $index) {
          <span>{{ pair }}</span>
        } @empty {
          —
        }
      </td>
    }
    <td class="actions">
      @for (b of buttons(); track b.action) {
        <button
          mat-icon-button
          type="button"
          [attr.aria-label]="'keys.action.' + b.action | translate"
          [title]="'keys.action.' + b.action | translate"
          (click)="action.emit(b.action)"
        >
          <mat-icon>{{ b.icon }}</mat-icon>
        </button>
      }
    </td>
  `,
  styles: `
    :host > * {
      padding: 12px 8px;
      vertical-align: top;
      text-align: left;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    th {
      font-weight: 500;
      white-space: nowrap;
    }
    .state {
      display: inline-flex;
      gap: 6px;
      align-items: center;
      font-weight: 500;
    }
    .status.ok .state mat-icon {
      color: var(--app-ok, #1b6e2d);
    }
    .status.warn .state {
      color: var(--app-warn, #7a4f00);
    }
    .status.error .state {
      color: var(--mat-sys-error);
    }
    .hint {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      margin-top: 4px;
    }
    .validity {
      min-width: 180px;
    }
    .validity mat-progress-bar {
      margin-top: 6px;
    }
    .validity mat-progress-bar.warn {
      --mat-progress-bar-active-indicator-color: #b26a00;
    }
    .validity mat-progress-bar.error {
      --mat-progress-bar-active-indicator-color: var(--mat-sys-error);
    }
    .fingerprint {
      font-family: ui-monospace, 'Roboto Mono', monospace;
      font-size: 12px;
      max-width: 230px;
    }
    .fingerprint span {
      display: inline-block;
    }
    .subject {
      max-width: 220px;
    }
    /* Breaks between the name's parts and at hyphens; inside a word only when one is wider than the column. */
    .subject span {
      display: inline-block;
      overflow-wrap: break-word;
    }
    .algorithm {
      white-space: nowrap;
    }
    .actions {
      white-space: nowrap;
      text-align: right;
    }
    /* Narrow screens: the cells stack under each other with their labels (key-table hides the header). */
    @media (max-width: 1200px) {
      :host {
        display: block;
      }
      :host > * {
        display: block;
        border-top: none;
        padding: 6px 16px;
      }
      :host > th {
        padding-top: 12px;
        font: var(--mat-sys-title-small);
      }
      /* The label column fits "SHA-256 フィンガープリント" and "SHA-256-Fingerabdruck" on one line. */
      td[data-label] {
        position: relative;
        padding-left: calc(16px + 12.5rem);
        max-width: none;
        min-width: 0;
      }
      td[data-label]::before {
        content: attr(data-label);
        position: absolute;
        left: 16px;
        width: 12rem;
        font: var(--mat-sys-label-large);
        color: var(--mat-sys-on-surface-variant);
      }
      .actions {
        text-align: left;
        padding-bottom: 8px;
      }
    }
    /* Phones and 400 % zoom: the label column would leave the values too little room ("Vali"). */
    @media (max-width: 480px) {
      td[data-label] {
        padding-left: 16px;
      }
      td[data-label]::before {
        position: static;
        display: block;
        width: auto;
      }
    }
  `,
})
export class KeyRow {
  protected readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly document = inject(DOCUMENT);

  readonly summary = input.required<KeySummary>();
  readonly policy = input.required<RowPolicy>();
  readonly kind = input<KeyRowKind>('signing');
  /** The issuing CA's end, once the trust path is known and when it concerns deployments. */
  readonly issuer = input<IssuerExpiry | undefined>(undefined);
  readonly action = output<KeyAction>();

  /** The row's element that has the focus, kept when it is removed while it has it. */
  private focused: HTMLElement | undefined;

  constructor() {
    // A button that goes with the key (Delete, Show) would take the focus with it to the top of the
    // page: the row's first button gets it instead, so a keyboard user stays in the row.
    afterRenderEffect(() => {
      this.buttons();
      if (this.focused?.isConnected === false && this.document.activeElement === this.document.body)
        this.host.nativeElement.querySelector<HTMLElement>('td.actions button')?.focus();
    });
  }

  protected focusCameIn(event: FocusEvent): void {
    this.focused = event.target as HTMLElement;
  }

  /**
   * The focus left the row: forgotten, unless its element is being removed (Chromium sends the
   * focusout while the element is still attached, hence the check once the removal is done).
   */
  protected focusLeft(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    if (this.host.nativeElement.contains(event.relatedTarget as Node | null)) return;
    queueMicrotask(() => {
      if (target.isConnected && this.focused === target) this.focused = undefined;
    });
  }

  protected readonly cert = computed(() => this.summary().certificate);
  protected readonly noExpiry = computed(() => hasNoExpiry(this.cert()?.notAfter));
  protected readonly status = computed(() =>
    describeStatus(
      this.summary().status,
      (d) => this.preferences.date(d),
      this.i18n,
      (d) => this.preferences.dateTime(d),
    ),
  );
  protected readonly subject = computed(() => nameParts(this.cert()?.subject));
  protected readonly fingerprint = computed(() => fingerprintPairs(this.cert()?.fingerprintSha256));
  protected readonly statusHint = computed(() => {
    const status = this.summary().status;
    const t = (key: string, params?: Record<string, unknown>) => this.i18n.t(key, params);
    if (status.kind === 'valid')
      return status.noExpiry
        ? t('keys.hint.noExpiry')
        : t('keys.hint.daysLeft', { days: status.daysLeft });
    const ca = this.kind() === 'ca';
    if (status.kind === 'expiring') return t(ca ? 'keys.hint.renewCa' : 'keys.hint.renewKey');
    if (status.kind === 'expired') return t(ca ? 'keys.hint.expiredCa' : 'keys.hint.expiredKey');
    if (status.kind === 'no-certificate') return t('keys.hint.noCertificate');
    if (status.kind === 'no-private-key')
      return t(
        this.cert() ? 'keys.hint.noPrivateKeyCertificate' : 'keys.hint.noPrivateKeyPublicKey',
      );
    if (status.kind === 'foreign') {
      const algorithm = status.algorithm;
      if (!status.validUntil) return t('keys.hint.foreign', { algorithm });
      const date = this.preferences.date(status.validUntil);
      return t(status.expired ? 'keys.hint.foreignExpired' : 'keys.hint.foreignValidUntil', {
        algorithm,
        date,
      });
    }
    return undefined;
  });
  /** Show for a stored key; the buttons that change it with manage; Delete for the signing key alone. */
  protected readonly buttons = computed<ActionButton[]>(() => {
    const stored = this.summary().status.kind !== 'none';
    const policy = this.policy();
    const buttons: ActionButton[] = [];
    if (stored) buttons.push({ action: 'show', icon: 'visibility' });
    if (policy.canManage) {
      if (policy.canPaste !== false)
        buttons.push({ action: 'update', icon: 'edit' }, { action: 'import', icon: 'upload_file' });
      if (policy.canGenerate) buttons.push({ action: 'generate', icon: 'key' });
      if (stored && this.kind() === 'signing') buttons.push({ action: 'delete', icon: 'delete' });
    }
    return buttons;
  });
  protected readonly usedPercent = computed(() => Math.round((this.summary().used ?? 0) * 100));
  protected readonly usedLabel = computed(() =>
    this.i18n.t('keys.row.used', { used: this.usedPercent() / 100 }),
  );
}
