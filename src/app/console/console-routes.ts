import type { Routes } from '@angular/router';
import { sessionGuard } from '../core/session/session-guard';
import { Shell } from './shell';

/**
 * The console's routes. The Profile page (and with it src/pki, pkijs and asn1js) and the login
 * page (forms, form fields) are lazily loaded chunks: the initial bundle is the shell alone.
 */
const loadProfile = () => import('../profile/profile-routes').then((m) => m.profileRoutes);

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
    loadComponent: () => import('./login-page').then((m) => m.LoginPage),
    title: 'titles.login',
  },
  {
    path: '',
    component: Shell,
    canMatch: [preloadProfile, sessionGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'profile' },
      { path: 'profile', loadChildren: loadProfile },
    ],
  },
  { path: '**', redirectTo: '' },
];
