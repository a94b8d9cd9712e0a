import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';
import type { MatDialogRef } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { approverName, type ApiResult, type JocError } from '../../core/api/joc-error';

/**
 * A dialog's own request: while it runs the dialog cannot be closed (Escape, backdrop, Cancel);
 * a failure stays inside the dialog for the person to read and correct.
 */
export class DialogRequest {
  readonly sending = signal(false);
  readonly error = signal<JocError | undefined>(undefined);

  constructor(private readonly ref: Pick<MatDialogRef<unknown>, 'disableClose'>) {}

  /** Runs the call; resolves to its value, or undefined after showing the failure. */
  async run<T>(call: () => Promise<ApiResult<T>>): Promise<T | undefined> {
    this.sending.set(true);
    this.error.set(undefined);
    this.ref.disableClose = true;
    try {
      const answer = await call();
      if (answer.ok) return answer.value;
      this.error.set(answer.error);
      return undefined;
    } finally {
      this.ref.disableClose = false;
      this.sending.set(false);
    }
  }

  /** Shows a failure found before sending (e.g. reading a file). */
  fail(message: string): void {
    this.error.set({ kind: 'invalid', code: 'browser', message });
  }
}

/** The server's answer to a failed request, inside the dialog. */
@Component({
  selector: 'app-request-error',
  imports: [MatIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as e) {
      <div class="request-error" role="alert">
        <mat-icon aria-hidden="true">error</mat-icon>
        <div>
          <strong>{{ title(e) }}</strong>
          <p>{{ e.message }}</p>
          @if (e.kind === 'approval-required') {
            <p class="explain">
              JOC Cockpit holds this change back until another person approves it (four-eyes
              principle). This console cannot ask for approval: make the change in JOC Cockpit,
              which sends the approval request.
            </p>
            @if (e.approvers.length) {
              <p class="approvers-label">Who can approve:</p>
              <ul aria-label="Who can approve">
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
  readonly error = input<JocError | undefined>();

  protected readonly name = approverName;

  protected title(error: JocError): string {
    switch (error.kind) {
      case 'invalid':
        return error.code === 'browser'
          ? 'Cannot continue'
          : `The server refused this (${error.code})`;
      case 'forbidden':
        return 'Not permitted';
      case 'network':
        return 'No connection';
      case 'session-expired':
      case 'unauthenticated':
        return 'Your session has expired';
      case 'not-found':
        return 'Not available';
      case 'server':
        return 'Server error';
      case 'approval-required':
        return 'Approval required: the change was not made';
      case 'unsupported':
        return 'Not supported by this console';
    }
  }
}
