import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  inject,
  input,
  signal,
} from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import type { MatDialogRef } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import type { PkiField } from '../../../pki/types';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { I18n } from '../../core/i18n/i18n';
import type { ApiResult, Approver, JocError } from '../../core/api/joc-error';

/**
 * A message with meaning: a code the console translates, its parameters, the English text, and
 * for a PKI failure the field it concerns (named first, see I18n.message).
 */
export interface CodedMessage {
  readonly code?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly message: string;
  readonly field?: PkiField;
}

/**
 * A failure inside a dialog: the server's answer, or one found in the browser (`code` "browser"),
 * whose `reason` is translated when the dialog shows it.
 */
export type DialogError = JocError & { readonly reason?: CodedMessage };

/**
 * A dialog's own request: while it runs the dialog cannot be closed (Escape, backdrop, Cancel);
 * a failure stays inside the dialog for the person to read and correct.
 */
export class DialogRequest {
  readonly sending = signal(false);
  readonly error = signal<DialogError | undefined>(undefined);

  constructor(private readonly ref: Pick<MatDialogRef<unknown>, 'disableClose'>) {}

  /**
   * Runs the call; resolves to its value, or undefined after showing the failure. A write gives
   * `unchanged`: when the key changed since the dialog opened, that is shown instead of writing.
   */
  async run<T>(
    call: () => Promise<ApiResult<T>>,
    unchanged?: () => Promise<CodedMessage | undefined>,
  ): Promise<T | undefined> {
    // A second press of a button that stays focusable while its request runs: nothing to do.
    if (this.sending()) return undefined;
    this.sending.set(true);
    this.error.set(undefined);
    this.ref.disableClose = true;
    try {
      const changed = await unchanged?.();
      if (changed) {
        this.fail(changed);
        return undefined;
      }
      const answer = await call();
      if (answer.ok) return answer.value;
      this.error.set(answer.error);
      return undefined;
    } finally {
      this.ref.disableClose = false;
      this.sending.set(false);
    }
  }

  /**
   * Shows a failure found before sending (e.g. reading a file): a PKI result or warning (shown in
   * the person's language, see I18n.message), or a text already in it.
   */
  fail(failure: string | CodedMessage): void {
    const reason = typeof failure === 'string' ? { message: failure } : failure;
    this.error.set({ kind: 'invalid', jocCode: 'browser', message: reason.message, reason });
  }
}

/**
 * A press on the (focusable) disabled button of an incomplete dialog: every field says what it
 * lacks, and the focus goes to the first of them, where a screen reader reads its error. Call it
 * from a field initializer's injection context once, and the returned function on each press.
 */
export function missingShower(): (...forms: AbstractControl[]) => void {
  const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  const injector = inject(Injector);
  return (...forms) => {
    forms.forEach((form) => form.markAllAsTouched());
    afterNextRender(
      () =>
        host.querySelector<HTMLElement>('.mat-form-field-invalid :is(input, textarea)')?.focus(),
      { injector },
    );
  };
}

/** The server's answer to a failed request, inside a dialog that writes. */
@Component({
  selector: 'app-request-error',
  imports: [MatIcon, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as e) {
      <div class="request-error" role="alert">
        <mat-icon aria-hidden="true">error</mat-icon>
        <div>
          <strong>{{ title(e) }}</strong>
          <p>{{ text(e) }}</p>
          @if (e.kind === 'network' || e.kind === 'server') {
            <!-- The request may have been carried out, its answer lost (a proxy's 502/504 too). -->
            <p class="explain">{{ 'keys.request.networkMaybeDone' | translate }}</p>
          }
          @if (e.kind === 'approval-required') {
            <p class="explain">{{ 'keys.request.approvalExplain' | translate }}</p>
            @if (e.approvers.length) {
              <p class="approvers-label">{{ 'keys.request.approvers' | translate }}</p>
              <ul [attr.aria-label]="'keys.request.approversList' | translate">
                @for (approver of e.approvers; track approver.accountName) {
                  <li>{{ name(approver) }}</li>
                }
              </ul>
            }
          }
        </div>
      </div>
    }
  `,
  styles: `
    .request-error {
      display: flex;
      gap: 12px;
      padding: 12px 16px;
      border-radius: 8px;
      margin: 12px 0 0;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    p {
      margin: 4px 0 0;
      white-space: pre-wrap;
      /* A server's text may be long (a stack trace) or hold a long unbroken word (a URL). */
      overflow-wrap: anywhere;
      max-height: 40vh;
      overflow: auto;
    }
    p.explain {
      white-space: normal;
    }
    mat-icon {
      flex: none;
    }
    ul {
      margin: 2px 0 0;
      padding-left: 20px;
    }
  `,
})
export class RequestError {
  readonly error = input<DialogError | undefined>();

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    // A refusal is drawn at the end of the dialog's content, often below its fold: brought into
    // view, the click on Store or Generate visibly gets its answer.
    afterRenderEffect(() => {
      if (this.error()) host.scrollIntoView({ block: 'nearest' });
    });
  }

  private readonly i18n = inject(I18n);
  protected readonly name = approverName;

  /** Called from the template, so it follows a language switch. */
  protected title(error: JocError): string {
    const t = (key: string, params?: Record<string, unknown>) => this.i18n.t(key, params);
    switch (error.kind) {
      case 'invalid':
        return error.jocCode === 'browser'
          ? t('keys.request.cannotContinue')
          : t('keys.request.refused', { code: error.jocCode });
      case 'forbidden':
        return t('keys.request.forbidden');
      case 'network':
        return t('keys.request.network');
      case 'session-expired':
      case 'unauthenticated':
        return t('keys.request.sessionExpired');
      case 'not-found':
        return t('keys.request.notFound');
      case 'server':
        return t('keys.request.server');
      case 'approval-required':
        return t('keys.request.approvalRequired');
      case 'unsupported':
        return t('keys.request.unsupported');
    }
  }

  /**
   * The failure in the person's language where the console knows its meaning (a coded browser
   * failure, or a JocError whose `code` names a catalog key), else the server's text as is.
   */
  protected text(error: DialogError): string {
    return this.i18n.message(error.reason ?? error);
  }
}

/** "Anna Berg (anna)", or the account name alone. */
export function approverName(approver: Approver): string {
  const name = [approver.firstName, approver.lastName].filter((part) => part?.trim()).join(' ');
  return name ? `${name} (${approver.accountName})` : approver.accountName;
}
