/**
 * The framework floor of the page-load benchmarks (information beside the blank page): what
 * Angular's router, Material and HttpClient cost on their own, without anything of the console.
 * Zoneless, one toolbar and a router outlet, two routes in one bundle (hash URLs, so that the
 * console's server answers only this page's files):
 *   #/row    a table row with three Material icon buttons, drawn from one POST /profile/key
 *            (the token from sessionStorage, as the console keeps it), nothing read from it;
 *   #/login  two Material form fields under Angular's reactive forms and a Material button.
 * The benchmark times them with the same marks as the tab and the login page.
 */
import { HttpClient, provideHttpClient, withNoXsrfProtection } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatToolbar } from '@angular/material/toolbar';
import { bootstrapApplication } from '@angular/platform-browser';
import { RouterOutlet, provideRouter, withHashLocation } from '@angular/router';

interface KeyAnswer {
  readonly keyAlgorithm?: string;
  readonly validUntil?: string;
}

@Component({
  selector: 'app-row',
  imports: [MatIconButton, MatIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table>
      <tr>
        <th>Key</th>
        <th>Valid until</th>
        <th>Actions</th>
      </tr>
      @if (key(); as k) {
        <tr>
          <td>{{ k.keyAlgorithm }}</td>
          <td class="status">
            <span class="state">{{ k.validUntil }}</span>
          </td>
          <td>
            <button mat-icon-button aria-label="Show key"><mat-icon>visibility</mat-icon></button>
            <button mat-icon-button aria-label="Update key"><mat-icon>edit</mat-icon></button>
            <button mat-icon-button aria-label="Delete key"><mat-icon>delete</mat-icon></button>
          </td>
        </tr>
      }
    </table>
  `,
})
class Row {
  protected readonly key = signal<KeyAnswer | undefined>(undefined);

  constructor() {
    const stored = JSON.parse(sessionStorage.getItem('joc-keys.session') ?? '{}') as {
      token?: string;
    };
    inject(HttpClient)
      .post<KeyAnswer>(
        '/joc/api/profile/key',
        {},
        { headers: { 'X-Access-Token': stored.token ?? '' } },
      )
      .subscribe((answer) => this.key.set(answer));
  }
}

@Component({
  selector: 'app-login',
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatInput, MatButton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form">
      <mat-form-field>
        <mat-label>Account</mat-label>
        <input matInput formControlName="account" autocomplete="username" required />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Password</mat-label>
        <input matInput type="password" formControlName="password" required />
      </mat-form-field>
      <button mat-flat-button type="submit">Log in</button>
    </form>
  `,
})
class Login {
  protected readonly form = new FormGroup({
    account: new FormControl('', { nonNullable: true }),
    password: new FormControl('', { nonNullable: true }),
  });
}

@Component({
  selector: 'app-root',
  imports: [MatToolbar, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<mat-toolbar><span>JS7 Key Management</span></mat-toolbar
    ><router-outlet />`,
})
class Floor {}

bootstrapApplication(Floor, {
  providers: [
    provideRouter(
      [
        { path: 'row', component: Row },
        { path: 'login', component: Login },
      ],
      withHashLocation(),
    ),
    provideHttpClient(withNoXsrfProtection()),
  ],
}).catch((err) => console.error(err));
