import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatAutocomplete, MatAutocompleteTrigger, MatOption } from '@angular/material/autocomplete';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import type { AuditLogGroup, AuditSettings } from './audit-log-form';

/**
 * The Audit block of every writing dialog: a reason (pick a predefined one or write your own), the
 * time spent in minutes, and a ticket link. Shown when the settings say so.
 */
@Component({
  selector: 'app-audit-log-input',
  imports: [
    ReactiveFormsModule,
    MatFormField,
    MatLabel,
    MatInput,
    MatHint,
    MatError,
    MatSuffix,
    MatAutocomplete,
    MatAutocompleteTrigger,
    MatOption,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (settings().show) {
      <fieldset class="audit" [formGroup]="group()">
        <legend>Audit log</legend>
        <mat-form-field class="reason">
          <mat-label>Reason</mat-label>
          <input
            matInput
            formControlName="comment"
            [matAutocomplete]="reasons"
            [required]="settings().required"
            maxlength="255"
          />
          <mat-autocomplete #reasons="matAutocomplete">
            @for (reason of settings().comments; track reason) {
              <mat-option [value]="reason">{{ reason }}</mat-option>
            }
          </mat-autocomplete>
          <mat-hint>{{
            settings().required
              ? 'Required: pick a reason or write your own.'
              : 'Pick a reason or write your own.'
          }}</mat-hint>
          @if (group().controls.comment.hasError('required')) {
            <mat-error>A reason is required for the audit log.</mat-error>
          } @else if (group().controls.comment.hasError('angleBrackets')) {
            <mat-error>The reason may not contain &lt; or &gt;.</mat-error>
          }
        </mat-form-field>
        <div class="line">
          <mat-form-field class="minutes">
            <mat-label>Time spent</mat-label>
            <input matInput formControlName="timeSpent" inputmode="numeric" />
            <span matTextSuffix>min</span>
            <mat-error>Whole minutes, 0 or more.</mat-error>
          </mat-form-field>
          <mat-form-field class="ticket">
            <mat-label>Ticket link</mat-label>
            <input matInput formControlName="ticketLink" maxlength="255" />
            <mat-error>At most 255 characters, without &lt; or &gt;.</mat-error>
          </mat-form-field>
        </div>
      </fieldset>
    }
  `,
  styles: `
    .audit {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 16px 0;
      margin: 16px 0 0;
    }
    legend {
      font: var(--mat-sys-title-small);
      padding: 0 4px;
    }
    .reason {
      width: 100%;
    }
    .line {
      display: flex;
      gap: 16px;
      flex-wrap: wrap;
    }
    .minutes {
      width: 140px;
    }
    .ticket {
      flex: 1;
      min-width: 200px;
    }
  `,
})
export class AuditLogInput {
  readonly group = input.required<AuditLogGroup>();
  readonly settings = input.required<AuditSettings>();
}
