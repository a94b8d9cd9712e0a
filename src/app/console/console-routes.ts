import type { Routes } from '@angular/router';
import { languageReady } from '../core/i18n/i18n';
import { sessionGuard } from '../core/session/session-guard';
import { Shell } from './shell';

/**
 * The console's routes. The Profile page (and with it src/pki, pkijs and asn1js) and the login
 * page (forms, form fields) are lazily loaded chunks: the initial bundle is the shell alone.
 */
const loadProfile = () => import('../profile/profile-routes').then((m) => m.profileRoutes);
const loadLogin = () => import('./login-page').then((m) => m.LoginPage);

/** Starts fetching the login page while its language's catalog loads, not after. */
const preloadLogin = () => {
  void loadLogin();
  return true;
};

/**
 * Starts fetching the Profile chunk while the session is being restored (permissions and
 * properties round trips), instead of after: the tab's page is where nearly everyone goes.
 */
const preloadProfile = () => {
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
    component: Shell,
    canMatch: [preloadProfile, languageReady, sessionGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'profile' },
      { path: 'profile', loadChildren: loadProfile },
    ],
  },
  { path: '**', redirectTo: '' },
];
