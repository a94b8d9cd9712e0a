import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { Preferences } from '../../core/session/preferences';
import { describeStatus } from '../key-tab/key-row';
import { downloadPem } from '../key-tab/pem-download';
import { TRUST_FOLDER } from '../key-tab/trust-folder';
import type { Trust } from './trust';

/**
 * "Trust on Controllers and Agents": which certificate each Controller and Agent must hold for
 * deployments signed with this key to be accepted, as a file named for the folder it goes to.
 */
@Component({
  selector: 'app-trust-panel',
  imports: [MatButton, MatIcon, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel" aria-labelledby="trust-heading">
      <h3 id="trust-heading">Trust on Controllers and Agents</h3>
      @switch (trust().kind) {
        @case ('none') {
          <p class="muted">
            Once a certificate is stored, this says which certificate every Controller and Agent
            must hold.
          </p>
        }
        @case ('issuer-missing') {
          @if (missing(); as m) {
            <p class="problem" role="alert">
              <mat-icon aria-hidden="true">error</mat-icon>
              <span>
                @if (m.named) {
                  The certificate names "{{ m.issuer }}" as its issuer, but that certificate did not
                  sign it directly: Controllers and Agents do not follow longer chains.
                } @else {
                  The certificate was issued by "{{ m.issuer }}", whose CA certificate is not
                  available here: it was not stored with the certificate, and it is not the SSL CA.
                }
              </span>
            </p>
            <p class="todo">
              What to do: store the certificate together with the CA certificate that issued it
              (Import a PEM file holding both, certificate first), or generate a new key with
              <a routerLink="/profile/ssl-keys">the SSL CA</a>. Until then, make sure every
              Controller and Agent holds that CA certificate in <code>{{ folder }}</code>.
            </p>
          }
        }
        @default {
          @if (anchored(); as a) {
            <p class="what">
              <mat-icon aria-hidden="true">verified_user</mat-icon>
              <span>
                @if (a.kind === 'self-signed') {
                  The certificate is self-signed: every Controller and Agent must hold
                  <strong>this certificate itself</strong>.
                } @else {
                  The certificate was issued by <strong>{{ a.anchor.subject }}</strong>{{
                    a.source === 'ssl-ca' ? ' (the SSL CA)' : ' (from the stored chain)'
                  }}: every Controller and Agent must hold <strong>this CA certificate</strong>.
                }
              </span>
            </p>
            <p class="anchor-status {{ anchorStatus().tone }}">
              <mat-icon aria-hidden="true">{{ anchorStatus().icon }}</mat-icon>
              <span
                >{{ a.kind === 'self-signed' ? 'The certificate' : 'The CA certificate' }}:
                {{ anchorStatus().text }}
                <span class="muted">(until {{ preferences.date(a.anchor.notAfter) }})</span></span
              >
            </p>
            <p class="muted fingerprint">SHA-256 fingerprint: {{ a.anchor.fingerprintSha256 }}</p>
            <div class="file">
              <button mat-stroked-button type="button" (click)="download()">
                <mat-icon aria-hidden="true">download</mat-icon>Download trusted-x509-keys/{{
                  a.fileName
                }}
              </button>
              <p class="instruction">
                Copy this file into <code>{{ folder }}</code> of every Controller and Agent.
              </p>
            </div>
          }
        }
      }
    </section>
  `,
  styles: `
    .panel {
      margin-top: 16px;
      padding: 12px 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface-container-lowest);
    }
    h3 {
      font: var(--mat-sys-title-medium);
      margin: 0 0 8px;
    }
    p {
      margin: 6px 0;
      max-width: 100ch;
    }
    .what,
    .problem,
    .anchor-status {
      display: flex;
      gap: 8px;
      align-items: flex-start;
    }
    .what mat-icon {
      color: var(--app-ok, #1b6e2d);
      flex: none;
    }
    .problem {
      color: var(--mat-sys-error);
      font-weight: 500;
    }
    .problem mat-icon {
      flex: none;
    }
    .anchor-status {
      align-items: center;
      flex-wrap: wrap;
      font-weight: 500;
    }
    .anchor-status.ok mat-icon {
      color: var(--app-ok, #1b6e2d);
    }
    .anchor-status.warn {
      color: var(--app-warn, #7a4f00);
    }
    .anchor-status.error {
      color: var(--mat-sys-error);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      font-weight: 400;
    }
    .fingerprint {
      font-family: ui-monospace, 'Roboto Mono', monospace;
      font-size: 12px;
      word-break: break-all;
      margin-left: 32px;
    }
    .file {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: center;
      margin-top: 8px;
    }
    .instruction {
      margin: 0;
    }
    code {
      font-family: ui-monospace, 'Roboto Mono', monospace;
      font-size: 13px;
    }
  `,
})
export class TrustPanel {
  protected readonly preferences = inject(Preferences);
  readonly trust = input.required<Trust>();

  protected readonly folder = TRUST_FOLDER;
  protected readonly anchored = computed(() => {
    const t = this.trust();
    return t.kind === 'issued' || t.kind === 'self-signed' ? t : undefined;
  });
  protected readonly missing = computed(() => {
    const t = this.trust();
    return t.kind === 'issuer-missing' ? t : undefined;
  });
  protected readonly anchorStatus = computed(() => {
    const link = this.anchored()?.chain.at(-1);
    return link
      ? describeStatus(link.status, (d) => this.preferences.date(d))
      : { icon: '', text: '', tone: 'ok' as const };
  });

  protected download(): void {
    const a = this.anchored();
    if (a) downloadPem(a.fileName, a.pem);
  }
}
