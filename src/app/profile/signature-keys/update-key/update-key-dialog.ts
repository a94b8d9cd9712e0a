import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  resource,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import {
  certificateFor,
  verifyCaPair,
  verifySigningPair,
  type Certificate,
  type PrivateKey,
} from '../../../../pki';
import { JocApi } from '../../../core/api/joc-api';
import { I18n } from '../../../core/i18n/i18n';
import { Preferences } from '../../../core/session/preferences';
import { AuditLogInput } from '../../audit-log-input/audit-log-input';
import { auditBody, auditLogForm, type AuditSettings } from '../../audit-log-input/audit-log-form';
import { DialogRequest, missingShower, RequestError } from '../../key-tab/dialog-request';
import {
  holdReads,
  pemCertificateValidator,
  pemPrivateKeyValidator,
  readCertificatesOnce,
  readKeyOnce,
} from '../../key-tab/pem-validators';
import { utcDayNumber } from '../../../../pki/days';
import { pairNotes, type PairContext } from '../pair-notes';
import {
  type Coded,
  issuerParams,
  keyText,
  noExpiry,
  pkiText,
  textOf,
  verdictInPersonsDates,
} from '../texts';
import type { ChangeCheck } from '../../key-tab/change-check';

export interface UpdateKeyDialogData {
  readonly audit: AuditSettings;
  /** The signing key (default) or the SSL CA (ECDSA only, a CA certificate: `checkCaPair`). */
  readonly target?: 'signing' | 'ca';
  /** Asked before the write: whether another session changed the key since the dialog opened. */
  readonly unchanged?: ChangeCheck;
}

export interface UpdateKeyDialogResult {
  /** The server answered that it saved the pasted pair. */
  readonly saved: true;
  /** The certificate as sent (PEM), to compare with what the server returns afterwards. */
  readonly certificate: string;
}

/** What the browser read from the two text areas. */
interface Analysis {
  readonly key?: PrivateKey;
  readonly certificate?: Certificate;
  /** The pair check's verdict when both were read. */
  readonly pair?:
    | { readonly ok: true; readonly warnings: readonly (string | Coded)[] }
    | ({ readonly ok: false } & Coded);
  readonly encrypted: boolean;
}

async function analyse(
  privateKey: string,
  certificate: string,
  passphrase: string,
  context: PairContext & { readonly dateTime: (d: Date) => string },
): Promise<Analysis> {
  const keyRead = privateKey.trim() ? await readKeyOnce(privateKey, passphrase) : undefined;
  const certRead = certificate.trim() ? await readCertificatesOnce(certificate) : undefined;
  const key = keyRead?.ok ? keyRead.value : undefined;
  // The key's own certificate, whatever the order of a pasted chain; the rest is not stored.
  const cert = certRead?.ok ? certificateFor(key, certRead.value, context.now) : undefined;
  const encrypted = key
    ? /encrypted/.test(key.format)
    : !!keyRead &&
      !keyRead.ok &&
      (keyRead.reason === 'encrypted-key' || keyRead.reason === 'wrong-passphrase');
  if (!key || !cert) return { key, certificate: cert, encrypted };
  // The same rules the server applies (match, expiry, CA), on what was just read: nothing parsed twice.
  const checked = context.target === 'ca' ? verifyCaPair(key, cert) : verifySigningPair(key, cert);
  const verdict = verdictInPersonsDates(
    checked,
    context.dateTime,
    context.dayNumber ?? utcDayNumber,
    context.now,
  );
  return {
    key,
    certificate: cert,
    encrypted,
    // The failure as the PKI core gave it (with its code, once it has one), translated where shown;
    // what reading noticed (a second key in the text, certificates not stored) comes first.
    pair: verdict.ok
      ? {
          ok: true,
          warnings: [
            ...(keyRead?.ok ? keyRead.warnings : []),
            ...verdict.warnings,
            ...(await pairNotes(key, cert, certRead?.ok ? certRead.value : [cert], context)),
          ],
        }
      : verdict,
  };
}

/** Paste a private key and its certificate; checked while typing with src/pki, stored as canonical PEM. */
@Component({
  selector: 'app-update-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatIcon,
    MatProgressBar,
    AuditLogInput,
    RequestError,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './update-key-dialog.html',
  styleUrl: './update-key-dialog.scss',
})
export class UpdateKeyDialog {
  private readonly api = inject(JocApi);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly preferences = inject(Preferences);
  protected readonly i18n = inject(I18n);
  protected readonly ref =
    inject<MatDialogRef<UpdateKeyDialog, UpdateKeyDialogResult>>(MatDialogRef);
  protected readonly data = inject<UpdateKeyDialogData>(MAT_DIALOG_DATA);
  protected readonly request = new DialogRequest(this.ref);
  private readonly showMissing = missingShower();
  protected readonly target = this.data.target ?? 'signing';

