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
import { hasNoExpiry } from '../../../pki/no-expiry';
import type { Trust } from './trust';

/** A piece of a sentence: its text, or where the folder's name or the SSL tab's link goes. */
interface Part {
  readonly text: string;
  readonly slot?: 'folder' | 'sslKeys';
}

// Characters of Unicode's private use area: no message holds them.
const SLOTS = { folder: '\uE000', link: '\uE001' } as const;

/** A message cut where its `{folder}` and `{link}` go, for the template to draw them there. */
function parts(i18n: Pick<I18n, 't'>, key: string, params: Record<string, unknown>): Part[] {
  return i18n
    .t(key, { ...params, ...SLOTS })
    .split(/([\uE000\uE001])/)
    .filter((text) => text !== '')
    .map((text) =>
      text === SLOTS.folder
        ? { text, slot: 'folder' }
        : text === SLOTS.link
          ? { text, slot: 'sslKeys' }
          : { text },
    );
}

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
            <p class="what {{ shield().tone }}">
              <mat-icon aria-hidden="true">{{ shield().icon }}</mat-icon>
              <span>
                @if (a.kind === 'self-signed') {
                  {{ 'sig.trust.selfSignedBefore' | translate }}
                  <strong>{{ 'sig.trust.selfSignedStrong' | translate }}</strong>{{
                    'sig.trust.selfSignedAfter' | translate
                  }}
                } @else {
                  <!-- Once the CA certificate has expired it is no longer what Controllers must hold. -->
                  {{ 'sig.trust.issuedBefore' | translate }}
                  <strong>{{ a.anchor.subject }}</strong>{{
                    'sig.trust.issuedSource'
                      | translate: { source: a.source === 'ssl-ca' ? 'sslCa' : 'chain' }
                  }}{{
                    (anchorExpired() ? 'sig.trust.todoEnd' : 'sig.trust.issuedMiddle') | translate
                  }}
                  <strong>{{
                    anchorExpired() ? '' : ('sig.trust.issuedStrong' | translate)
                  }}</strong>{{ anchorExpired() ? '' : ('sig.trust.issuedAfter' | translate) }}
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
                <!-- "Expired on" and "Expires today, at" already name the end. -->
                @if (!anchorEndNamed()) {
                  <span class="muted">{{
                    anchorNoExpiry()
                      ? ('sig.trust.noExpiry' | translate)
                      : ('sig.trust.until'
                        | translate: { date: preferences.date(a.anchor.notAfter) })
                  }}</span>
                }
              </span>
            </p>
            @let line = fingerprintLine();
            <p class="muted fingerprint">
              {{ line.before }}
              @for (pair of line.pairs; track $index) {
                <span>{{ pair }}</span>
              }
              {{ line.after }}
            </p>
            <p class="muted fingerprint js7-fingerprint">
              {{ 'sig.trust.js7Fingerprint' | translate: { fingerprint: a.logFingerprint } }}
            </p>
            @if (anchorExpired()) {
              <!-- Who refuses an expired certificate, and what is needed instead. -->
              <p class="problem" role="alert">
                <mat-icon aria-hidden="true">error</mat-icon>
                <span>
                  @for (part of expiredText(); track $index) {
                    @if (part.slot === 'folder') {
                      <code>{{ folder }}</code>
                    } @else {
                      <span>{{ part.text }}</span>
                    }
                  }
                </span>
              </p>
              @if (a.kind === 'issued') {
                <p class="todo">
                  @for (part of todoText(); track $index) {
                    @if (part.slot === 'folder') {
                      <code>{{ folder }}</code>
                    } @else if (part.slot === 'sslKeys') {
                      <a routerLink="/profile/ssl-keys">{{
                        'sig.generate.caFixLink' | translate
                      }}</a>
                    } @else {
                      <span>{{ part.text }}</span>
                    }
                  }
                </p>
              }
            } @else if (expiringText(); as parts) {
              <p class="expiring">
                @for (part of parts; track $index) {
                  @if (part.slot === 'sslKeys') {
                    <a routerLink="/profile/ssl-keys">{{ 'sig.generate.caFixLink' | translate }}</a>
                  } @else {
                    <span>{{ part.text }}</span>
                  }
                }
              </p>
            }
            <!-- Also once expired: Controllers that do not check certificate dates accept it. -->
            <div class="file">
              <button mat-stroked-button type="button" (click)="download()">
                <mat-icon aria-hidden="true">download</mat-icon
                >{{ 'sig.trust.download' | translate: { file: a.fileName } }}
              </button>
              <p class="instruction">
                @if (anchorExpired()) {
                  <!-- Not "copy it everywhere": only where expired certificates are accepted. -->
                  @for (part of copyExpiredText(); track $index) {
                    @if (part.slot === 'folder') {
                      <code>{{ folder }}</code>
                    } @else {
                      <span>{{ part.text }}</span>
                    }
                  }
                } @else {
                  {{ 'sig.trust.copyBefore' | translate }} <code>{{ folder }}</code>
                  {{ 'sig.trust.copyAfter' | translate }}
                }
              </p>
            </div>
            <!-- What JS7 does with the folder, for the operator copying a file into it. -->
            <p class="muted install-note">{{ 'sig.trust.installNote' | translate }}</p>
            <!-- JS7's own words for a signature refused, each with the file that fixes it: JOC names a
                 self-signed certificate by its subject and sends a CA-issued one whole. -->
            <details class="failed">
              <summary>{{ 'sig.trust.failedSummary' | translate }}</summary>
              <ul>
                @if (a.kind === 'self-signed') {
                  <li>
                    {{
                      'sig.trust.failedSignerId'
                        | translate: { subject: a.anchor.subject, file: a.fileName }
                    }}
                  </li>
                  <li>{{ 'sig.trust.failedTampered' | translate: { file: a.fileName } }}</li>
                } @else {
                  <li>{{ 'sig.trust.failedUnknownKey' | translate: { file: a.fileName } }}</li>
                }
              </ul>
            </details>
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
      flex: none;
    }
    .what.ok mat-icon {
      color: var(--app-ok, #1b6e2d);
    }
    .what.warn mat-icon,
    .expiring {
      color: var(--app-warn, #7a4f00);
    }
    /* Under the anchor's status, in line with its fingerprint. */
    .expiring {
      margin-left: 32px;
    }
    .what.error mat-icon {
      color: var(--mat-sys-error);
    }
    .problem {
      color: var(--mat-sys-error);
      font-weight: 500;
    }
    .problem mat-icon,
    .elsewhere mat-icon,
    .anchor-status mat-icon {
      flex: none;
    }
    .elsewhere mat-icon {
      color: var(--mat-sys-on-surface-variant);
    }
    /* On a narrow screen the words wrap beside the icon, not below it. */
    .anchor-status {
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
    .failed {
      margin: 8px 0 0;
      max-width: 90ch;
      font: var(--mat-sys-body-small);
    }
    .failed summary {
      cursor: pointer;
      color: var(--mat-sys-primary);
    }
    .failed ul {
      margin: 4px 0 0;
      padding-left: 20px;
    }
    .install-note {
      margin: 8px 0 0;
      max-width: 90ch;
      font: var(--mat-sys-body-small);
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
      ? describeStatus(
          link.status,
          (d) => this.preferences.date(d),
          this.i18n,
          (d) => this.preferences.dateTime(d),
        )
      : { icon: '', text: '', tone: 'ok' as const };
  });

  /**
   * The top line's shield: green only while every certificate on the way to the trusted one is
   * valid; amber while one ends soon; red while one has expired or has not started (signatures
   * are refused until then).
   */
  protected readonly shield = computed(() => {
    const kinds = (this.anchored()?.chain ?? []).map((link) => link.status.kind);
    return kinds.includes('expired') || kinds.includes('not-yet-valid')
      ? { icon: 'gpp_bad', tone: 'error' }
      : kinds.includes('expiring')
        ? { icon: 'gpp_maybe', tone: 'warn' }
        : { icon: 'verified_user', tone: 'ok' };
  });
  /** The certificate Controllers and Agents must hold has expired: those that check dates refuse it. */
  protected readonly anchorExpired = computed(
    () => this.anchored()?.chain.at(-1)?.status.kind === 'expired',
  );
  /** Whether the status already names the end: "Expired on", or the moment of an end within a day. */
  protected readonly anchorEndNamed = computed(() => {
    const status = this.anchored()?.chain.at(-1)?.status;
    return (
      status?.kind === 'expired' ||
      (status?.kind === 'expiring' && !!status.until && status.daysLeft <= 1)
    );
  });
  /** RFC 5280's "no well-defined expiration date": said in words, not as the year 10000. */
  protected readonly anchorNoExpiry = computed(() => hasNoExpiry(this.anchored()?.anchor.notAfter));
  private readonly source = computed(() =>
    this.anchored()?.source === 'ssl-ca' ? 'sslCa' : 'chain',
  );
  protected readonly expiredText = computed(() =>
    parts(
      this.i18n,
      this.anchored()?.kind === 'self-signed' ? 'sig.trust.expiredSelf' : 'sig.trust.expiredCa',
      {},
    ),
  );
  protected readonly copyExpiredText = computed(() =>
    parts(this.i18n, 'sig.trust.copyExpired', {}),
  );
  protected readonly todoText = computed(() =>
    parts(this.i18n, 'sig.trust.expiredCaTodo', { source: this.source() }),
  );
  /** The CA ends within the warning threshold: what to do before then. */
  protected readonly expiringText = computed(() => {
    const a = this.anchored();
    const expiry = a?.kind === 'issued' ? a.issuerExpiry : undefined;
    return expiry?.state === 'expiring'
      ? parts(this.i18n, 'sig.trust.expiringCa', {
          source: this.source(),
          date: this.preferences.date(expiry.notAfter),
        })
      : undefined;
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
