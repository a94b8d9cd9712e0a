import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
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
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import type { JocKeyPairAnswer } from '../../../../contract';
import { JocApi } from '../../../core/api/joc-api';
import type { JocError } from '../../../core/api/joc-error';
import { I18n } from '../../../core/i18n/i18n';
import { Preferences } from '../../../core/session/preferences';
import { Session } from '../../../core/session/session';
import { expiryOf, hasKeyPair } from '../../../core/session/signing-key';
import { AuditLogInput } from '../../audit-log-input/audit-log-input';
import { auditBody, auditLogForm, type AuditSettings } from '../../audit-log-input/audit-log-form';
import { DialogRequest, missingShower, RequestError } from '../../key-tab/dialog-request';
import { dateInvalid, dnValidator, futureDateValidator } from '../../key-tab/pem-validators';
import { escapeDnValue } from '../../../../pki';
import { pkiText } from '../texts';
import {
  addDays,
  addYears,
  calendarDay,
  endOfDay,
  writeDate,
} from '../../../core/session/date-input';
import { providePreferredDates } from './preferred-dates';
import type { ChangeCheck } from '../../key-tab/change-check';

export interface GenerateKeyDialogData {
  readonly account: string;
  /** What is stored now, to say what a new pair replaces. */
  readonly current?: {
    readonly hasKey: boolean;
    readonly validUntil?: Date;
    /** A certificate is stored that has no expiry date (99991231235959Z). */
    readonly noExpiry?: boolean;
  };
  readonly audit: AuditSettings;
  /** Asked before the write: whether another session changed the key since the dialog opened. */
  readonly unchanged?: ChangeCheck;
}

export interface GenerateKeyDialogResult {
  readonly pair: JocKeyPairAnswer;
}

/** Whether the SSL CA can sign; why not is kept as facts, put into words where shown. */
type CaState =
  | { kind: 'loading' }
  | { kind: 'valid'; subject?: string; validUntil?: Date }
  | { kind: 'unusable'; reason: 'unreadable'; error: JocError }
  | { kind: 'unusable'; reason: 'none' }
  | { kind: 'unusable'; reason: 'expired'; validUntil: Date };

