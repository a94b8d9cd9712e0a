import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Preferences } from '../../core/session/preferences';
import type { KeyPolicy } from '../../core/session/key-policy';
import type { KeyStatus, KeySummary } from './key-summary';

/** A status in words with its icon and tone; the tone only repeats what the words say. */
export interface StatusView {
  readonly icon: string;
  readonly text: string;
  readonly tone: 'ok' | 'warn' | 'error';
}

/** The words for a status; `date` writes a date in the person's zone and format. */
export function describeStatus(status: KeyStatus, date: (d: Date) => string): StatusView {
  switch (status.kind) {
    case 'none':
      return { icon: 'key_off', text: 'No key is present', tone: 'error' };
    case 'no-certificate':
      return { icon: 'error', text: 'No certificate (deployments will fail)', tone: 'error' };
    case 'no-private-key':
      return { icon: 'key_off', text: 'No private key (deployments will fail)', tone: 'error' };
    case 'foreign':
      if (status.stored === 'public-key')
        return {
          icon: 'key_off',
          text: `${status.algorithm} public key only: no private key (deployments will fail)`,
          tone: 'error',
        };
      if (status.expired && status.validUntil)
        return {
          icon: 'error',
          text: `${status.algorithm} key, expired on ${date(status.validUntil)}`,
          tone: 'error',
        };
      return {
        icon: 'info',
        text: `${status.algorithm} key stored (managed in JOC Cockpit)`,
        tone: 'ok',
      };
    case 'unreadable':
      return {
        icon: 'error',
        text: `The certificate cannot be read: ${status.message}`,
        tone: 'error',
      };
    case 'valid':
      return { icon: 'check_circle', text: 'Valid', tone: 'ok' };
    case 'expiring':
      return {
        icon: 'warning',
        text:
          status.daysLeft <= 0
            ? 'Expires today'
            : `Expires in ${status.daysLeft} ${status.daysLeft === 1 ? 'day' : 'days'}`,
        tone: 'warn',
      };
    case 'expired':
      return { icon: 'error', text: `Expired on ${date(status.since)}`, tone: 'error' };
    case 'not-yet-valid':
      return { icon: 'schedule', text: `Not yet valid (from ${date(status.from)})`, tone: 'warn' };
  }
}

/** The action buttons a row offers. */
export type KeyAction = 'show' | 'update' | 'import' | 'generate' | 'delete';

/** One button of a row: what it does, its name (label and tooltip) and its icon. */
interface ActionButton {
  readonly action: KeyAction;
  readonly label: string;
  readonly icon: string;
}

/** What a row shows: the signing key (Signature Key Management) or the SSL CA (SSL Key Management, no Delete). */
export type KeyRowKind = 'signing' | 'ca';

/** What the row's buttons depend on. */
export type RowPolicy = Pick<KeyPolicy, 'canManage' | 'canGenerate'>;

/**
 * The one row of a key tab: "Keys and Certificates" (signing key) or "SSL CA". Content marked
 * `appRowNote` is shown under the status (e.g. the readiness line).
 */
