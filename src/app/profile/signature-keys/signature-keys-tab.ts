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
import { Router } from '@angular/router';
import { JocApi } from '../../core/api/joc-api';
import { I18n } from '../../core/i18n/i18n';
import { browserTimeZone } from '../../core/session/date-format';
import { followDays } from '../../core/session/follow-days';
import { Preferences } from '../../core/session/preferences';
import { Session } from '../../core/session/session';
import { SigningKey, hasKeyPair } from '../../core/session/signing-key';
import type { AuditSettings } from '../audit-log-input/audit-log-form';
import { KeyDialogs } from '../key-tab/key-dialogs';
import { KeyTable } from '../key-tab/key-table';
import { HistoryPanel } from '../key-tab/history-panel';
import { hasNoExpiry } from '../../../pki/no-expiry';
import { changeCheck } from '../key-tab/change-check';
import { keptValue } from '../key-tab/kept-value';
import { KeyRow, type KeyAction } from '../key-tab/key-row';
import { summarizeKey } from '../key-tab/key-summary';
import { ReadinessPanel } from './readiness-panel';
import { TrustPanel } from './trust-panel';
import { lineText } from './texts';
import { type NotApplied, notApplied, notAppliedText } from './write-check';

/** The zone's IANA name, or UTC for one this browser does not know (its dates are then UTC too). */
function knownZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** A certificate's end as the dialogs name it; none for RFC 5280's "no expiration date". */
function endDate(certificate: { readonly notAfter: Date } | undefined): Date | undefined {
  return certificate && !hasNoExpiry(certificate.notAfter) ? certificate.notAfter : undefined;
}

/** Resolves in a later task of the event loop: after the current change detection has rendered. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve));

/**
 * The Signature Key Management tab: one row "Keys and Certificates" and its five dialogs, which
 * certificate Controllers and Agents must trust, and the deployment readiness check.
 */
