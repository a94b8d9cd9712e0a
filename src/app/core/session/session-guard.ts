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
  const ready = await session.ready();
  if (ready === 'ok') {
    // Ask for the signing key now: the router activates the shell and the tab only after their
    // lazy chunks arrive, and the answer is usually back by then (the banner and the tab share it).
    void signingKey.load();
    return true;
  }
  const queryParams: Record<string, string> = { returnUrl: '/' + segments.map((s) => s.path).join('/') };
  if (ready === 'expired') queryParams['reason'] = 'expired';
  return router.createUrlTree(['/login'], { queryParams });
};
