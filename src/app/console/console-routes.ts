import type { Routes } from '@angular/router';
import { languageReady } from '../core/i18n/i18n';
import { sessionGuard } from '../core/session/session-guard';

/**
 * The console's routes. The shell, the Profile page (and with it src/pki, pkijs and asn1js) and
 * the login page (forms, form fields) are lazily loaded chunks: the initial bundle holds what
 * every first screen needs (the router, the session restore, the language).
 */
const loadProfile = () => import('../profile/profile-routes').then((m) => m.profileRoutes);
const loadLogin = () => import('./login-page').then((m) => m.LoginPage);
const loadShell = () => import('./shell').then((m) => m.Shell);

/** Starts fetching the login page while its language's catalog loads, not after. */
const preloadLogin = () => {
  void loadLogin();
  return true;
};

/**
 * Starts fetching the shell and the Profile chunk while the session is being restored
 * (permissions and properties round trips), instead of after: the tab's page is where nearly
 * everyone goes. The login page needs neither.
 */
const preloadProfile = () => {
  void loadShell();
  void loadProfile();
  return true;
};

export const consoleRoutes: Routes = [
  {
    path: 'login',
    canMatch: [preloadLogin, languageReady],
    loadComponent: loadLogin,
    title: 'titles.login',
  },
  {
    path: '',
    loadComponent: loadShell,
    canMatch: [preloadProfile, languageReady, sessionGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'profile' },
      { path: 'profile', loadChildren: loadProfile },
    ],
  },
  { path: '**', redirectTo: '' },
];