@Component({
  selector: 'app-signature-keys-tab',
  imports: [
    KeyTable,
    KeyRow,
    MatProgressBar,
    MatIcon,
    TrustPanel,
    ReadinessPanel,
    HistoryPanel,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2>{{ 'sig.tab.title' | translate }}</h2>
    <p class="intro">{{ intro() }}</p>
    <div class="progress">
      @if (signingKey.loading() || summary.isLoading()) {
        <mat-progress-bar mode="indeterminate" [attr.aria-label]="'sig.tab.loading' | translate" />
      }
    </div>
    @if (signingKey.error(); as error) {
      <p class="error" role="alert">
        {{ 'sig.tab.readError' | translate: { message: i18n.message(error) } }}
      </p>
    }
    @if (pasteIgnored(); as version) {
      <p class="paste-note" role="note">
        <mat-icon aria-hidden="true">info</mat-icon
        ><span>{{ 'sig.tab.lowPasteIgnored' | translate: { version } }}</span>
      </p>
    }
    @if (notApplied(); as text) {
      <p class="not-applied" role="alert">
        <mat-icon aria-hidden="true">report</mat-icon><span>{{ text }}</span>
      </p>
    }
    @if (shown(); as s) {
      <app-key-table>
        <tr
          appKeyRow
          [summary]="s"
          [policy]="rowPolicy()"
          [issuer]="issuerExpiry()"
          (action)="onAction($event)"
        >
          @if (s.status.kind !== 'none') {
            <span appRowNote class="readiness-line {{ line()?.tone }}" aria-live="polite">
              @if (line(); as l) {
                <mat-icon aria-hidden="true" inline>{{ l.icon }}</mat-icon> {{ l.text }}
              } @else if (readiness.isLoading()) {
                {{ 'sig.tab.checking' | translate }}
              }
            </span>
          }
        </tr>
      </app-key-table>
      @if (s.status.kind !== 'none') {
        <!-- Below the row, and waiting for the CA and pkijs anyway: their code loads once the row is drawn. -->
        @defer (on immediate) {
          <!-- PGP and ML-DSA keys: Controllers trust them without X.509 certificates. -->
          @if (s.status.kind !== 'foreign' && trustShown(); as t) {
            <app-trust-panel [trust]="t" />
          }
          <app-readiness-panel
            [readiness]="readinessValue()"
            [running]="readiness.isLoading()"
            [error]="readinessError()"
            [warnDays]="warnDays()"
            (run)="readiness.reload()"
          />
        }
      }
      <!-- Not "on idle": a page kept busy (or an idle callback lost) never showed it. Its chunk
           loads once the row is drawn. -->
      @defer (on immediate) {
        <app-history-panel
          kind="key"
          [owner]="policy().keyOwner"
          [level]="level()"
          [version]="changes()"
        />
      }
    }
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-large);
      margin: 8px 0;
    }
    .intro {
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 16px;
      max-width: 80ch;
    }
    /* The bar runs in the gap above the table: the row stays where the pointer is. */
    .progress {
      position: relative;
    }
    .progress mat-progress-bar {
      position: absolute;
      inset: -10px 0 auto;
    }
    .error {
      color: var(--mat-sys-error);
      /* A server's text may be long (a stack trace) or hold a long unbroken word (a URL). */
      overflow-wrap: anywhere;
      max-height: 40vh;
      overflow: auto;
    }
    .not-applied,
    .paste-note {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      max-width: 80ch;
      padding: 12px 16px;
      border-radius: 8px;
    }
    .not-applied mat-icon,
    .paste-note mat-icon {
      flex: none;
    }
    .not-applied {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .paste-note {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .readiness-line {
      display: block;
      margin-top: 6px;
      font: var(--mat-sys-body-small);
      font-weight: 500;
    }
    .readiness-line.ok {
      color: var(--app-ok, #1b6e2d);
    }
    .readiness-line.warn {
      color: var(--app-warn, #7a4f00);
    }
    .readiness-line.error {
      color: var(--mat-sys-error);
    }
  `,
})
export class SignatureKeysTab {
  protected readonly signingKey = inject(SigningKey);
  private readonly session = inject(Session);
  private readonly preferences = inject(Preferences);
  private readonly dialogs = inject(KeyDialogs);
  private readonly api = inject(JocApi);
  private readonly router = inject(Router);
  protected readonly i18n = inject(I18n);

  protected readonly policy = computed(() => this.session.policy()!);
  /**
   * JOC Cockpit's version when it is one that, at LOW, stores Update and Import as the MEDIUM-level
   * key, which signs nothing at LOW (2.9 and later, read from its sources: real-joc.md).
   */
  protected readonly pasteIgnored = computed(() => {
    const properties = this.session.properties();
    const [major, minor] = (properties?.apiVersion ?? '').split('.').map(Number);
    return properties?.securityLevel === 'LOW' &&
      !properties.embeddedServer &&
      this.policy().canManage &&
      (major > 2 || (major === 2 && minor >= 9))
      ? properties.apiVersion
      : undefined;
  });
  protected readonly rowPolicy = computed(() =>
    this.pasteIgnored() ? { ...this.policy(), canPaste: false } : this.policy(),
  );
  /** Counts the dialogs that may have changed the key (see onAction). */
  protected readonly changes = signal(0);
  protected readonly level = computed(() => this.session.properties()?.securityLevel ?? 'MEDIUM');
  protected readonly warnDays = computed(() => this.preferences.current().warnDays);
  protected readonly summary = resource({
    params: () => ({
      pair: this.signingKey.pair(),
      now: this.signingKey.now(),
      warnDays: this.warnDays(),
      dayNumber: this.preferences.dayNumber(),
    }),
    loader: ({ params }) =>
      params.pair === undefined
        ? Promise.resolve(undefined)
        : summarizeKey(params.pair, params.now, params.warnDays, params.dayNumber),
  });
  protected readonly shown = keptValue(this.summary);
  /** The SSL CA: the issuer of CA-issued certificates; a failure to read it only means "not available". */
  private readonly ca = resource({
    params: () => ({}),
    loader: async () => {
      const answer = await this.api.showCa();
      return answer.ok ? answer.value : {};
    },
  });
  /*
   * The trust panel and the readiness check read the certificates again (and the CA): they start
   * once the row has its summary, and in a later task than the change detection that draws the
   * row, so that the row's status does not wait for work shown below it.
   */
  protected readonly trust = resource({
    params: () =>
      this.ca.isLoading() || !this.summary.hasValue()
        ? undefined
        : {
            pair: this.signingKey.pair(),
            now: this.signingKey.now(),
            ca: this.ca.value(),
            warnDays: this.warnDays(),
            dayNumber: this.preferences.dayNumber(),
          },
    loader: async ({ params }) => {
      await nextTask();
      const { trustOf } = await import('./trust');
      return trustOf(params.pair, params.ca, params.now, params.warnDays, params.dayNumber);
    },
  });
  /** The trust path shown, if any: a failed one (its resource in error) is none. */
  protected trustShown() {
    return this.trust.hasValue() ? this.trust.value() : undefined;
  }
  private readinessShown() {
    return this.readiness.hasValue() ? this.readiness.value() : undefined;
  }
  /** The issuing CA's end for the row: known with the trust path, a moment after the row. */
  protected readonly issuerExpiry = computed(() => {
    const trust = this.trustShown();
    return trust?.kind === 'issued' ? trust.issuerExpiry : undefined;
  });
  /** Runs whenever the key, the CA or the threshold changes; the button runs it again. */
  protected readonly readiness = resource({
    params: () => {
      const pair = this.signingKey.pair();
      return pair === undefined ||
        !hasKeyPair(pair) ||
        this.ca.isLoading() ||
        !this.summary.hasValue()
        ? undefined
        : {
            pair,
            now: this.signingKey.now(),
            ca: this.ca.value(),
            warnDays: this.warnDays(),
            dayNumber: this.preferences.dayNumber(),
            timeZone: knownZone(this.preferences.current().timeZone || browserTimeZone()),
          };
    },
    loader: async ({ params }) => {
      await nextTask();
      const { checkReadiness, readinessLine } = await import('./readiness');
      const answer = await checkReadiness(
        this.api,
        params.pair,
        params.ca,
        params.warnDays,
        new Date(),
        this.session.serverCheck,
        params.dayNumber,
        params.timeZone,
      );
      // The server checks what is stored now: when another session stored another certificate
      // since the row was read, the key is read again, and this verdict (not about the row's
      // certificate) gives way to the check of the new pair.
      const checked = answer.ok && answer.value.source === 'server' ? answer.value : undefined;
      const shown = this.summary.value()?.certificate?.fingerprintSha256;
      if (checked && (checked.fingerprint ?? '') !== (shown ?? ''))
        await this.signingKey.load({ maxAgeMs: 0 });
      return { answer, line: answer.ok ? readinessLine(answer.value) : undefined };
    },
  });
  protected readonly readinessValue = computed(() => {
    const answer = this.readinessShown()?.answer;
    return answer?.ok ? answer.value : undefined;
  });
  protected readonly readinessError = computed(() => {
    const answer = this.readinessShown()?.answer;
    return answer && !answer.ok ? answer.error : undefined;
  });
  /**
   * The fingerprint of the certificate Controllers had to hold before a key was stored on this
   * page ('' when there was none); `undefined` until then.
   */
  private readonly anchorBefore = signal<string | undefined>(undefined);
  /**
   * The file Controllers and Agents must now hold, when a key stored on this page needs another
   * one than before: until they hold it, what the new key signs is refused. Which certificates the
   * Controllers hold is not known here, so this lasts as long as the page.
   */
  private readonly newAnchor = computed(() => {
    const before = this.anchorBefore();
    const trust = this.trustShown();
    if (before === undefined || (trust?.kind !== 'self-signed' && trust?.kind !== 'issued'))
      return undefined;
    return trust.anchor.fingerprintSha256 === before ? undefined : trust.fileName;
  });
  /** The row's readiness line, worded in the person's language whenever it changes. */
  protected readonly line = computed(() => {
    const line = this.readiness.isLoading() ? undefined : this.readinessShown()?.line;
    // After a change here, "Ready" waits for the certificate to hold, not to flash before it.
    if (!line || (this.anchorBefore() !== undefined && this.trust.isLoading())) return undefined;
    const file = this.newAnchor();
    if (file && line.tone !== 'error')
      return {
        icon: 'gpp_maybe',
        tone: 'warn' as const,
        text: this.i18n.t('sig.readiness.line.copyFirst', { file }),
      };
    return {
      ...line,
      text: lineText(
        line,
        (k, p) => this.i18n.t(k, p),
        (d) => this.preferences.date(d),
      ),
    };
  });
  protected readonly intro = computed(() => {
    const level = this.session.properties()?.securityLevel;
    return this.i18n.t(level === 'LOW' ? 'sig.tab.introLow' : 'sig.tab.introOwn');
  });
  private readonly audit = computed<AuditSettings>(() => {
    const properties = this.session.properties();
    const force = properties?.forceCommentsForAuditLog ?? false;
    return {
      show: force || this.preferences.current().auditAlways,
      required: force,
      comments: properties?.comments ?? [],
    };
  });

  /**
   * Set when the server said a pasted or imported key was stored but reading it back shows another
   * certificate (JOC Cockpit 2.9.0 at LOW writes Update and Import to the caller's own key).
   */
  private readonly notAppliedWhy = signal<NotApplied | undefined>(undefined);
  protected readonly notApplied = computed(() => {
    const why = this.notAppliedWhy();
    return why && notAppliedText(why, (k, p) => this.i18n.t(k, p));
  });

  constructor() {
    void this.signingKey.load();
    followDays(
      this.signingKey,
      () => this.preferences.dayNumber(),
      () => this.shown()?.certificate?.notBefore,
    );
  }

  /** Every dialog may have changed the key: the History panel reads the audit log again after it. */
  protected async onAction(action: KeyAction): Promise<void> {
    try {
      await this.act(action);
    } finally {
      if (action !== 'show') this.changes.update((n) => n + 1);
    }
  }

  /**
   * Before a dialog that writes: the key and the policy as the server holds them now. Another
   * session may have replaced or deleted the key, and an administrator may have changed the
   * security level, since this page read them: the dialog must name what it replaces, for the
   * account whose key it is. False when there is nothing to write (read failed, no longer allowed).
   */
  private async current(): Promise<boolean> {
    await Promise.all([this.session.refresh(), this.signingKey.load({ maxAgeMs: 0 })]);
    const policy = this.session.policy();
    if (!policy?.showTab) {
      await this.router.navigate(['/profile/preferences']);
      return false;
    }
    return !this.signingKey.error() && policy.canManage;
  }

  private async act(action: KeyAction): Promise<void> {
    // What Controllers were to hold, as the page showed it (before the key is read again).
    const trust = this.trustShown();
    const anchor =
      trust?.kind === 'self-signed' || trust?.kind === 'issued' ? trust.anchor : undefined;
    if (action !== 'show' && !(await this.current())) return;
    // The first writing dialog on this page keeps what Controllers held; the key read after each
    // one (also after an answer lost on the way) is compared with it.
    if (action !== 'show' && this.anchorBefore() === undefined)
      this.anchorBefore.set(anchor?.fingerprintSha256 ?? '');
    const pair = this.signingKey.pair();
    // Deleted meanwhile in another session: the row now says so, and there is nothing to delete.
    if (action === 'delete' && !hasKeyPair(pair)) return;
    const summary = this.summary.value();
    const audit = this.audit();
    // The dialog writes over the key it opened on, not over one stored meanwhile elsewhere.
    const check = changeCheck(pair, async () => {
      await this.signingKey.load({ maxAgeMs: 0 });
      return this.signingKey.error() ? undefined : this.signingKey.pair();
    });
    // Read again just now (see current()): what Generate replaces and Delete deletes.
    const certificate =
      action === 'generate' || action === 'delete'
        ? hasKeyPair(pair)
          ? (await summarizeKey(pair, new Date(), this.warnDays(), this.preferences.dayNumber()))
              .certificate
          : undefined
        : summary?.certificate;
    let changed: unknown;
    switch (action) {
      case 'show': {
        // The private key is shown as stored now, and only while the server accepts the session:
        // a tab left open past the session's end goes to the login page instead (the interceptor),
        // and a key changed in another session is not shown in its old form.
        await this.signingKey.load({ maxAgeMs: 0 });
        const current = this.signingKey.pair();
        if (this.signingKey.error() || !hasKeyPair(current)) return;
        const unchanged = current === pair && summary;
        const warnDays = this.warnDays();
        const dayNumber = this.preferences.dayNumber();
        const trust = unchanged
          ? this.trustShown()
          : await import('./trust').then((m) =>
              m.trustOf(current, this.ca.value(), new Date(), warnDays, dayNumber),
            );
        await this.dialogs.show({
          pair: current,
          summary: unchanged
            ? summary
            : await summarizeKey(current, new Date(), warnDays, dayNumber),
          owner: this.policy().keyOwner,
          chain: trust && trust.kind !== 'none' ? trust.chain : undefined,
        });
        return;
      }
      case 'update':
      case 'import': {
        const sent = await (action === 'update'
          ? this.dialogs.update({ audit, unchanged: check })
          : this.dialogs.import({ audit, unchanged: check }));
        if (sent) {
          this.notAppliedWhy.set(undefined);
          await this.signingKey.load({ maxAgeMs: 0 });
          // A failed read shows its own error; the pair it leaves is the old one, not a verdict.
          if (!this.signingKey.error())
            this.notAppliedWhy.set(
              notApplied(
                action,
                sent.certificate,
                this.signingKey.pair(),
                this.session.properties()?.securityLevel,
              ),
            );
        } else await this.signingKey.load({ maxAgeMs: 0 });
        return;
      }
      case 'generate':
        changed = await this.dialogs.generate({
          account: this.policy().keyOwner,
          current: hasKeyPair(pair)
            ? {
                hasKey: true,
                validUntil: endDate(certificate),
                ...(certificate && hasNoExpiry(certificate.notAfter) ? { noExpiry: true } : {}),
              }
            : undefined,
          audit,
          unchanged: check,
        });
        break;
      case 'delete':
        changed = await this.dialogs.delete({
          subject: certificate?.subject,
          validUntil: endDate(certificate),
          audit,
          unchanged: check,
        });
        break;
    }
    // A new answer object re-runs the trust and readiness resources.
    if (changed) this.notAppliedWhy.set(undefined);
    // Also after a dialog closed without an answer: its request may have been carried out with
    // the answer lost on the way. The same pair read again changes nothing on the page.
    await this.signingKey.load({ maxAgeMs: 0 });
  }
}
