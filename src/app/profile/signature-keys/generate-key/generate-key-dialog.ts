import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import {
  MatDatepicker,
  MatDatepickerInput,
  MatDatepickerToggle,
} from '@angular/material/datepicker';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';
import { RouterLink } from '@angular/router';
import type { JocKeyPairAnswer } from '../../../../contract';
import { JocApi } from '../../../core/api/joc-api';
import { Preferences } from '../../../core/session/preferences';
import { Session } from '../../../core/session/session';
import { expiryOf, hasKeyPair } from '../../../core/session/signing-key';
import { AuditLogInput } from '../../audit-log-input/audit-log-input';
import { auditBody, auditLogForm, type AuditSettings } from '../../audit-log-input/audit-log-form';
import { DialogRequest, RequestError } from '../../key-tab/dialog-request';
import { dnValidator, futureDateValidator, pkiMessage } from '../../key-tab/pem-validators';

export interface GenerateKeyDialogData {
  readonly account: string;
  /** What is stored now, to say what a new pair replaces. */
  readonly current?: { readonly hasKey: boolean; readonly validUntil?: Date };
  readonly audit: AuditSettings;
}

export interface GenerateKeyDialogResult {
  readonly pair: JocKeyPairAnswer;
}

type CaState =
  { kind: 'loading' } | { kind: 'valid'; subject?: string } | { kind: 'unusable'; reason: string };

const addYears = (years: number): Date => {
  const d = new Date();
  d.setFullYear(d.getFullYear() + years);
  return d;
};

/** JOC Cockpit makes self-signed signing certificates valid for this many days (GenerateKeyImpl). */
const JOC_SELF_SIGNED_DAYS = 365;

/** Today + 365 days: the end of a self-signed certificate real JOC Cockpit generates. */
function joc365(): Date {
  return new Date(Date.now() + JOC_SELF_SIGNED_DAYS * 86_400_000);
}

/** Generates a new pair on the server: algorithm, Distinguished Name, end date, optionally signed by the SSL CA. */
@Component({
  selector: 'app-generate-key-dialog',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatButton,
    MatRadioGroup,
    MatRadioButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatSuffix,
    MatInput,
    MatDatepicker,
    MatDatepickerInput,
    MatDatepickerToggle,
    MatCheckbox,
    MatProgressBar,
    AuditLogInput,
    RequestError,
  ],
  providers: [provideNativeDateAdapter()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './generate-key-dialog.html',
  styleUrl: './generate-key-dialog.scss',
})
export class GenerateKeyDialog {
  private readonly api = inject(JocApi);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly preferences = inject(Preferences);
  protected readonly ref =
    inject<MatDialogRef<GenerateKeyDialog, GenerateKeyDialogResult>>(MatDialogRef);
  protected readonly data = inject<GenerateKeyDialogData>(MAT_DIALOG_DATA);
  protected readonly request = new DialogRequest(this.ref);
  /**
   * A real JOC Cockpit (anything not known to be the embedded server) ignores the end date of a
   * self-signed certificate and cannot sign an RSA key with its (ECDSA) SSL CA.
   */
  protected readonly realJoc = !inject(Session).embedded();

  protected readonly minDate = new Date(Date.now() + 86_400_000);
  protected readonly form = this.fb.group({
    keyAlgorithm: this.fb.control<'ECDSA' | 'RSA'>('ECDSA'),
    dn: [`CN=${this.data.account},OU=JOC,O=JS7`, [Validators.required, dnValidator]],
    validUntil: this.fb.control<Date | null>(addYears(1), [
      Validators.required,
      futureDateValidator,
    ]),
    useSslCa: this.fb.control({ value: false, disabled: true }),
  });
  protected readonly audit = auditLogForm(this.fb, this.data.audit);
  protected readonly ca = signal<CaState>({ kind: 'loading' });
  private readonly useSslCa = toSignal(this.form.controls.useSslCa.valueChanges, {
    initialValue: false,
  });
  /** Real JOC Cockpit, self-signed: the certificate ends 365 days from now, whatever is chosen. */
  protected readonly dateIgnored = computed(() => this.realJoc && !this.useSslCa());
  protected readonly dateNote = `JOC Cockpit makes a self-signed certificate valid for ${JOC_SELF_SIGNED_DAYS} days (until ${this.preferences.date(joc365())}) and ignores a chosen end date. With "Use SSL CA" the date applies.`;
  private readonly validUntil = toSignal(this.form.controls.validUntil.valueChanges, {
    initialValue: this.form.controls.validUntil.value,
  });
  protected readonly endHint = computed(() => {
    if (this.dateIgnored()) return `Set by JOC Cockpit: ${JOC_SELF_SIGNED_DAYS} days.`;
    const date = this.validUntil();
    const chosen =
      date instanceof Date && !Number.isNaN(date.getTime())
        ? `Ends ${this.preferences.date(date)}. `
        : '';
    return `${chosen}Default: one year, two years with the SSL CA.`;
  });
  private readonly algorithm = toSignal(this.form.controls.keyAlgorithm.valueChanges, {
    initialValue: 'ECDSA' as const,
  });
  /** Why "Use SSL CA" is off for RSA against a real JOC Cockpit (its SSL CA key is ECDSA). */
  protected readonly rsaCaReason = computed(() =>
    this.realJoc && this.algorithm() === 'RSA' && this.ca().kind === 'valid'
      ? 'JOC Cockpit cannot sign an RSA key with its SSL CA (the CA key is ECDSA, and JOC reads it as RSA): choose ECDSA to use the SSL CA.'
      : undefined,
  );

