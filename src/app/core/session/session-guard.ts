import { inject } from '@angular/core';
import { Router, type CanMatchFn } from '@angular/router';
import { Session } from './session';
import { SigningKey } from './signing-key';

/**
 * Pages behind the login: without a usable session, go to the login page and come back after.
 * A `canMatch` guard, so that the routes below (and their redirects, which read the session's
 * policy) are only recognised once the session is known.
 */
export const sessionGuard: CanMatchFn = async (_route, segments) => {
  const session = inject(Session);
  const router = inject(Router);
  const signingKey = inject(SigningKey);
  const restoring = session.ready();
  // The signing key is read together with the session's permissions and properties, not after
  // them: the tab's row and the banner need it, and SigningKey keeps the answer only when the
  // restored session's policy shows the tab. The shell and the tab share this read.
  void signingKey.load();
  const ready = await restoring;
  if (ready === 'ok') return true;
  const queryParams: Record<string, string> = {
    returnUrl: '/' + segments.map((s) => s.path).join('/'),
  };
  if (ready === 'expired') queryParams['reason'] = 'expired';
  return router.createUrlTree(['/login'], { queryParams });
};
