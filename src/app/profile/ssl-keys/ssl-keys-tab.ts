import { ChangeDetectionStrategy, Component, inject, resource } from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { JocApi } from '../../core/api/joc-api';
import { Preferences } from '../../core/session/preferences';
import { expiryOf, hasKeyPair } from '../../core/session/signing-key';

/** SSL Key Management (placeholder): what the installation's SSL CA is; managing it comes later. */
@Component({
  selector: 'app-ssl-keys-tab',
  imports: [MatIcon, MatProgressBar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2>SSL Key Management</h2>
    <p class="intro">The SSL CA can sign the certificates of signing keys. Its certificate goes into each Controller's and Agent's
      <code>./config/private/trusted-x509-keys/</code> folder.</p>
    @if (ca.isLoading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the SSL CA" />
    } @else if (ca.value(); as answer) {
      @if (!answer.ok) {
        <p class="bad">The SSL CA cannot be read: {{ answer.error.message }}</p>
      } @else if (hasPair(answer.value) && answer.value.certificate) {
        <p><mat-icon aria-hidden="true" inline>verified</mat-icon> SSL CA {{ answer.value.keyID }},
          @if (expired(answer.value.validUntil)) {
            <strong class="bad">expired on {{ preferences.date(answer.value.validUntil!) }}</strong>
          } @else if (answer.value.validUntil) {
            valid until {{ preferences.date(answer.value.validUntil) }}
          }
        </p>
      } @else {
        <p>No SSL CA exists yet. Creating and importing it here is not available in this console version yet.</p>
      }
    }
  `,
  styles: `
    h2 { font: var(--mat-sys-title-large); margin: 8px 0; }
    .intro { color: var(--mat-sys-on-surface-variant); max-width: 80ch; }
    .bad { color: var(--mat-sys-error); }
  `,
})
export class SslKeysTab {
  private readonly api = inject(JocApi);
  protected readonly preferences = inject(Preferences);
  protected readonly hasPair = hasKeyPair;
  protected readonly ca = resource({ loader: () => this.api.showCa() });

  protected expired(validUntil: string | undefined): boolean {
    return expiryOf(validUntil, new Date(), 0)?.state === 'expired';
  }
}