  protected readonly replaces = computed(() => {
    const current = this.data.current;
    if (!current?.hasKey) return undefined;
    return current.validUntil
      ? `This replaces the stored key and the certificate valid until ${this.preferences.date(current.validUntil)}.`
      : 'This replaces the stored private key (it has no certificate).';
  });
  protected readonly progressText = computed(() =>
    this.algorithm() === 'RSA'
      ? 'Generating an RSA 4096-bit key: this takes a few seconds…'
      : 'Generating an ECDSA P-256 key…',
  );

  constructor() {
    void this.loadCa();
    this.syncDate(false);
    this.form.controls.keyAlgorithm.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.syncCa());
  }

  protected dnError(): string | undefined {
    const control = this.form.controls.dn;
    return control.hasError('required')
      ? 'Enter a Distinguished Name, e.g. CN=root,OU=JOC,O=JS7.'
      : pkiMessage(control);
  }

  protected dateError(): string {
    const control = this.form.controls.validUntil;
    return control.hasError('required')
      ? 'Enter the end date of the certificate.'
      : String(control.getError('date') ?? 'Enter a valid date.');
  }

  /** With the CA, the default end date is two years (when the person has not chosen one). */
  protected caToggled(checked: boolean): void {
    const date = this.form.controls.validUntil;
    if (!date.dirty || this.realJoc) date.setValue(addYears(checked ? 2 : 1));
    this.syncDate(checked);
  }

  /**
   * Real JOC Cockpit, self-signed: the date field shows the end JOC gives (365 days) and is off;
   * with the SSL CA it is on again.
   */
  private syncDate(useSslCa: boolean): void {
    if (!this.realJoc) return;
    const date = this.form.controls.validUntil;
    if (useSslCa) date.enable();
    else {
      date.setValue(joc365());
      date.disable();
    }
  }

  /** "Use SSL CA" is offered for a usable CA, and against a real JOC Cockpit for ECDSA only. */
  private syncCa(): void {
    const box = this.form.controls.useSslCa;
    if (this.ca().kind === 'valid' && !this.rsaCaReason()) {
      box.enable();
      return;
    }
    if (box.value) {
      box.setValue(false);
      this.caToggled(false);
    }
    box.disable();
  }

  protected async generate(): Promise<void> {
    if (this.form.invalid || this.audit.invalid) {
      this.form.markAllAsTouched();
      this.audit.markAllAsTouched();
      return;
    }
    const { keyAlgorithm, dn, validUntil, useSslCa } = this.form.getRawValue();
    const end = new Date(validUntil!);
    end.setHours(23, 59, 59, 0);
    const pair = await this.request.run(() =>
      this.api.generateKey({
        keyAlgorithm,
        dn: dn.trim(),
        validUntil: end.toISOString(),
        useSslCa,
        ...auditBody(this.audit, this.data.audit),
      }),
    );
    if (pair) this.ref.close({ pair });
  }

  private async loadCa(): Promise<void> {
    const answer = await this.api.showCa();
    let state: CaState;
    if (!answer.ok)
      state = { kind: 'unusable', reason: `The SSL CA cannot be read: ${answer.error.message}` };
    else if (!hasKeyPair(answer.value) || !answer.value.certificate)
      state = { kind: 'unusable', reason: 'No SSL CA exists yet.' };
    else {
      const expiry = expiryOf(answer.value.validUntil, new Date(), 0);
      state =
        expiry?.state === 'expired'
          ? {
              kind: 'unusable',
              reason: `The SSL CA expired on ${this.preferences.date(expiry.validUntil)}.`,
            }
          : { kind: 'valid', subject: answer.value.keyID };
    }
    this.ca.set(state);
    this.syncCa();
  }
}
