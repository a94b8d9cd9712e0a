import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import { JocApi } from '../../../core/api/joc-api';
import { I18n } from '../../../core/i18n/i18n';
import { Preferences } from '../../../core/session/preferences';
import { AuditLogInput } from '../../audit-log-input/audit-log-input';
import { auditBody, auditLogForm, type AuditSettings } from '../../audit-log-input/audit-log-form';
import { DialogRequest, missingShower, RequestError } from '../../key-tab/dialog-request';
import type { ChangeCheck } from '../../key-tab/change-check';

export interface DeleteKeyDialogData {
  /** The certificate's subject, when there is one. */
  readonly subject?: string;
  readonly validUntil?: Date;
  readonly audit: AuditSettings;
  /** Asked before the write: whether another session changed the key since the dialog opened. */
  readonly unchanged?: ChangeCheck;
}

export interface DeleteKeyDialogResult {
  readonly deleted: true;
}

/** An alert dialog naming what is deleted and what then fails; focus starts on Cancel. */
@Component({
  selector: 'app-delete-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatButton,
    MatProgressBar,
    AuditLogInput,
    RequestError,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ 'sig.delete.title' | translate }}</h2>
    <mat-dialog-content>
      <p class="what" id="delete-what">{{ what() }}</p>
      <p id="delete-warning">
        <strong>{{ 'sig.delete.warning' | translate }}</strong>
      </p>
      <app-audit-log-input [group]="audit" [settings]="data.audit" />
      <app-request-error [error]="request.error()" />
    </mat-dialog-content>
    @if (request.sending()) {
      <mat-progress-bar
        mode="indeterminate"
        [attr.aria-label]="'sig.delete.deleting' | translate"
      />
    }
    <mat-dialog-actions align="end">
      <button
        mat-button
        type="button"
        data-cancel
        [disabled]="request.sending()"
        (click)="ref.close()"
      >
        {{ 'sig.cancel' | translate }}
      </button>
      <button
        mat-flat-button
        type="button"
        class="danger"
        disabledInteractive
        [disabled]="request.sending()"
        (click)="confirm()"
      >
        {{ 'sig.delete.submit' | translate }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
    .what {
      margin-top: 0;
    }
  `,
})
export class DeleteKeyDialog {
  private readonly api = inject(JocApi);
  private readonly preferences = inject(Preferences);
  private readonly i18n = inject(I18n);
  protected readonly ref =
    inject<MatDialogRef<DeleteKeyDialog, DeleteKeyDialogResult>>(MatDialogRef);
  protected readonly data = inject<DeleteKeyDialogData>(MAT_DIALOG_DATA);
  protected readonly audit = auditLogForm(inject(NonNullableFormBuilder), this.data.audit);
  protected readonly request = new DialogRequest(this.ref);
  private readonly showMissing = missingShower();

  protected readonly what = computed(() => {
    const { subject, validUntil } = this.data;
    if (!subject) return this.i18n.t('sig.delete.keyOnly');
    return validUntil
      ? this.i18n.t('sig.delete.withCertificateUntil', {
          subject,
          date: this.preferences.date(validUntil),
        })
      : this.i18n.t('sig.delete.withCertificate', { subject });
  });

  protected async confirm(): Promise<void> {
    if (this.audit.invalid) {
      this.showMissing(this.audit);
      return;
    }
    const done = await this.request.run(
      () => this.api.deleteKey(auditBody(this.audit, this.data.audit)),
      this.data.unchanged,
    );
    if (done) this.ref.close({ deleted: true });
  }
}
