import { ChangeDetectionStrategy, Component, computed, inject, resource } from '@angular/core';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Preferences } from '../../core/session/preferences';
import { Session } from '../../core/session/session';
import { SigningKey, hasKeyPair } from '../../core/session/signing-key';
import type { AuditSettings } from '../audit-log-input/audit-log-form';
import { KeyDialogs } from './key-dialogs';
import { KeyRow, type KeyAction } from './key-row';
import { summarizeKey } from './key-summary';

/** The Signature Key Management tab: one row "Keys and Certificates" and its five dialogs. */
@Component({
  selector: 'app-signature-keys-tab',
  imports: [KeyRow, MatProgressBar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2>Signature Key Management</h2>
    <p class="intro">{{ intro() }}</p>
    @if (signingKey.loading() || summary.isLoading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the signing key" />
    }
    @if (signingKey.error(); as error) {
      <p class="error" role="alert">The signing key cannot be read: {{ error.message }}</p>
    }
    @if (summary.value(); as s) {
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Validity</th>
              <th scope="col">Key algorithm</th>
              <th scope="col">SHA-256 fingerprint</th>
              <th scope="col"><span class="cdk-visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            <tr appKeyRow [summary]="s" [policy]="policy()" (action)="act($event)"></tr>
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    h2 { font: var(--mat-sys-title-large); margin: 8px 0; }
    .intro { color: var(--mat-sys-on-surface-variant); margin: 0 0 16px; max-width: 80ch; }
    .error { color: var(--mat-sys-error); }
    .table-wrap { overflow-x: auto; border: 1px solid var(--mat-sys-outline-variant); border-radius: 12px; background: var(--mat-sys-surface-container-lowest); }
    table { border-collapse: collapse; width: 100%; }
    thead th { text-align: left; padding: 12px 8px; font: var(--mat-sys-label-large); color: var(--mat-sys-on-surface-variant); white-space: nowrap; }
  `,
})
export class SignatureKeysTab {
  protected readonly signingKey = inject(SigningKey);
  private readonly session = inject(Session);
  private readonly preferences = inject(Preferences);
  private readonly dialogs = inject(KeyDialogs);

  protected readonly policy = computed(() => this.session.policy()!);
  protected readonly summary = resource({
    params: () => ({ pair: this.signingKey.pair(), warnDays: this.preferences.current().warnDays }),
    loader: ({ params }) => (params.pair === undefined ? Promise.resolve(undefined) : summarizeKey(params.pair, new Date(), params.warnDays)),
  });
  protected readonly intro = computed(() => {
    const level = this.session.properties()?.securityLevel;
    return level === 'LOW'
      ? 'At security level LOW this key signs the deployments of Workflows and Job Resources of every account.'
      : 'This is your own key: deployments of Workflows and Job Resources you make are signed with it.';
  });
  private readonly audit = computed<AuditSettings>(() => {
    const properties = this.session.properties();
    const force = properties?.forceCommentsForAuditLog ?? false;
    return { show: force || this.preferences.current().auditAlways, required: force, comments: properties?.comments ?? [] };
  });

  constructor() {
    void this.signingKey.load();
  }

  protected async act(action: KeyAction): Promise<void> {
    const pair = this.signingKey.pair();
    const summary = this.summary.value();
    const audit = this.audit();
    const certificate = summary?.certificate;
    let changed: unknown;
    switch (action) {
      case 'show':
        if (hasKeyPair(pair) && summary) await this.dialogs.show({ pair, summary, owner: this.policy().keyOwner });
        return;
      case 'update':
        changed = await this.dialogs.update({ audit });
        break;
      case 'import':
        changed = await this.dialogs.import({ audit });
        break;
      case 'generate':
        changed = await this.dialogs.generate({
          account: this.policy().keyOwner,
          current: hasKeyPair(pair) ? { hasKey: true, validUntil: certificate?.notAfter } : undefined,
          audit,
        });
        break;
      case 'delete':
        changed = await this.dialogs.delete({ subject: certificate?.subject, validUntil: certificate?.notAfter, audit });
        break;
    }
    if (changed) await this.signingKey.load();
  }
}