/** A validator's error: English text, or (once the PKI core codes it) a coded message. */
type ErrorText = string | { code?: string; params?: Record<string, unknown>; message: string };

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
    TranslatePipe,
  ],
  providers: [providePreferredDates()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './generate-key-dialog.html',
  styleUrl: './generate-key-dialog.scss',
})
export class GenerateKeyDialog {
  private readonly api = inject(JocApi);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);
  protected readonly ref =
    inject<MatDialogRef<GenerateKeyDialog, GenerateKeyDialogResult>>(MatDialogRef);
  protected readonly data = inject<GenerateKeyDialogData>(MAT_DIALOG_DATA);
  protected readonly request = new DialogRequest(this.ref);
  private readonly showMissing = missingShower();
  /**
   * A real JOC Cockpit (anything not known to be the embedded server) ignores the end date of a
   * self-signed certificate and cannot sign an RSA key with its (ECDSA) SSL CA.
   */
  protected readonly realJoc = !inject(Session).embedded();

  /**
   * The field holds a calendar day (see date-input.ts); the current day, the first day it offers and the
   * moment the chosen day ends are those of the zone chosen in Preferences.
   */
  private readonly zone = computed(() => this.preferences.current().timeZone);
  private readonly today = () => calendarDay(new Date(), this.zone());
  protected readonly minDate = computed(() => addDays(this.today(), 1));
  /** How the field writes a date, for its placeholder and its error. */
  protected readonly dateFormat = computed(() => this.preferences.current().dateFormat);
  private readonly dateExample = () =>
    writeDate(
      new Date(this.today().getFullYear() + 1, 11, 31),
      this.dateFormat(),
      this.i18n.language(),
    );
  protected readonly form = this.fb.group({
    keyAlgorithm: this.fb.control<'ECDSA' | 'RSA'>('ECDSA'),
    dn: [`CN=${escapeDnValue(this.data.account)},OU=JOC,O=JS7`, [Validators.required, dnValidator]],
    validUntil: this.fb.control<Date | null>(this.yearsAhead(1), [
      Validators.required,
      futureDateValidator(this.today, this.dateExample),
    ]),
    useSslCa: this.fb.control({ value: false, disabled: true }),
  });
  protected readonly audit = auditLogForm(this.fb, this.data.audit);
  protected readonly ca = signal<CaState>({ kind: 'loading' });
  protected readonly useSslCa = toSignal(this.form.controls.useSslCa.valueChanges, {
    initialValue: false,
  });
  /** Real JOC Cockpit, self-signed: the certificate ends 365 days from now, whatever is chosen. */
  protected readonly dateIgnored = computed(() => this.realJoc && !this.useSslCa());
  private readonly joc365 = joc365();
  protected readonly dateNote = computed(() =>
    this.i18n.t('sig.generate.dateNote', {
      days: JOC_SELF_SIGNED_DAYS,
      date: this.preferences.date(this.joc365),
    }),
  );
  private readonly validUntil = toSignal(this.form.controls.validUntil.valueChanges, {
    initialValue: this.form.controls.validUntil.value,
  });
  protected readonly endHint = computed(() => {
    if (this.dateIgnored())
      return this.i18n.t('sig.generate.endFixed', { days: JOC_SELF_SIGNED_DAYS });
    const date = this.validUntil();
    if (!(date instanceof Date) || Number.isNaN(date.getTime()))
      return this.i18n.t('sig.generate.endDefault');
    const chosen = endOfDay(date, this.zone());
    // The embedded server ends a certificate with the CA that issues it.
    const ca = this.ca();
    const caEnd =
      !this.realJoc && this.useSslCa() && ca.kind === 'valid' ? ca.validUntil : undefined;
    const end = caEnd && caEnd.getTime() < chosen.getTime() ? caEnd : chosen;
    return this.i18n.t('sig.generate.endChosen', { date: this.preferences.date(end) });
  });
  /**
   * With "Use SSL CA", an end date after the CA's own: Controllers and Agents stop trusting what the
   * certificate signs when its CA ends (the embedded server ends the certificate with the CA; JOC
   * Cockpit issues it as asked), so the dialog says so before the person generates.
   */
  protected readonly caEndsFirst = computed(() => {
    const ca = this.ca();
    const date = this.validUntil();
    if (!this.useSslCa() || ca.kind !== 'valid' || !ca.validUntil) return undefined;
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) return undefined;
    return endOfDay(date, this.zone()).getTime() > ca.validUntil.getTime()
      ? this.i18n.t('sig.generate.caEndsFirst', { date: this.preferences.date(ca.validUntil) })
      : undefined;
  });
  private readonly algorithm = toSignal(this.form.controls.keyAlgorithm.valueChanges, {
    initialValue: 'ECDSA' as const,
  });
  /** Why "Use SSL CA" is off for RSA against a real JOC Cockpit (its SSL CA key is ECDSA). */
  protected readonly rsaCaReason = computed(() =>
    this.realJoc && this.algorithm() === 'RSA' && this.ca().kind === 'valid'
      ? this.i18n.t('sig.generate.rsaCaReason')
      : undefined,
  );

  protected readonly replaces = computed(() => {
    const current = this.data.current;
    if (!current?.hasKey) return undefined;
    return current.validUntil
      ? this.i18n.t('sig.generate.replaces', { date: this.preferences.date(current.validUntil) })
      : current.noExpiry
        ? this.i18n.t('sig.generate.replacesNoExpiry')
        : this.i18n.t('sig.generate.replacesKeyOnly');
  });
  protected readonly progressText = computed(() =>
    this.i18n.t(
      this.algorithm() === 'RSA' ? 'sig.generate.progressRsa' : 'sig.generate.progressEcdsa',
    ),
  );

  constructor() {
    // An account name the suggested DN cannot hold (a CN over 64 characters, as long e-mail-style
    // names give): its error shows at once, else Generate stays grey without a reason.
    if (this.form.controls.dn.invalid) this.form.controls.dn.markAsTouched();
    void this.loadCa();
    this.syncDate(false);
    this.form.controls.keyAlgorithm.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.syncCa());
  }

  protected dnError(): string | undefined {
    const control = this.form.controls.dn;
    return control.hasError('required')
      ? this.i18n.t('sig.generate.dnRequired')
      : pkiText(this.i18n, control);
  }

  protected dateError(): string {
    const control = this.form.controls.validUntil;
    // Text the picker cannot read leaves the value empty: say the text is the problem, not absent.
    if (control.hasError('matDatepickerParse'))
      return this.i18n.message(dateInvalid(this.dateExample()));
    if (control.hasError('required')) return this.i18n.t('sig.generate.dateRequired');
    const error = control.getError('date') as ErrorText | undefined;
    if (!error) return this.i18n.t('sig.generate.dateInvalid');
    return typeof error === 'string' ? error : this.i18n.message(error);
  }

  /** The person's today, `years` ahead: the suggested end. */
  private yearsAhead(years: number): Date {
    return addYears(this.today(), years);
  }

  /** Why the SSL CA cannot sign, in the person's language. */
  protected caReason(state: CaState): string {
    if (state.kind !== 'unusable') return '';
    switch (state.reason) {
      case 'unreadable':
        return this.i18n.t('sig.generate.caUnreadable', {
          message: this.i18n.message(state.error),
        });
      case 'none':
        return this.i18n.t('sig.generate.caNone');
      case 'expired':
        return this.i18n.t('sig.generate.caExpired', {
          date: this.preferences.date(state.validUntil),
        });
    }
  }

  /** With the CA, the default end date is two years (when the person has not chosen one). */
  protected caToggled(checked: boolean): void {
    const date = this.form.controls.validUntil;
    if (!date.dirty || this.realJoc) date.setValue(this.yearsAhead(checked ? 2 : 1));
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
      date.setValue(calendarDay(joc365(), this.zone()));
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
      this.showMissing(this.form, this.audit);
      return;
    }
    const { keyAlgorithm, dn, validUntil, useSslCa } = this.form.getRawValue();
    // The chosen day ends at 23:59:59 in the person's zone: the row then shows that day.
    const end = endOfDay(validUntil!, this.zone());
    const pair = await this.request.run(
      () =>
        this.api.generateKey({
          keyAlgorithm,
          dn: dn.trim(),
          validUntil: end.toISOString(),
          useSslCa,
          ...auditBody(this.audit, this.data.audit),
        }),
      this.data.unchanged,
    );
    if (pair) this.ref.close({ pair });
  }

  private async loadCa(): Promise<void> {
    const answer = await this.api.showCa();
    let state: CaState;
    if (!answer.ok) state = { kind: 'unusable', reason: 'unreadable', error: answer.error };
    else if (!hasKeyPair(answer.value) || !answer.value.certificate)
      state = { kind: 'unusable', reason: 'none' };
    else {
      const expiry = expiryOf(answer.value.validUntil, new Date(), 0);
      state =
        expiry?.state === 'expired'
          ? { kind: 'unusable', reason: 'expired', validUntil: expiry.validUntil }
          : { kind: 'valid', subject: answer.value.keyID, validUntil: expiry?.validUntil };
    }
    this.ca.set(state);
    this.syncCa();
  }
}
