import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  resource,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import type { JocSecurityLevel } from '../../../contract';
import { JocApi } from '../../core/api/joc-api';
import type { JocError } from '../../core/api/joc-error';
import { formatDateTime } from '../../core/session/date-format';
import { Preferences } from '../../core/session/preferences';
import { historyEntries, type HistoryKind } from './history';

const PAGE = 10;
/** How many audit entries one read asks for; older changes are beyond what support staff page through. */
const READ_LIMIT = 1000;

function failure(error: JocError): string {
  switch (error.kind) {
    case 'forbidden':
      return 'Your account may not view the audit log (JOC Cockpit’s audit log permission), so the history of this key cannot be shown.';
    case 'not-found':
      return 'This server does not offer the audit log, so the history of this key cannot be shown.';
    default:
      return `The history cannot be read: ${error.message}`;
  }
}

/**
 * Who changed the key (or the CA), when and why: the CERTIFICATES entries of JOC Cockpit's audit
 * log, newest first, ten per page.
 */
@Component({
  selector: 'app-history-panel',
  imports: [MatButton, MatIcon, MatProgressBar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel" [attr.aria-labelledby]="headingId()">
      <div class="head">
        <h3 [id]="headingId()">History</h3>
        <button
          mat-button
          type="button"
          [disabled]="history.isLoading()"
          (click)="history.reload()"
        >
          <mat-icon aria-hidden="true">refresh</mat-icon>Refresh
        </button>
      </div>
      @if (history.isLoading()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading the history" />
      }
      @if (error(); as e) {
        <p class="muted" role="status">{{ e }}</p>
      } @else if (entries(); as all) {
        @if (all.length === 0) {
          <p class="muted">No changes are recorded for this {{ noun() }}.</p>
        } @else {
          <!-- Focusable so that keyboard users can scroll it when a narrow window cuts the table. -->
          <div class="scroll" tabindex="0" role="region" aria-label="History table">
            <table [attr.aria-label]="'Changes to the ' + noun() + ', newest first'">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Account</th>
                  <th scope="col">Change</th>
                  <th scope="col">Reason, time spent, ticket</th>
                  <th scope="col">Certificate left in place</th>
                </tr>
              </thead>
              <tbody>
                @for (e of pageEntries(); track e.id) {
                  <tr>
                    <td class="nowrap">{{ date(e.when) }}</td>
                    <td>{{ e.account }}</td>
                    <td>{{ e.action }}</td>
                    <td class="reason">
                      {{ e.comment ?? '—' }}
                      @if (e.timeSpent || e.ticket) {
                        <span class="extra">
                          @if (e.timeSpent) {
                            <span>{{ e.timeSpent }} spent</span>
                          }
                          @if (e.ticket?.href; as href) {
                            <a
                              [href]="href"
                              [title]="href"
                              target="_blank"
                              rel="noopener noreferrer"
                              >{{ e.ticket!.text }}</a
                            >
                          } @else if (e.ticket) {
                            <span [title]="e.ticket.text">Ticket {{ e.ticket.text }}</span>
                          }
                        </span>
                      }
                    </td>
                    <td class="cert">
                      @if (e.subject) {
                        <span>{{ e.subject }}</span>
                        <code [title]="'SHA-256 fingerprint ' + e.fingerprint">{{
                          e.fingerprint
                        }}</code>
                      } @else {
                        —
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          @if (all.length > page) {
            <div class="pager">
              <span aria-live="polite"
                >{{ first() + 1 }}–{{ last() }} of {{ all.length }} changes</span
              >
              <button mat-button type="button" [disabled]="pageIndex() === 0" (click)="go(-1)">
                <mat-icon aria-hidden="true">chevron_left</mat-icon>Newer
              </button>
              <button mat-button type="button" [disabled]="last() >= all.length" (click)="go(1)">
                Older<mat-icon aria-hidden="true" iconPositionEnd>chevron_right</mat-icon>
              </button>
            </div>
          }
        }
      }
    </section>
  `,
  styles: `
    .panel {
      margin-top: 16px;
      padding: 12px 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface-container-lowest);
    }
    .head {
      display: flex;
      align-items: center;
      gap: 8px 16px;
    }
    h3 {
      font: var(--mat-sys-title-medium);
      margin: 0 auto 0 0;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      margin: 6px 0;
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font: var(--mat-sys-body-medium);
    }
    th {
      text-align: left;
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
      white-space: nowrap;
    }
    th,
    td {
      padding: 6px 12px 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
    }
    .nowrap {
      white-space: nowrap;
    }
    .reason {
      min-width: 14ch;
      max-width: 40ch;
      overflow-wrap: break-word;
    }
    .extra {
      display: flex;
      flex-wrap: wrap;
      gap: 0 12px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    /* A long ticket URL would widen the table: it is cut, and its full text is the title. */
    .extra a,
    .extra span {
      max-width: 30ch;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .cert span {
      display: block;
      overflow-wrap: anywhere;
    }
    .cert code {
      display: block;
      max-width: 24ch;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font: var(--mat-sys-body-small);
      font-family: ui-monospace, monospace;
      color: var(--mat-sys-on-surface-variant);
    }
    .pager {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: flex-end;
      gap: 8px;
      margin-top: 8px;
    }
  `,
})
export class HistoryPanel {
  private readonly api = inject(JocApi);
  private readonly preferences = inject(Preferences);

  readonly kind = input.required<HistoryKind>();
  /** Whose key the tab shows; unused for the CA. */
  readonly owner = input.required<string>();
  readonly level = input.required<JocSecurityLevel>();
  /** Anything that changes when the key changes: the history is read again. */
  readonly version = input<unknown>();

  protected readonly page = PAGE;
  protected readonly headingId = computed(() => `history-heading-${this.kind()}`);
  protected readonly noun = computed(() => (this.kind() === 'ca' ? 'CA' : 'key'));

  protected readonly history = resource({
    params: () => ({
      kind: this.kind(),
      owner: this.owner(),
      level: this.level(),
      version: this.version(),
    }),
    loader: async ({ params }) => {
      // At MEDIUM only the owner changes their key: the server need not send anyone else's entries.
      const own = params.kind === 'key' && params.level === 'MEDIUM';
      const answer = await this.api.auditLog({
        categories: ['CERTIFICATES'],
        limit: READ_LIMIT,
        ...(own ? { account: params.owner } : {}),
      });
      return answer.ok
        ? { entries: historyEntries(answer.value.auditLog ?? [], params) }
        : { error: failure(answer.error) };
    },
  });
  protected readonly entries = computed(() => this.history.value()?.entries);
  protected readonly error = computed(() => this.history.value()?.error);
  /** Back to the newest page whenever the entries are read again. */
  protected readonly pageIndex = linkedSignal({ source: this.entries, computation: () => 0 });
  protected readonly first = computed(() => this.pageIndex() * PAGE);
  protected readonly last = computed(() =>
    Math.min(this.first() + PAGE, this.entries()?.length ?? 0),
  );
  protected readonly pageEntries = computed(
    () => this.entries()?.slice(this.first(), this.last()) ?? [],
  );

  protected date(when: Date): string {
    const { timeZone, dateFormat } = this.preferences.current();
    return formatDateTime(when, timeZone, dateFormat);
  }

  protected go(step: number): void {
    this.pageIndex.update((index) => index + step);
  }
}
