import { ChangeDetectionStrategy, Component, DOCUMENT, inject, signal } from '@angular/core';
import { NavigationEnd, NavigationError, Router, RouterOutlet } from '@angular/router';
import { filter, take } from 'rxjs';
import { I18n } from './core/i18n/i18n';

/** The console's root: the login page or the shell, by route, under a page-wide alert. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loadFailed()) {
      <p class="page-alert" role="alert">
        {{ text('shell.loadFailed') }}
        <button type="button" (click)="reload()">{{ text('shell.reload') }}</button>
      </p>
    }
    <router-outlet />
  `,
})
export class App {
  protected readonly i18n = inject(I18n);
  private readonly document = inject(DOCUMENT);
  /**
   * The code of a page or a dialog could not be loaded (the server was unreachable, or updated
   * since this page was opened). The browser keeps a failed module import until the page is
   * reloaded, so the person is told and offered the reload.
   */
  protected readonly loadFailed = signal(false);

  constructor() {
    const failed = (error: unknown) => {
      if (isLoadFailure(error)) this.loadFailed.set(true);
    };
    const router = inject(Router);
    // A page: its navigation fails. A dialog: its opening rejects, and nobody handles that.
    router.events
      .pipe(filter((e) => e instanceof NavigationError))
      .subscribe((e) => failed(e.error));
    this.document.defaultView?.addEventListener('unhandledrejection', (e) => failed(e.reason));
    // The page's loading bar (index.html) stays until the first screen is there: the first
    // navigation ends once the session and the language are known and the page is loaded.
    const bar = this.document.querySelector('.boot-progress');
    if (bar)
      router.events
        .pipe(
          filter((e) => e instanceof NavigationEnd || e instanceof NavigationError),
          take(1),
        )
        .subscribe(() => bar.remove());
  }

  /** In English when the language's catalog is what could not be loaded. */
  protected text(key: keyof typeof ENGLISH): string {
    return this.i18n.has(key) ? this.i18n.t(key) : ENGLISH[key];
  }

  protected reload(): void {
    this.document.defaultView?.location.reload();
  }
}

const ENGLISH = {
  'shell.loadFailed': 'Part of the console could not be loaded: reload the page.',
  'shell.reload': 'Reload the page',
};

/** A module (chunk) that could not be loaded, in the words browsers use. */
function isLoadFailure(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed/i.test(error.message)
  );
}
