import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { I18n } from './core/i18n/i18n';
import { NavigationEnd, NavigationError, Router, RouterOutlet } from '@angular/router';
import { filter, take } from 'rxjs';

/** The console's root: the login page or the shell, by route. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (insecure && i18n.has('shell.insecure')) {
      <p class="insecure" role="alert">{{ i18n.t('shell.insecure') }}</p>
    }
    <router-outlet />
  `,
  styles: `
    .insecure {
      margin: 0;
      padding: 12px 24px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
})
export class App {
  protected readonly i18n = inject(I18n);
  /**
   * Opened over plain HTTP at another machine's address: the browser withholds WebCrypto (no key
   * or certificate can be read) and passwords and keys travel unencrypted. Said on every page,
   * the login page first, since each key would otherwise seem damaged.
   */
  protected readonly insecure = !inject(DOCUMENT).defaultView?.isSecureContext;

  constructor() {
    // The page's loading bar (index.html) stays until the first screen is there: the first
    // navigation ends once the session and the language are known and the page is loaded.
    const bar = inject(DOCUMENT).querySelector('.boot-progress');
    if (bar)
      inject(Router)
        .events.pipe(
          filter((e) => e instanceof NavigationEnd || e instanceof NavigationError),
          take(1),
        )
        .subscribe(() => bar.remove());
  }
}
