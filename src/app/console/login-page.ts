import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  DestroyRef,
  afterNextRender,
  ElementRef,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { NOT_LOGGED_IN, type JocError } from '../core/api/joc-error';
import { I18n } from '../core/i18n/i18n';
import { Session } from '../core/session/session';

/**
 * Account and password; a clear message on bad credentials or an expired session. When the server
 * refuses for a while ("try again in N s", its login throttle), the button waits that long and the
 * password stays filled in.
 */
@Component({
  selector: 'app-login-page',
  imports: [
    ReactiveFormsModule,
    MatFormField,
    MatLabel,
    MatInput,
    MatError,
    MatButton,
    MatIcon,
    MatProgressBar,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="login">
      <form class="card" [formGroup]="form" (ngSubmit)="submit()" aria-labelledby="login-title">
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" [attr.aria-label]="'login.busy' | translate" />
        }
        <h1 id="login-title">{{ 'common.product' | translate }}</h1>
        <p class="sub">{{ 'login.intro' | translate }}</p>
        @if (insecure) {
          <p class="message" role="alert">
            <mat-icon aria-hidden="true">gpp_bad</mat-icon>{{ 'login.insecure' | translate }}
          </p>
        }
        @if (message(); as text) {
          <p class="message" [class.expired]="expired() && !error()" role="alert">
            <mat-icon aria-hidden="true">{{
              (expired() && !error()) || waiting() ? 'schedule' : 'error'
            }}</mat-icon>{{ text }}
          </p>
        }
        <mat-form-field>
          <mat-label>{{ 'login.account' | translate }}</mat-label>
          <input #account matInput formControlName="account" autocomplete="username" required />
          <mat-error>{{ 'login.accountRequired' | translate }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'login.password' | translate }}</mat-label>
          <input
            #password
            matInput
            type="password"
            formControlName="password"
            autocomplete="current-password"
            required
          />
          <mat-error>{{ 'login.passwordRequired' | translate }}</mat-error>
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="busy() || waiting()">
          {{ 'login.submit' | translate }}
        </button>
        <p class="other-logins">{{ 'login.otherLogins' | translate }}</p>
      </form>
    </main>
  `,
  styles: `
    .login {
      min-height: 100vh;
      display: grid;
      place-items: center;
      padding: 16px;
      box-sizing: border-box;
    }
    .card {
      width: min(400px, 100%);
      box-sizing: border-box;
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 32px;
      border-radius: 16px;
      background: var(--mat-sys-surface-container-low);
      box-shadow: var(--mat-sys-level1);
      position: relative;
      overflow: hidden;
    }
    mat-progress-bar {
      position: absolute;
      top: 0;
      left: 0;
      right: 0;
    }
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0;
    }
    .sub {
      margin: 0 0 16px;
      color: var(--mat-sys-on-surface-variant);
    }
    .message {
      display: flex;
      gap: 8px;
      align-items: center;
      margin: 0 0 8px;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .message mat-icon {
      flex: none;
    }
    .other-logins {
      margin: 8px 0 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .message.expired {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
  `,
})
export class LoginPage {
  /**
   * Opened over plain HTTP at another machine's address: the password would travel unencrypted,
   * and the browser gives the console no WebCrypto to read keys with (each place a key is read
   * then says so too, from the PKI core).
   */
  protected readonly insecure = !inject(DOCUMENT).defaultView?.isSecureContext;
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly i18n = inject(I18n);

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.waitTimer));
    // The page has one thing to do: the person types the account at once, unless the focus is
    // already somewhere (a click that came first, or a browser that restored it).
    afterNextRender(() => {
      const focused = document.activeElement;
      if (!focused || focused === document.body) this.accountInput().nativeElement.focus();
    });
  }

  /** Where to go after login (query parameter). */
  readonly returnUrl = input<string>();
  /** `expired` when the session ran out (query parameter). */
  readonly reason = input<string>();

  protected readonly busy = signal(false);
  /** The server said to try again later: the button waits until then. */
  protected readonly waiting = signal(false);
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  /** Kept as the failure, not its text: the message follows a language switch. */
  protected readonly error = signal<JocError | undefined>(undefined);
  private readonly accountInput = viewChild.required<ElementRef<HTMLInputElement>>('account');
  private readonly passwordInput = viewChild.required<ElementRef<HTMLInputElement>>('password');
  /**
   * The failure was the login throttle: the console knows that reason, the server's text says
   * for whom and how long (English shows it as is, the other languages after their own words).
   */
  private readonly throttled = signal(false);
  protected readonly expired = computed(() => this.reason()?.startsWith('expired') === true);
  protected readonly message = computed(() => {
    const error = this.error();
    if (error && this.throttled())
      return this.i18n.t('login.throttledSaid', { server: error.message });
    if (error) return this.i18n.message(error);
    if (this.reason() === 'expired-unsaved') return this.i18n.t('login.expiredUnsaved');
    return this.expired() ? this.i18n.t('login.expired') : undefined;
  });

  protected readonly form = this.fb.group({
    account: ['', Validators.required],
    password: ['', Validators.required],
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(undefined);
    this.throttled.set(false);
    const { account, password } = this.form.getRawValue();
    const answer = await this.session.login(account, password);
    const failure = answer === 'password-change' ? PASSWORD_CHANGE : answer && loginFailure(answer);
    this.busy.set(false);
    if (failure) {
      this.error.set(failure);
      // Only a refused password is cleared: after a "try again later" the same one is sent again.
      if (failure.kind === 'unauthenticated') {
        this.form.controls.password.reset();
        // Where the person types next: the click on the button (disabled while sending) leaves the
        // focus nowhere, and the empty field now says "Enter your password."
        this.passwordInput().nativeElement.focus();
      }
      // The header says how long; servers before it said so only in the message.
      const wait =
        failure.kind === 'invalid' && failure.retryAfterSeconds !== undefined
          ? failure.retryAfterSeconds
          : Number(/try again in (\d+) s\b/.exec(failure.message)?.[1] ?? NaN);
      if (Number.isFinite(wait) && wait > 0) {
        this.throttled.set(true);
        this.waitFor(wait);
      }
      return;
    }
    const target = this.returnUrl();
    await this.router.navigateByUrl(
      target && target.startsWith('/') && !target.startsWith('/login') ? target : '/profile',
    );
  }

  private waitFor(seconds: number): void {
    clearTimeout(this.waitTimer);
    this.waiting.set(true);
    this.waitTimer = setTimeout(() => this.waiting.set(false), Math.min(seconds, 600) * 1000);
  }
}

const WRONG_PASSWORD = 'Wrong account or password.';

/** A refused login in a person's words; JOC Cockpit's own reason ("Access denied") is kept. */
function loginFailure(error: JocError): JocError {
  if (error.kind !== 'unauthenticated') return error;
  const reason = error.message.trim();
  return !reason || reason === WRONG_PASSWORD || reason === NOT_LOGGED_IN
    ? { kind: 'unauthenticated', code: 'errors.wrongPassword', message: WRONG_PASSWORD }
    : {
        kind: 'unauthenticated',
        code: 'errors.wrongPasswordSaid',
        params: { server: reason },
        message: `${WRONG_PASSWORD} The server answered: ${reason}`,
      };
}

/** JOC Cockpit asks for a new password first, which only its own interface can set. */
const PASSWORD_CHANGE: JocError = {
  kind: 'unsupported',
  code: 'errors.passwordChange',
  message:
    "JOC Cockpit asks you to change your password before you continue. This console cannot change passwords: log in to JOC Cockpit's own interface, set a new password there, then log in here again.",
};
