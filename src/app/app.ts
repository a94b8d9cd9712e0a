import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { I18n } from './core/i18n/i18n';
import { LoadFailure, isLoadFailure } from './core/load-failure';
import { NavigationEnd, NavigationError, Router, RouterOutlet } from '@angular/router';
import { filter, take } from 'rxjs';

/** The console's root: the login page or the shell, by route. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (insecure && i18n.has('shell.insecure')) {
      <p class="alert" role="alert">{{ i18n.t('shell.insecure') }}</p>
    }
    @if (loadFailure.happened()) {
      <p class="alert" role="alert">
        {{ i18n.t('shell.loadFailed') }}
        <button type="button" (click)="reload()">{{ i18n.t('shell.reload') }}</button>
      </p>
    }
    <router-outlet />
  `,
  styles: `
    .alert {
      margin: 0;
      padding: 12px 24px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .alert button {
      margin-left: 8px;
      font: inherit;
      font-weight: 500;
    }
  `,
})
export class App {
  protected readonly i18n = inject(I18n);
  protected readonly loadFailure = inject(LoadFailure);
  private readonly document = inject(DOCUMENT);
  /**
   * Opened over plain HTTP at another machine's address: the browser withholds WebCrypto (no key
   * or certificate can be read) and passwords and keys travel unencrypted. Said on every page,
   * the login page first, since each key would otherwise seem damaged.
   */
  protected readonly insecure = !this.document.defaultView?.isSecureContext;

  constructor() {
    // A page whose code cannot be loaded leaves the person where they were: say so, offer a reload.
    inject(Router)
      .events.pipe(filter((e) => e instanceof NavigationError && isLoadFailure(e.error)))
      .subscribe(() => this.loadFailure.report());
    // The page's loading bar (index.html) stays until the first screen is there: the first
    // navigation ends once the session and the language are known and the page is loaded.
    const bar = this.document.querySelector('.boot-progress');
    if (bar)
      inject(Router)
        .events.pipe(
          filter((e) => e instanceof NavigationEnd || e instanceof NavigationError),
          take(1),
        )
        .subscribe(() => bar.remove());
  }

  protected reload(): void {
    this.document.defaultView?.location.reload();
  }
}
