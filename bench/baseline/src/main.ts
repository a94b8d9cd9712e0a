/**
 * The floor of the page-load benchmarks (tab usable, login page ready): a blank Angular Material
 * page (zoneless, one mat-toolbar, the console's own global styles), bootstrapped the same way as
 * the console and served by the same server process. The benchmark times navigation start → the
 * toolbar's text in the DOM.
 */
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatToolbar } from '@angular/material/toolbar';
import { bootstrapApplication } from '@angular/platform-browser';

@Component({
  selector: 'app-root',
  imports: [MatToolbar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<mat-toolbar><span class="bench-ready">JS7 Key Management</span></mat-toolbar>`,
})
class Baseline {}

bootstrapApplication(Baseline, { providers: [] }).catch((err) => console.error(err));
