import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import type { JocError } from '../../core/api/joc-error';
import { I18n } from '../../core/i18n/i18n';
import { Preferences } from '../../core/session/preferences';
import { CHECK_KEYS, type Readiness, type ReadinessItem } from './readiness';
import { inPersonsDates } from './texts';

const ICONS: Record<ReadinessItem['state'], string> = {
  pass: 'check_circle',
  fail: 'cancel',
  'not-run': 'do_not_disturb_on',
};
/** Keys of each state's word (`sig.readiness.panel.state.<key>`). */
const WORDS: Record<ReadinessItem['state'], string> = {
  pass: 'pass',
  fail: 'fail',
  'not-run': 'notRun',
};

/** The deployment readiness check: a button, and each item with its state in words and its reason. */
@Component({
  selector: 'app-readiness-panel',
  imports: [MatButton, MatIcon, MatProgressBar, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel" aria-labelledby="readiness-heading">
      <div class="head">
        <h3 id="readiness-heading">{{ 'sig.readiness.panel.heading' | translate }}</h3>
        <!-- disabledInteractive: while the check runs the button keeps the focus a key press gave it. -->
        <button
          mat-stroked-button
          type="button"
          [disabled]="running()"
          disabledInteractive
          (click)="!running() && run.emit()"
        >
          <mat-icon aria-hidden="true">fact_check</mat-icon
          >{{ 'sig.readiness.panel.run' | translate }}
        </button>
      </div>
      <p class="muted">
        {{ 'sig.readiness.panel.intro' | translate: { days: warnDays() } }}
      </p>
      @if (running()) {
        <mat-progress-bar
          mode="indeterminate"
          [attr.aria-label]="'sig.readiness.panel.running' | translate"
        />
      }
      @if (error(); as e) {
        <p class="fail" role="alert">
          <mat-icon aria-hidden="true">error</mat-icon
          >{{ 'sig.readiness.panel.error' | translate: { message: i18n.message(e) } }}
        </p>
      } @else if (readiness()?.notChecked; as reason) {
        <p class="source">
          <mat-icon aria-hidden="true" inline>info</mat-icon> {{ i18n.message(reason) }}
        </p>
      } @else if (readiness(); as r) {
        @if (r.source === 'browser') {
          <p class="source">
            <mat-icon aria-hidden="true" inline>info</mat-icon>
            {{ 'sig.readiness.panel.browser' | translate }}
          </p>
        }
        <ul [attr.aria-label]="'sig.readiness.panel.list' | translate">
          @for (item of r.items; track item.id) {
            <li class="{{ item.state }}">
              <mat-icon aria-hidden="true">{{ icons[item.state] }}</mat-icon>
              <div>
                <strong>{{ 'sig.readiness.checks.' + titles[item.id] | translate }}</strong><span
                  class="state"
                  >&nbsp;— {{ 'sig.readiness.panel.state.' + words[item.state] | translate }}</span
                >
                <span class="message">{{ message(item) }}</span>
              </div>
            </li>
          }
        </ul>
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
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
    }
    h3 {
      font: var(--mat-sys-title-medium);
      margin: 0 auto 0 0;
    }
    .muted,
    .source {
      color: var(--mat-sys-on-surface-variant);
      margin: 6px 0;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 8px 0 0;
      display: grid;
      gap: 8px;
    }
    li {
      display: flex;
      gap: 8px;
      align-items: flex-start;
    }
    li mat-icon {
      flex: none;
    }
    li.pass mat-icon {
      color: var(--app-ok, #1b6e2d);
    }
    li.fail mat-icon,
    li.fail .state,
    .fail {
      color: var(--mat-sys-error);
    }
    li.not-run mat-icon,
    li.not-run .state {
      color: var(--app-warn, #7a4f00);
    }
    .fail {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .message {
      display: block;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      word-break: break-word;
    }
  `,
})
export class ReadinessPanel {
  readonly readiness = input<Readiness | undefined>();
  readonly running = input(false);
  readonly error = input<JocError | undefined>();
  readonly warnDays = input.required<number>();
  readonly run = output<void>();

  protected readonly i18n = inject(I18n);
  private readonly preferences = inject(Preferences);
  protected readonly icons = ICONS;
  protected readonly words = WORDS;
  protected readonly titles = CHECK_KEYS;

  /** An item's reason, its dates in the person's zone and format like the row above it. */
  protected message(item: ReadinessItem): string {
    return this.i18n.message(
      inPersonsDates(item, (d) => this.preferences.date(d), this.preferences.dayNumber()),
    );
  }
}
