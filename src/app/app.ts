import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatToolbar } from '@angular/material/toolbar';
import { RouterOutlet } from '@angular/router';

/** The console's root: the product bar and the routed page. */
@Component({
  selector: 'app-root',
  imports: [MatToolbar, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-toolbar>
      <span>JS7 Key Management</span>
    </mat-toolbar>
    <main>
      <router-outlet />
      <p class="placeholder">The API server is running. The Signature Key Management console is being built.</p>
    </main>
  `,
  styles: `
    main { padding: 24px; }
    .placeholder { font: var(--mat-sys-body-large); }
  `,
})
export class App {}
