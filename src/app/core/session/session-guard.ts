import { inject } from '@angular/core';
import { Router, type CanMatchFn } from '@angular/router';
import { Session } from './session';

/**
 * Pages behind the login: without a usable session, go to the login page and come back after.
 * A `canMatch` guard, so that the routes below (and their redirects, which read the session's
 * policy) are only recognised once the session is known.
 */
export const sessionGuard: CanMatchFn = async (_route, segments) => {
  const session = inject(Session);
  const router = inject(Router);
  const ready = await session.ready();
  if (ready === 'ok') return true;
  const queryParams: Record<string, string> = { returnUrl: '/' + segments.map((s) => s.path).join('/') };
  if (ready === 'expired') queryParams['reason'] = 'expired';
  return router.createUrlTree(['/login'], { queryParams });
};