  private readonly passphrase = this.fb.control('');
  protected readonly form = this.fb.group({
    privateKey: ['', Validators.required, pemPrivateKeyValidator(() => this.passphrase.value)],
    passphrase: this.passphrase,
    certificate: ['', Validators.required, pemCertificateValidator()],
  });
  protected readonly audit = auditLogForm(this.fb, this.data.audit);

  private readonly value = toSignal(this.form.valueChanges, {
    initialValue: this.form.getRawValue(),
  });
  protected readonly status = toSignal(this.form.statusChanges, { initialValue: this.form.status });
  private readonly auditStatus = toSignal(this.audit.statusChanges, {
    initialValue: this.audit.status,
  });

  protected readonly analysis = resource({
    params: () => {
      const { privateKey = '', certificate = '', passphrase = '' } = this.value();
      return { privateKey, certificate, passphrase };
    },
    loader: ({ params }) =>
      analyse(params.privateKey, params.certificate, params.passphrase, {
        target: this.target,
        now: new Date(),
        warnDays: this.preferences.current().warnDays,
        date: (d) => this.preferences.date(d),
        dateTime: (d) => this.preferences.dateTime(d),
        dayNumber: this.preferences.dayNumber(),
      }),
  });

  protected readonly keyLine = computed(() => {
    const key = this.analysis.value()?.key;
    return key ? keyText(this.i18n, key) : undefined;
  });
  protected readonly certLine = computed(() => {
    const cert = this.analysis.value()?.certificate;
    if (!cert) return undefined;
    return this.i18n.t('sig.update.certLine', {
      subject: cert.subject,
      key: cert.publicKey.label,
      ...issuerParams(cert),
      from: this.preferences.date(cert.notBefore),
      until: this.preferences.date(cert.notAfter),
      noExpiry: noExpiry(cert.notAfter),
    });
  });
  protected readonly showPassphrase = computed(
    () => !!this.analysis.value()?.encrypted || !!this.value().passphrase,
  );
  protected readonly pairOk = computed(() => this.analysis.value()?.pair?.ok === true);
  protected readonly canSubmit = computed(
    () =>
      this.status() === 'VALID' &&
      this.auditStatus() === 'VALID' &&
      this.pairOk() &&
      !this.analysis.isLoading() &&
      !this.request.sending(),
  );

  constructor() {
    // An encrypted key is read again whenever its passphrase changes.
    const destroyRef = inject(DestroyRef);
    this.form.controls.passphrase.valueChanges
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(() => this.form.controls.privateKey.updateValueAndValidity());
    destroyRef.onDestroy(holdReads());
  }

  protected keyError(): string | undefined {
    const control = this.form.controls.privateKey;
    return control.hasError('required')
      ? this.i18n.t('sig.update.keyRequired')
      : pkiText(this.i18n, control);
  }

  protected certError(): string | undefined {
    const control = this.form.controls.certificate;
    return control.hasError('required')
      ? this.i18n.t('sig.update.certRequired')
      : pkiText(this.i18n, control);
  }

  protected text(x: string | Coded): string {
    return textOf(this.i18n, x);
  }

  /** Sends the pasted key and certificate to the server (`storeKey`, or `storeCa` for the SSL CA). */
  protected async savePair(): Promise<void> {
    const analysis = this.analysis.value();
    if (!this.canSubmit() || !analysis?.key || !analysis.certificate) {
      // A press on the (focusable) disabled button: show what is missing.
      this.showMissing(this.form, this.audit);
      return;
    }
    const audit = auditBody(this.audit, this.data.audit);
    // The key's own certificate as canonical PEM: JOC hands the stored text to the Controllers
    // as it is, and they read one certificate that begins it.
    const certificateText = analysis.certificate.pem;
    if (this.target === 'ca') {
      const saved = await this.request.run(
        () =>
          this.api.storeCa({
            privateKey: analysis.key!.pem,
            certificate: certificateText,
            ...audit,
          }),
        this.data.unchanged,
      );
      if (saved) this.ref.close({ saved: true, certificate: certificateText });
      return;
    }
    const done = await this.request.run(
      () =>
        this.api.storeKey({
          keys: {
            // The key as decrypted and normalised in the browser.
            privateKey: analysis.key!.pem,
            certificate: certificateText,
            keyAlgorithm: analysis.key!.algorithm,
          },
          ...audit,
        }),
      this.data.unchanged,
    );
    if (done) this.ref.close({ saved: true, certificate: certificateText });
  }
}
