import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatAutocomplete, MatAutocompleteTrigger, MatOption } from '@angular/material/autocomplete';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { startWith, switchMap } from 'rxjs';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
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
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (settings().show) {
      <fieldset class="audit" [formGroup]="group()">
        <legend>{{ 'audit.legend' | translate }}</legend>
        <mat-form-field class="reason">
          <mat-label>{{ 'audit.reason' | translate }}</mat-label>
          <input
            matInput
            formControlName="comment"
            [matAutocomplete]="reasons"
            [required]="settings().required"
            maxlength="255"
            (click)="listAsked.set(true)"
            (input)="listAsked.set(true)"
            (keydown.arrowdown)="listAsked.set(true)"
            (keydown.alt.arrowdown)="listAsked.set(true)"
          />
          <mat-autocomplete #reasons="matAutocomplete" (closed)="listAsked.set(false)">
            @for (reason of suggestions(); track reason) {
              <mat-option [value]="reason">{{ reason }}</mat-option>
            }
          </mat-autocomplete>
          @if (!reason().trim()) {
            <mat-hint>{{
              (settings().required ? 'audit.reasonHintRequired' : 'audit.reasonHint') | translate
            }}</mat-hint>
          }
          @if (group().controls.comment.hasError('required')) {
            <mat-error>{{ 'audit.reasonRequired' | translate }}</mat-error>
          } @else if (group().controls.comment.hasError('angleBrackets')) {
            <mat-error>{{ 'audit.reasonAngleBrackets' | translate }}</mat-error>
          }
        </mat-form-field>
        <div class="line">
          <mat-form-field class="minutes">
            <mat-label>{{ 'audit.timeSpent' | translate }}</mat-label>
            <input matInput formControlName="timeSpent" inputmode="numeric" />
            <span matTextSuffix>{{ 'audit.minutes' | translate }}</span>
            <mat-error>{{ 'audit.timeSpentError' | translate }}</mat-error>
          </mat-form-field>
          <mat-form-field class="ticket">
            <mat-label>{{ 'audit.ticketLink' | translate }}</mat-label>
            <input matInput formControlName="ticketLink" maxlength="255" />
            <mat-error>{{ 'audit.ticketLinkError' | translate }}</mat-error>
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
    /* Room for the label and the suffix side by side ("Tiempo invertido" … "min"). */
    .minutes {
      width: 12.5rem;
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

  /** The reason so far, typed or picked: the hint says what to do only while it is empty. */
  protected readonly reason = toSignal(
    toObservable(this.group).pipe(
      switchMap(({ controls: { comment } }) => comment.valueChanges.pipe(startWith(comment.value))),
    ),
    { initialValue: '' },
  );
  /**
   * Whether the person asked for the list: by a click, typing or the Down arrow. Material opens it
   * on focus too, which would cover the fields and buttons below while a keyboard user only tabs
   * through; with no option it draws no panel.
   */
  protected readonly listAsked = signal(false);
  /**
   * The predefined reasons that contain what was typed: the whole list would stay open over the
   * fields below while a person writes a reason of their own.
   */
  protected readonly suggestions = computed(() => {
    if (!this.listAsked()) return [];
    const typed = this.reason().trim().toLocaleLowerCase();
    return this.settings().comments.filter((c) => c.toLocaleLowerCase().includes(typed));
  });
}
