import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatOption } from '@angular/material/core';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect } from '@angular/material/select';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { I18n } from '../../core/i18n/i18n';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../core/i18n/languages';
import {
  BROWSER_ZONE,
  DATE_FORMATS,
  browserTimeZone,
  formatDate,
  formatDateTime,
  timeZones,
} from '../../core/session/date-format';
import { Preferences } from '../../core/session/preferences';

/**
 * Language (this machine), then time zone, date format, the expiry warning threshold and the audit
 * reason, kept per account in this browser.
 */
@Component({
  selector: 'app-preferences-tab',
  imports: [
    ReactiveFormsModule,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatSuffix,
    MatInput,
    MatSelect,
    MatOption,
    MatCheckbox,
    MatButton,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2>{{ 'prefs.title' | translate }}</h2>
    <p class="intro">{{ 'prefs.intro' | translate }}</p>
    <form [formGroup]="form" (ngSubmit)="save()">
      <!-- Not a form field: the language applies at once (see choose()). Its hint may take two
           lines (a failed load says why). -->
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>{{ 'prefs.language' | translate }}</mat-label>
        <mat-select
          #languageSelect
          class="language"
          [value]="i18n.language()"
          (selectionChange)="choose($event.value)"
        >
          @for (language of languages; track language) {
            <mat-option [value]="language" [attr.lang]="language">{{
              languageNames[language]
            }}</mat-option>
          }
        </mat-select>
        @if (languageFailed(); as failed) {
          <mat-hint class="failed" role="alert">{{
            'prefs.languageFailed' | translate: { language: languageNames[failed] }
          }}</mat-hint>
        } @else {
          <mat-hint>{{ 'prefs.languageHint' | translate }}</mat-hint>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'prefs.timeZone' | translate }}</mat-label>
        <mat-select formControlName="timeZone">
          <mat-option [value]="browserZone">{{
            'prefs.browserZone' | translate: { zone: browserZoneName }
          }}</mat-option>
          <!-- ~420 zones as options cost ~120 ms to create: the form is drawn first with the chosen
               zone alone, the others follow when the browser is idle (BENCHMARKS.md). -->
          @defer (on idle) {
            @for (zone of zones; track zone) {
              <mat-option [value]="zone">{{ zone }}</mat-option>
            }
          } @placeholder {
            @if (form.controls.timeZone.value; as chosen) {
              <mat-option [value]="chosen">{{ chosen }}</mat-option>
            }
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'prefs.dateFormat' | translate }}</mat-label>
        <mat-select formControlName="dateFormat">
          @for (format of formats; track format) {
            <mat-option [value]="format">{{ format }} ({{ example(format) }})</mat-option>
          }
        </mat-select>
        <mat-hint>{{ 'prefs.now' | translate: { now: now() } }}</mat-hint>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'prefs.warnDays' | translate }}</mat-label>
        <input matInput type="number" formControlName="warnDays" min="0" max="3650" />
        <span matTextSuffix>{{ 'prefs.days' | translate }}</span>
        <mat-error>{{ 'prefs.warnDaysError' | translate }}</mat-error>
      </mat-form-field>
      <mat-checkbox formControlName="auditAlways">{{
        'prefs.auditAlways' | translate
      }}</mat-checkbox>
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="form.invalid">
          {{ 'prefs.save' | translate }}
        </button>
        <span role="status">{{ saved() ? ('prefs.saved' | translate) : '' }}</span>
      </div>
    </form>
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-large);
      margin: 8px 0;
    }
    .intro {
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 16px;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: 420px;
    }
    .failed {
      color: var(--mat-sys-error);
    }
    .actions {
      display: flex;
      align-items: center;
      gap: 16px;
      margin-top: 16px;
    }
  `,
})
export class PreferencesTab {
  private readonly preferences = inject(Preferences);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly i18n = inject(I18n);
  protected readonly languages = LANGUAGES;
  protected readonly languageNames = LANGUAGE_NAMES;
  /** The language whose catalog could not be loaded when it was chosen. */
  protected readonly languageFailed = signal<Language | undefined>(undefined);
  private readonly languageSelect = viewChild<MatSelect>('languageSelect');
  private choices = 0;

  protected readonly zones = timeZones();
  protected readonly browserZone = BROWSER_ZONE;
  protected readonly browserZoneName = browserTimeZone();
  protected readonly formats = DATE_FORMATS;
  protected readonly saved = signal(false);
  protected readonly form = this.fb.group({
    timeZone: [this.preferences.current().timeZone],
    dateFormat: [this.preferences.current().dateFormat],
    warnDays: [
      this.preferences.current().warnDays,
      [Validators.required, Validators.min(0), Validators.max(3650), Validators.pattern(/^\d+$/)],
    ],
    auditAlways: [this.preferences.current().auditAlways],
  });
  private readonly value = toSignal(this.form.valueChanges, {
    initialValue: this.form.getRawValue(),
  });
  protected readonly now = computed(() => {
    const { timeZone, dateFormat } = { ...this.preferences.current(), ...this.value() };
    return formatDateTime(new Date(), timeZone, dateFormat, this.i18n.language());
  });

  protected example(format: (typeof DATE_FORMATS)[number]): string {
    return formatDate(
      new Date(),
      this.value().timeZone ?? BROWSER_ZONE,
      format,
      this.i18n.language(),
    );
  }

  /**
   * The language applies at once, without Save: it belongs to this machine (the login page speaks
   * it before anyone is known), not to the account like the fields below, and a person who picks
   * a language expects to read it now, including the rest of this form. What is typed here stays.
   */
  protected choose(language: Language): void {
    const choice = ++this.choices;
    this.languageFailed.set(undefined);
    this.i18n.use(language).catch(() => {
      // A later choice has the last word.
      if (choice !== this.choices) return;
      // The screen stays in its language: the list says so too, and why.
      const select = this.languageSelect();
      if (select) select.value = this.i18n.language();
      this.languageFailed.set(language);
    });
  }

  protected save(): void {
    if (this.form.invalid) return;
    this.preferences.save({
      ...this.form.getRawValue(),
      warnDays: Number(this.form.controls.warnDays.value),
    });
    this.saved.set(true);
  }
}
