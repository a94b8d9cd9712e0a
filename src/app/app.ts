import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { NavigationEnd, NavigationError, Router, RouterOutlet } from '@angular/router';
import { filter, take } from 'rxjs';

/** The console's root: the login page or the shell, by route. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<router-outlet />`,
})
export class App {
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
