import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { I18n } from '../../core/i18n/i18n';
import { Preferences } from '../../core/session/preferences';
import { describeStatus, fingerprintPairs } from '../key-tab/key-row';
import { downloadPem } from '../key-tab/pem-download';
import { TRUST_FOLDER } from '../key-tab/trust-folder';
import type { Trust } from './trust';

/**
 * "Trust on Controllers and Agents": which certificate each Controller and Agent must hold for
 * deployments signed with this key to be accepted, as a file named for the folder it goes to.
 */
@Component({
  selector: 'app-trust-panel',
  imports: [MatButton, MatIcon, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel" aria-labelledby="trust-heading">
      <h3 id="trust-heading">{{ 'sig.trust.heading' | translate }}</h3>
      @switch (trust().kind) {
        @case ('none') {
          <p class="muted">{{ 'sig.trust.none' | translate }}</p>
        }
        @case ('issuer-missing') {
          @if (missing(); as m) {
            @if (m.refused) {
              <p class="problem" role="alert">
                <mat-icon aria-hidden="true">error</mat-icon>
                <span>{{ verdict() }}</span>
              </p>
              <p class="todo">
                {{ 'sig.trust.todoBefore' | translate }}
                <a routerLink="/profile/ssl-keys">{{ 'sig.trust.todoLink' | translate }}</a>{{
                  'sig.trust.todoAfter' | translate
                }}
                <code>{{ folder }}</code>{{ 'sig.trust.todoEnd' | translate }}
              </p>
            } @else {
              <p class="elsewhere">
                <mat-icon aria-hidden="true">info</mat-icon>
                <span
                  >{{ verdict() }}
                  <span class="muted"
                    >{{ 'sig.trust.folder' | translate }} <code>{{ folder }}</code></span
                  ></span
                >
              </p>
            }
          }
        }
        @default {
          @if (anchored(); as a) {
            <p class="what">
              <mat-icon aria-hidden="true">verified_user</mat-icon>
              <span>
                @if (a.kind === 'self-signed') {
                  {{ 'sig.trust.selfSignedBefore' | translate }}
                  <strong>{{ 'sig.trust.selfSignedStrong' | translate }}</strong>{{
                    'sig.trust.selfSignedAfter' | translate
                  }}
                } @else {
                  {{ 'sig.trust.issuedBefore' | translate }}
                  <strong>{{ a.anchor.subject }}</strong>{{
                    'sig.trust.issuedSource'
                      | translate: { source: a.source === 'ssl-ca' ? 'sslCa' : 'chain' }
                  }}{{ 'sig.trust.issuedMiddle' | translate }}
                  <strong>{{ 'sig.trust.issuedStrong' | translate }}</strong>{{
                    'sig.trust.issuedAfter' | translate
                  }}
                }
              </span>
            </p>
            <p class="anchor-status {{ anchorStatus().tone }}">
              <mat-icon aria-hidden="true">{{ anchorStatus().icon }}</mat-icon>
              <span
                >{{
                  'sig.trust.anchorStatus'
                    | translate
                      : {
                          selfSigned: a.kind === 'self-signed' ? 'yes' : 'no',
                          status: anchorStatus().text,
                        }
                }}
                <span class="muted">{{
                  'sig.trust.until' | translate: { date: preferences.date(a.anchor.notAfter) }
                }}</span></span
              >
            </p>
            @let line = fingerprintLine();
            <p class="muted fingerprint">
              {{ line.before }}
              @for (pair of line.pairs; track $index) {
                <span>{{ pair }}</span>
              }
              {{ line.after }}
            </p>
            <div class="file">
              <button mat-stroked-button type="button" (click)="download()">
                <mat-icon aria-hidden="true">download</mat-icon
                >{{ 'sig.trust.download' | translate: { file: a.fileName } }}
              </button>
              <p class="instruction">
                {{ 'sig.trust.copyBefore' | translate }} <code>{{ folder }}</code>
                {{ 'sig.trust.copyAfter' | translate }}
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
    .elsewhere,
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
    .problem mat-icon,
    .elsewhere mat-icon {
      flex: none;
    }
    .elsewhere mat-icon {
      color: var(--mat-sys-on-surface-variant);
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
      margin-left: 32px;
    }
    .fingerprint span {
      display: inline-block;
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
  private readonly i18n = inject(I18n);
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
  /** Why no certificate can be named, in the person's language (the readiness check's words). */
  protected readonly verdict = computed(() => {
    const m = this.missing();
    return m ? this.i18n.message(m.verdict) : '';
  });
  protected readonly anchorStatus = computed(() => {
    const link = this.anchored()?.chain.at(-1);
    return link
      ? describeStatus(link.status, (d) => this.preferences.date(d), this.i18n)
      : { icon: '', text: '', tone: 'ok' as const };
  });

  /** The fingerprint's line in the person's language, its fingerprint in pairs (fingerprintPairs). */
  protected readonly fingerprintLine = computed(() => {
    const mark = '\u0000';
    const [before = '', after = ''] = this.i18n
      .t('sig.trust.fingerprint', { fingerprint: mark })
      .split(mark);
    return {
      before,
      pairs: fingerprintPairs(this.anchored()?.anchor.fingerprintSha256),
      after,
    };
  });

  protected download(): void {
    const a = this.anchored();
    if (a) downloadPem(a.fileName, a.pem);
  }
}
