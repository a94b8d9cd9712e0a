import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import {
  type AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import type { JocKeyPairAnswer } from '../../../contract';
import { JocApi } from '../../core/api/joc-api';
import { I18n } from '../../core/i18n/i18n';
import { Preferences } from '../../core/session/preferences';
import { AuditLogInput } from '../audit-log-input/audit-log-input';
import { auditBody, auditLogForm, type AuditSettings } from '../audit-log-input/audit-log-form';
import {
  DialogRequest,
  missingShower,
  RequestError,
  type CodedMessage,
} from '../key-tab/dialog-request';
import { parseDnAttributes } from '../../../pki/dn';
import { dnValidator } from '../key-tab/pem-validators';
import { splitAround } from '../key-tab/split-message';
import { TRUST_FOLDER } from '../key-tab/trust-folder';
import type { ChangeCheck } from '../key-tab/change-check';

export interface GenerateCaDialogData {
  /** The CA stored now, to say what a new one replaces. */
  readonly current?: { readonly subject?: string; readonly validUntil?: Date };
  readonly audit: AuditSettings;
  /** Asked before the write: whether another session changed the key since the dialog opened. */
  readonly unchanged?: ChangeCheck;
}

export interface GenerateCaDialogResult {
  readonly ca: JocKeyPairAnswer;
}

/** Generates the installation's SSL CA on the server: a P-256 root, valid five years; the DN is required. */
@Component({
  selector: 'app-generate-ca-dialog',
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
    MatProgressBar,
    AuditLogInput,
    RequestError,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ 'ssl.generate.title' | translate }}</h2>
    <form [formGroup]="form" (ngSubmit)="generate()">
      <mat-dialog-content>
        @if (data.current; as current) {
          <p class="replaces" role="note">
            @if (current.validUntil) {
              {{
                'ssl.generate.replacesUntil'
                  | translate
                    : { subject: current.subject, date: preferences.date(current.validUntil) }
              }}
            } @else {
              {{ 'ssl.generate.replaces' | translate: { subject: current.subject } }}
            }
          </p>
        }
        @let introText = intro();
        <p class="intro">
          {{ introText[0] }}<code>{{ folder }}</code
          >{{ introText[1] }}
        </p>
        <mat-form-field class="wide" subscriptSizing="dynamic">
          <mat-label>{{ 'ssl.generate.dn' | translate }}</mat-label>
          <!-- No placeholder: in the focused empty field it looked like a DN already filled in. -->
          <input matInput formControlName="dn" required spellcheck="false" />
          <mat-hint>{{ 'ssl.generate.dnHint' | translate }}</mat-hint>
          <mat-error>{{ dnError() }}</mat-error>
        </mat-form-field>
        <app-audit-log-input [group]="audit" [settings]="data.audit" />
        @if (request.sending()) {
          <mat-progress-bar
            mode="indeterminate"
            [attr.aria-label]="'ssl.generate.generating' | translate"
          />
        }
        <app-request-error [error]="request.error()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [disabled]="request.sending()" (click)="ref.close()">
          {{ 'ssl.generate.cancel' | translate }}
        </button>
        <button mat-flat-button type="submit" disabledInteractive [disabled]="request.sending()">
          {{ 'ssl.generate.generate' | translate }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
    }
    .intro {
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 16px;
    }
    .replaces {
      padding: 12px 16px;
      border-radius: 8px;
      margin: 0 0 12px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    code {
      font-family: ui-monospace, 'Roboto Mono', monospace;
      font-size: 13px;
    }
  `,
})
export class GenerateCaDialog {
  private readonly api = inject(JocApi);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);
  protected readonly ref =
    inject<MatDialogRef<GenerateCaDialog, GenerateCaDialogResult>>(MatDialogRef);
  protected readonly data = inject<GenerateCaDialogData>(MAT_DIALOG_DATA);
  protected readonly request = new DialogRequest(this.ref);
  private readonly showMissing = missingShower();

  protected readonly form = this.fb.group({
    dn: ['', [Validators.required, dnValidator, commonNameValidator]],
  });
  protected readonly audit = auditLogForm(this.fb, this.data.audit);

  protected readonly folder = TRUST_FOLDER;
  /** The intro around the folder, which the template sets in `<code>`. */
  protected readonly intro = computed(() => splitAround(this.i18n, 'ssl.generate.intro', 'folder'));

  /** Called from the template: in the person's language, also after a switch. */
  protected dnError(): string | undefined {
    const control = this.form.controls.dn;
    if (control.hasError('required')) return this.i18n.t('ssl.generate.dnRequired');
    if (control.hasError('noCommonName')) return this.i18n.t('ssl.generate.dnNeedsCn');
    // The PKI core's reason (with its code and parameters when it gives them).
    const pki = control.errors?.['pki'] as CodedMessage | undefined;
    return pki ? this.i18n.message(pki) : undefined;
  }

  protected async generate(): Promise<void> {
    if (this.form.invalid || this.audit.invalid) {
      this.showMissing(this.form, this.audit);
      return;
    }
    const ca = await this.request.run(
      () =>
        this.api.generateCa({
          dn: this.form.controls.dn.value.trim(),
          ...auditBody(this.audit, this.data.audit),
        }),
      this.data.unchanged,
    );
    if (ca) this.ref.close({ ca });
  }
}

/**
 * JOC Cockpit builds the subject of every certificate a CA issues from the CA's CN (signing keys
 * with "Use SSL CA", Controller and Agent certificates): from a CA without one it issues none.
 */
function commonNameValidator(control: AbstractControl<string>): ValidationErrors | null {
  const dn = parseDnAttributes(String(control.value ?? ''));
  return dn.ok && !dn.value.some((a) => a.name === 'CN') ? { noCommonName: true } : null;
}
