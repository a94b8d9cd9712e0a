import { inject } from '@angular/core';
import { Router, type Routes } from '@angular/router';
import { Session } from '../core/session/session';
import { PreferencesTab } from './preferences/preferences-tab';
import { ProfilePage } from './profile-page';
import { SignatureKeysTab } from './signature-keys/signature-keys-tab';
import { SslKeysTab } from './ssl-keys/ssl-keys-tab';

/** The lazily loaded Profile page: everything that needs src/pki lives below here. */
export const profileRoutes: Routes = [
  {
    path: '',
    component: ProfilePage,
    children: [
      { path: '', pathMatch: 'full', redirectTo: () => (inject(Session).policy()?.showTab ? 'signature-keys' : 'preferences') },
      { path: 'preferences', component: PreferencesTab, title: 'Preferences · Profile' },
      {
        path: 'signature-keys',
        component: SignatureKeysTab,
        title: 'Signature Key Management · Profile',
        canActivate: [() => inject(Session).policy()?.showTab || inject(Router).createUrlTree(['/profile/preferences'])],
      },
      { path: 'ssl-keys', component: SslKeysTab, title: 'SSL Key Management · Profile' },
    ],
  },
];
