import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { Session } from './session';

/** Pages behind the login: without a usable session, go to the login page and come back after. */
export const sessionGuard: CanActivateFn = async (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  const ready = await session.ready();
  if (ready === 'ok') return true;
  const queryParams: Record<string, string> = { returnUrl: state.url };
  if (ready === 'expired') queryParams['reason'] = 'expired';
  return router.createUrlTree(['/login'], { queryParams });
};
