import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
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
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import type { JocKeyPairAnswer } from '../../../contract';
import { JocApi } from '../../core/api/joc-api';
import { Preferences } from '../../core/session/preferences';
import { AuditLogInput } from '../audit-log-input/audit-log-input';
import { auditBody, auditLogForm, type AuditSettings } from '../audit-log-input/audit-log-form';
import { DialogRequest, RequestError } from '../key-tab/dialog-request';
import { dnValidator, pkiMessage } from '../key-tab/pem-validators';

export interface GenerateCaDialogData {
  /** The CA stored now, to say what a new one replaces. */
  readonly current?: { readonly subject?: string; readonly validUntil?: Date };
  readonly audit: AuditSettings;
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
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Generate the SSL CA</h2>
    <form [formGroup]="form" (ngSubmit)="generate()">
      <mat-dialog-content>
        @if (data.current; as current) {
          <p class="replaces" role="note">
            This replaces the SSL CA {{ current.subject
            }}{{
              current.validUntil ? ', valid until ' + preferences.date(current.validUntil) : ''
            }}. Certificates it issued are then no longer trusted by Controllers and Agents that are
            given the new CA certificate.
          </p>
        }
        <p class="intro">
          A new ECDSA P-256 root CA, valid for five years. Its certificate goes into every
          Controller's and Agent's <code>./config/private/trusted-x509-keys/</code> folder.
        </p>
        <mat-form-field class="wide">
          <mat-label>Distinguished Name</mat-label>
          <input
            matInput
            formControlName="dn"
            required
            spellcheck="false"
            placeholder="CN=JS7 CA,O=Example"
          />
          <mat-hint>The CA's subject, e.g. CN=JS7 CA,OU=Operations,O=Example</mat-hint>
          <mat-error>{{ dnError() }}</mat-error>
        </mat-form-field>
        <app-audit-log-input [group]="audit" [settings]="data.audit" />
        @if (request.sending()) {
          <mat-progress-bar mode="indeterminate" aria-label="Generating the SSL CA" />
        }
        <app-request-error [error]="request.error()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [disabled]="request.sending()" (click)="ref.close()">
          Cancel
        </button>
        <button mat-flat-button type="submit" [disabled]="request.sending()">Generate</button>
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
  protected readonly ref =
    inject<MatDialogRef<GenerateCaDialog, GenerateCaDialogResult>>(MatDialogRef);
  protected readonly data = inject<GenerateCaDialogData>(MAT_DIALOG_DATA);
  protected readonly request = new DialogRequest(this.ref);

  protected readonly form = this.fb.group({ dn: ['', [Validators.required, dnValidator]] });
  protected readonly audit = auditLogForm(this.fb, this.data.audit);

  protected dnError(): string | undefined {
    const control = this.form.controls.dn;
    return control.hasError('required')
      ? "Enter the CA's Distinguished Name, e.g. CN=JS7 CA,O=Example."
      : pkiMessage(control);
  }

  protected async generate(): Promise<void> {
    if (this.form.invalid || this.audit.invalid) {
      this.form.markAllAsTouched();
      this.audit.markAllAsTouched();
      return;
    }
    const ca = await this.request.run(() =>
      this.api.generateCa({
        dn: this.form.controls.dn.value.trim(),
        ...auditBody(this.audit, this.data.audit),
      }),
    );
    if (ca) this.ref.close({ ca });
  }
}