@Component({
  selector: 'tr[appKeyRow]',
  imports: [MatIcon, MatIconButton, MatProgressBar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <th scope="row">{{ kind() === 'ca' ? 'SSL CA' : 'Keys and Certificates' }}</th>
    @if (summary().status.kind === 'none') {
      <td colspan="5" class="status error">
        @if (kind() === 'ca') {
          <span class="state"><mat-icon aria-hidden="true">key_off</mat-icon>No SSL CA exists</span>
          <span class="hint">
            @if (policy().canManage) {
              Signing certificates cannot be issued by the SSL CA. Generate a CA, or import or paste
              an existing one.
            } @else {
              Signing certificates cannot be issued by the SSL CA. An account with the permission to
              manage certificates can add one.
            }
          </span>
        } @else {
          <span class="state"
            ><mat-icon aria-hidden="true">key_off</mat-icon>No key is present</span
          >
          <span class="hint">
            @if (policy().canManage) {
              Deployments cannot be signed. Generate a new key, or import or paste an existing one.
            } @else {
              Deployments cannot be signed. An account with the permission to manage certificates
              can add a key.
            }
          </span>
        }
      </td>
    } @else {
      <td class="subject" data-label="Subject">
        @for (part of subject(); track $index) {
          <span>{{ part }}</span>
        } @empty {
          —
        }
      </td>
      <td class="status {{ status().tone }}" data-label="Status">
        <span class="state"
          ><mat-icon aria-hidden="true">{{ status().icon }}</mat-icon
          >{{ status().text }}</span
        >
        @if (statusHint(); as hint) {
          <span class="hint">{{ hint }}</span>
        }
        <ng-content select="[appRowNote]" />
      </td>
      <td class="validity" data-label="Validity">
        @if (cert(); as c) {
          <span>{{ preferences.date(c.notBefore) }} – {{ preferences.date(c.notAfter) }}</span>
          <mat-progress-bar
            mode="determinate"
            [value]="usedPercent()"
            [attr.aria-label]="usedLabel()"
            [class]="status().tone"
          />
          <span class="hint">{{ usedLabel() }}</span>
        } @else {
          —
        }
      </td>
      <td class="algorithm" data-label="Key algorithm">{{ summary().algorithm ?? '—' }}</td>
      <td class="fingerprint" data-label="SHA-256 fingerprint">
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
          [attr.aria-label]="b.label"
          [title]="b.label"
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
    .subject span {
      display: inline-block;
      word-break: break-word;
    }
    .algorithm {
      white-space: nowrap;
    }
    .actions {
      white-space: nowrap;
      text-align: right;
    }
    /* Narrow screens: the cells stack under each other with their labels (key-table hides the header). */
    @media (max-width: 1000px) {
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
      td[data-label] {
        position: relative;
        padding-left: calc(16px + 11rem);
        max-width: none;
        min-width: 0;
      }
      td[data-label]::before {
        content: attr(data-label);
        position: absolute;
        left: 16px;
        width: 10.5rem;
        font: var(--mat-sys-label-large);
        color: var(--mat-sys-on-surface-variant);
      }
      .actions {
        text-align: left;
        padding-bottom: 8px;
      }
    }
  `,
})
export class KeyRow {
  protected readonly preferences = inject(Preferences);

  readonly summary = input.required<KeySummary>();
  readonly policy = input.required<RowPolicy>();
  readonly kind = input<KeyRowKind>('signing');
  readonly action = output<KeyAction>();

  protected readonly cert = computed(() => this.summary().certificate);
  protected readonly status = computed(() =>
    describeStatus(this.summary().status, (d) => this.preferences.date(d)),
  );
  /** RDNs with their comma, so that lines break between them (an escaped comma stays inside). */
  protected readonly subject = computed(() => this.cert()?.subject.split(/(?<=[^\\],)/) ?? []);
  /** Pairs with their colon, so that lines break between pairs only. */
  protected readonly fingerprint = computed(() => {
    const parts = this.cert()?.fingerprintSha256.split(':') ?? [];
    return parts.map((p, i) => (i < parts.length - 1 ? `${p}:` : p));
  });
  protected readonly statusHint = computed(() => {
    const status = this.summary().status;
    if (status.kind === 'valid') return `${status.daysLeft} days left`;
    const ca = this.kind() === 'ca';
    if (status.kind === 'expiring')
      return ca
        ? 'Renew it, then give the new CA certificate to every Controller and Agent.'
        : 'Renew it before deployments fail.';
    if (status.kind === 'expired')
      return ca
        ? 'It cannot issue certificates, and those it issued are no longer trusted.'
        : 'Deployments fail until a new key is stored.';
    if (status.kind === 'no-certificate') return 'Add the certificate with Import or Update.';
    if (status.kind === 'no-private-key')
      return `Only ${this.cert() ? 'the certificate' : 'a public key'} is stored. Store the private key with Update or Import, or generate a new pair.`;
    if (status.kind === 'foreign') {
      const until = status.validUntil
        ? ` ${status.expired ? 'It expired on' : 'Valid until'} ${this.preferences.date(status.validUntil)}.`
        : '';
      return `This console reads X.509 keys (ECDSA, RSA) only: see and change this ${status.algorithm} key in JOC Cockpit.${until}`;
    }
    return undefined;
  });
  /** Show for a stored key; the buttons that change it with manage; Delete for the signing key alone. */
  protected readonly buttons = computed<ActionButton[]>(() => {
    const stored = this.summary().status.kind !== 'none';
    const policy = this.policy();
    const buttons: ActionButton[] = [];
    if (stored) buttons.push({ action: 'show', label: 'Show', icon: 'visibility' });
    if (policy.canManage) {
      buttons.push(
        { action: 'update', label: 'Update', icon: 'edit' },
        { action: 'import', label: 'Import', icon: 'upload_file' },
      );
      if (policy.canGenerate) buttons.push({ action: 'generate', label: 'Generate', icon: 'key' });
      if (stored && this.kind() === 'signing')
        buttons.push({ action: 'delete', label: 'Delete', icon: 'delete' });
    }
    return buttons;
  });
  protected readonly usedPercent = computed(() => Math.round((this.summary().used ?? 0) * 100));
  protected readonly usedLabel = computed(
    () => `${this.usedPercent()}% of the validity period used`,
  );
}
