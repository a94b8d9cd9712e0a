import type { Routes } from '@angular/router';
import { sessionGuard } from '../core/session/session-guard';
import { Shell } from './shell';

/**
 * The console's routes. The Profile page (and with it src/pki, pkijs and asn1js) and the login
 * page (forms, form fields) are lazily loaded chunks: the initial bundle is the shell alone.
 */
export const consoleRoutes: Routes = [
  { path: 'login', loadComponent: () => import('./login-page').then((m) => m.LoginPage), title: 'Log in · JS7 Key Management' },
  {
    path: '',
    component: Shell,
    canMatch: [sessionGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'profile' },
      { path: 'profile', loadChildren: () => import('../profile/profile-routes').then((m) => m.profileRoutes) },
    ],
  },
  { path: '**', redirectTo: '' },
];
