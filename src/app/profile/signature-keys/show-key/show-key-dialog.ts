import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import type { JocKeyPair } from '../../../../contract';
import { I18n } from '../../../core/i18n/i18n';
import { Preferences } from '../../../core/session/preferences';
import { Session } from '../../../core/session/session';
import {
  describeStatus,
  fingerprintPairs,
  nameParts,
  type KeyRowKind,
} from '../../key-tab/key-row';
import type { KeySummary } from '../../key-tab/key-summary';
import { hasNoExpiry } from '../../../../pki/no-expiry';
import { downloadPem } from '../../key-tab/pem-download';
import { type ChainLink, trustFileName } from '../trust';

export interface ShowKeyDialogData {
  readonly pair: JocKeyPair;
  readonly summary: KeySummary;
  /** Whose key this is (for file names). */
  readonly owner: string;
  /** The signing key (default) or the SSL CA: the title, the words and the file names differ. */
  readonly kind?: KeyRowKind;
  /** The chain certificate → CA, when the certificate was issued by one that is available. */
  readonly chain?: readonly ChainLink[];
}

/** How long a revealed private key stays on screen. */
const REVEAL_MS = 120_000;

/** Show has nothing to return. */
export type ShowKeyDialogResult = undefined;

/**
 * The parsed certificate and both PEMs of the signing key or of the SSL CA; the private key stays
 * masked until "Reveal"; a CA-issued certificate shows its chain with each link's validity.
 */
@Component({
  selector: 'app-show-key-dialog',
  imports: [
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatButton,
    MatIcon,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './show-key-dialog.html',
  styleUrl: './show-key-dialog.scss',
})
export class ShowKeyDialog {
  private readonly clipboard = inject(Clipboard);
  protected readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);
  private readonly session = inject(Session);
  /** When the server last accepted the session: the key was read just before the dialog opened. */
  private confirmedAt = Date.now();
  protected readonly data = inject<ShowKeyDialogData>(MAT_DIALOG_DATA);

  protected readonly revealed = signal(false);
  /** The key went back into hiding by itself: said where it was. */
  protected readonly hiddenAgain = signal(false);
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last copy: what was copied and whether it worked; put into words where shown. */
  private readonly lastCopy = signal<
    { what: 'privateKey' | 'publicKey' | 'certificate'; ok: boolean } | undefined
  >(undefined);
  protected readonly copied = computed(() => {
    const copy = this.lastCopy();
    return copy
      ? this.i18n.t(copy.ok ? 'sig.show.copied' : 'sig.show.copyFailed', { what: copy.what })
      : '';
  });

  protected readonly cert = this.data.summary.certificate;
  protected readonly fingerprint = fingerprintPairs(this.cert?.fingerprintSha256);
  protected readonly subject = nameParts(this.cert?.subject);
  protected readonly issuer = computed(() => {
    const cert = this.cert;
    return nameParts(
      cert?.selfIssued ? this.i18n.t('sig.show.selfSigned', { issuer: cert.issuer }) : cert?.issuer,
    );
  });
  protected readonly status = computed(() =>
    describeStatus(
      this.data.summary.status,
      (d) => this.preferences.date(d),
      this.i18n,
      (d) => this.preferences.dateTime(d),
    ),
  );
  protected readonly expired = this.data.summary.status.kind === 'expired';
  /** RFC 5280's "no well-defined expiration date": said in words, no moment in any zone. */
  protected readonly noExpiry = hasNoExpiry(this.cert?.notAfter);
  protected readonly notYetValid = this.data.summary.status.kind === 'not-yet-valid';
  protected readonly isCa = this.data.kind === 'ca';
  protected readonly title = this.isCa ? 'sig.show.titleCa' : 'sig.show.titleSigning';
  /** PGP or ML-DSA: shown as JOC Cockpit returned it (key ID, end date), never read as X.509. */
  private readonly foreignStatus =
    this.data.summary.status.kind === 'foreign' ? this.data.summary.status : undefined;
  protected readonly foreign = this.foreignStatus?.algorithm;
  protected readonly foreignUntil = this.foreignStatus?.validUntil;
  protected readonly foreignExpired = !!this.foreignStatus?.expired;
  /** PGP keys are armored text (.asc); everything else is PEM. */
  protected readonly extension = this.foreign === 'PGP' ? '.asc' : '.pem';
  protected readonly chain = computed(() =>
    (this.data.chain ?? []).map((link) => ({
      ...link,
      subject: nameParts(link.certificate.subject),
      noExpiry: hasNoExpiry(link.certificate.notAfter),
      view: describeStatus(
        link.status,
        (d) => this.preferences.date(d),
        this.i18n,
        (d) => this.preferences.dateTime(d),
      ),
    })),
  );

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.hideTimer));
  }

  /**
   * Shows or hides the private key. Shown, it hides again after a while: a dialog left open on an
   * unattended screen (the session may have ended meanwhile) does not keep the key in view.
   */
  protected toggleReveal(): void {
    if (this.revealed()) {
      clearTimeout(this.hideTimer);
      this.revealed.set(false);
      return;
    }
    this.withSession(() => {
      this.hiddenAgain.set(false);
      this.revealed.set(true);
      this.hideTimer = setTimeout(() => {
        this.revealed.set(false);
        this.hiddenAgain.set(true);
      }, REVEAL_MS);
    });
  }

  protected copy(what: 'privateKey' | 'publicKey' | 'certificate', text: string): void {
    const act = () => this.lastCopy.set({ what, ok: this.clipboard.copy(text) });
    if (what === 'privateKey') this.withSession(act);
    else act();
  }

  protected download(what: 'key' | 'public-key' | 'certificate', text: string): void {
    const extension = what === 'certificate' ? '.pem' : this.extension;
    // A certificate Controllers hold (self-signed, or the CA) under the trust panel's name for
    // it: saved under two names, it would become two files in their trusted-x509-keys folder.
    const cert = this.cert;
    const held =
      what === 'certificate' && cert && (cert.selfIssued || this.isCa) ? cert : undefined;
    const name = held
      ? trustFileName(held)
      : this.isCa
        ? `ssl-ca-${what}${extension}`
        : `${this.data.owner}-signing-${what}${extension}`;
    // That certificate alone, as the trust panel saves it: the same name holds the same bytes.
    const act = () => downloadPem(name, held ? held.pem : text);
    if (what === 'key') this.withSession(act);
    else act();
  }

  /**
   * Hands out the private key (`act`) only while the server accepts the session: a dialog left
   * open on an unattended screen may outlive it. Past two minutes since the server last answered,
   * the session is asked first; an ended one leads to the login page, which closes the dialog.
   */
  private withSession(act: () => void): void {
    if (Date.now() - this.confirmedAt < REVEAL_MS) {
      act();
      return;
    }
    void this.session.refresh().then(() => {
      if (!this.session.loggedIn()) return;
      this.confirmedAt = Date.now();
      act();
    });
  }
}
