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
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import type { JocSecurityLevel } from '../../../contract';
import { JocApi } from '../../core/api/joc-api';
import type { JocError } from '../../core/api/joc-error';
import { I18n } from '../../core/i18n/i18n';
import { Preferences } from '../../core/session/preferences';
import { Session } from '../../core/session/session';
import { historyEntries, type HistoryEntry, type HistoryKind } from './history';

const PAGE = 10;
/** How many audit entries one read asks for; older changes are beyond what support staff page through. */
const READ_LIMIT = 1000;

/**
 * Who changed the key (or the CA), when and why: the CERTIFICATES entries of JOC Cockpit's audit
 * log, newest first, ten per page.
 */
@Component({
  selector: 'app-history-panel',
  imports: [MatButton, MatIcon, MatProgressBar, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel" [attr.aria-labelledby]="headingId()">
      <div class="head">
        <h3 [id]="headingId()">{{ 'history.panel.title' | translate }}</h3>
        <!-- disabledInteractive: a disabled button drops the focus; these keep it, and ignore clicks. -->
        <button
          mat-button
          type="button"
          [disabled]="history.isLoading()"
          disabledInteractive
          (click)="!history.isLoading() && history.reload()"
        >
          <mat-icon aria-hidden="true">refresh</mat-icon>{{ 'history.panel.refresh' | translate }}
        </button>
      </div>
      @if (history.isLoading()) {
        <mat-progress-bar
          mode="indeterminate"
          [attr.aria-label]="'history.panel.loading' | translate"
        />
      }
      @if (error(); as e) {
        <p class="muted" role="status">{{ failure(e) }}</p>
      } @else if (entries(); as all) {
        @if (all.length === 0) {
          <p class="muted">{{ 'history.panel.empty' | translate: { kind: kind() } }}</p>
        } @else {
          <!-- Focusable so that keyboard users can scroll it when a narrow window cuts the table. -->
          <div
            class="scroll"
            tabindex="0"
            role="region"
            [attr.aria-label]="'history.panel.region' | translate"
          >
            <table [attr.aria-label]="'history.panel.table' | translate: { kind: kind() }">
              <thead>
                <tr>
                  <th scope="col">{{ 'history.panel.when' | translate }}</th>
                  <th scope="col">{{ 'history.panel.account' | translate }}</th>
                  <th scope="col">{{ 'history.panel.change' | translate }}</th>
                  <th scope="col">{{ 'history.panel.reason' | translate }}</th>
                  <th scope="col">{{ 'history.panel.certificate' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (e of pageEntries(); track e.id) {
                  <tr>
                    <td class="nowrap" [attr.data-label]="'history.panel.when' | translate">
                      {{ date(e.when) }}
                    </td>
                    <td [attr.data-label]="'history.panel.account' | translate">
                      {{ e.account }}
                    </td>
                    <td class="change" [attr.data-label]="'history.panel.change' | translate">
                      {{ e.change.key | translate: { files: e.change.files ?? 1 } }}
                    </td>
                    <td class="reason" [attr.data-label]="'history.panel.reason' | translate">
                      {{ e.comment ?? '—' }}
                      @if (e.timeSpent || e.ticket) {
                        <span class="extra">
                          @if (e.timeSpent) {
                            <span>{{
                              'history.panel.spent' | translate: { duration: duration(e.timeSpent) }
                            }}</span>
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
                            <span [title]="e.ticket.text">{{
                              'history.panel.ticket' | translate: { ticket: e.ticket.text }
                            }}</span>
                          }
                        </span>
                      }
                    </td>
                    <td class="cert" [attr.data-label]="'history.panel.certificate' | translate">
                      @if (e.subject) {
                        <span>{{ e.subject }}</span>
                        <code
                          [title]="
                            'history.panel.fingerprint' | translate: { fingerprint: e.fingerprint }
                          "
                          >{{ e.fingerprint }}</code
                        >
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
              <span aria-live="polite">{{
                'history.panel.range'
                  | translate: { first: first() + 1, last: last(), total: all.length }
              }}</span>
              <button
                mat-button
                type="button"
                [disabled]="pageIndex() === 0"
                disabledInteractive
                (click)="pageIndex() > 0 && go(-1)"
              >
                <mat-icon aria-hidden="true">chevron_left</mat-icon
                >{{ 'history.panel.newer' | translate }}
              </button>
              <button
                mat-button
                type="button"
                [disabled]="last() >= all.length"
                disabledInteractive
                (click)="last() < all.length && go(1)"
              >
                {{ 'history.panel.older' | translate
                }}<mat-icon aria-hidden="true" iconPositionEnd>chevron_right</mat-icon>
              </button>
            </div>
          }
          @if (!embedded()) {
            <!-- JOC Cockpit writes the audit entry before it checks what it was sent. -->
            <p class="muted">{{ 'history.panel.attempts' | translate }}</p>
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
    /*
     * Headings wrap between words: "Begründung, Zeitaufwand, Ticket" would widen the table. In
     * Japanese, where any two characters may break, a heading breaks at its 、 (アカウント stays whole).
     */
    th {
      word-break: keep-all;
      text-align: left;
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
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
    /* Japanese may break between any two characters: keep a word such as インポート whole. */
    .change {
      min-width: 7em;
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
    /* Whole, in lines of eight pairs: a fingerprint cut short cannot be compared (nor can a
       hover title be read with the keyboard). */
    .cert code {
      display: block;
      max-width: 24ch;
      overflow-wrap: anywhere;
      font: var(--mat-sys-body-small);
      font-family: ui-monospace, monospace;
      color: var(--mat-sys-on-surface-variant);
    }
    /*
     * Phones and 400 % zoom: five columns side by side left each row a word wide, beside a tall
     * fingerprint. Each entry stacks its cells, each under its heading's words.
     */
    @media (max-width: 640px) {
      table,
      tbody,
      tr,
      td {
        display: block;
      }
      thead {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
      tr {
        padding: 6px 0;
        border-bottom: 1px solid var(--mat-sys-outline-variant);
      }
      td {
        border-bottom: none;
        padding: 2px 0;
        max-width: none;
        white-space: normal;
      }
      td[data-label]::before {
        content: attr(data-label);
        display: block;
        font: var(--mat-sys-label-medium);
        color: var(--mat-sys-on-surface-variant);
      }
      .cert code {
        max-width: none;
      }
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
  private readonly i18n = inject(I18n);
  protected readonly embedded = inject(Session).embedded;

  readonly kind = input.required<HistoryKind>();
  /** Whose key the tab shows; unused for the CA. */
  readonly owner = input.required<string>();
  readonly level = input.required<JocSecurityLevel>();
  /** Anything that changes when the key changes: the history is read again. */
  readonly version = input<unknown>();

  protected readonly page = PAGE;
  protected readonly headingId = computed(() => `history-heading-${this.kind()}`);

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
        : { error: answer.error };
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
    return this.preferences.dateTime(when);
  }

  /** Why the history cannot be shown, in the person's language (called at render). */
  protected failure(error: JocError): string {
    switch (error.kind) {
      case 'forbidden':
        return this.i18n.t('history.error.forbidden');
      case 'not-found':
        return this.i18n.t('history.error.notFound');
      default:
        return this.i18n.t('history.error.unreadable', { message: this.i18n.message(error) });
    }
  }

  /** "1 h 30 min" in the person's language. */
  protected duration(minutes: NonNullable<HistoryEntry['timeSpent']>): string {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return hours === 0
      ? this.i18n.t('history.duration.minutes', { minutes: rest })
      : rest === 0
        ? this.i18n.t('history.duration.hours', { hours })
        : this.i18n.t('history.duration.hoursMinutes', { hours, minutes: rest });
  }

  protected go(step: number): void {
    this.pageIndex.update((index) => index + step);
  }
}
