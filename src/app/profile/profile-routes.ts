import { inject } from '@angular/core';
import { Router, type Routes } from '@angular/router';
import { Session } from '../core/session/session';
import { ProfilePage } from './profile-page';
import { SignatureKeysTab } from './signature-keys/signature-keys-tab';

/**
 * The lazily loaded Profile page: everything that needs src/pki lives below here. The Preferences
 * and SSL tabs load on their own, so the signature tab does not wait for their forms.
 */
export const profileRoutes: Routes = [
  {
    path: '',
    component: ProfilePage,
    children: [
      {
        path: '',
        pathMatch: 'full',
        redirectTo: () => (inject(Session).policy()?.showTab ? 'signature-keys' : 'preferences'),
      },
      {
        path: 'preferences',
        loadComponent: () => import('./preferences/preferences-tab').then((m) => m.PreferencesTab),
        title: 'titles.preferences',
      },
      {
        path: 'signature-keys',
        component: SignatureKeysTab,
        title: 'titles.signatureKeys',
        canActivate: [
          () =>
            inject(Session).policy()?.showTab ||
            inject(Router).createUrlTree(['/profile/preferences']),
        ],
      },
      {
        path: 'ssl-keys',
        loadComponent: () => import('./ssl-keys/ssl-keys-tab').then((m) => m.SslKeysTab),
        title: 'titles.sslKeys',
      },
    ],
  },
];
