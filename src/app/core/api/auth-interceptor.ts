import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';
import { Session } from '../session/session';
import { API_BASE } from './joc-api';
import { isLostSession } from './joc-error';

const LOGIN = `${API_BASE}/authentication/login`;
/** The calls that change a key or the CA: refused with the session, they changed nothing. */
const WRITES = /\/profile\/(key|ca)\/(store|generate|delete|import)$/;

/**
 * Sends the session's `X-Access-Token` with every API call, and sends the person back to the login
 * page when the server says the session is gone (401), expired (440), or lost (a 420 naming
 * JOC Cockpit's `UnknownSessionException` or `user is null`, which its own UI treats as a timeout).
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith(API_BASE) || request.url === LOGIN) return next(request);
  const session = inject(Session);
  const token = session.token();
  const authorized = token ? request.clone({ setHeaders: { 'X-Access-Token': token } }) : request;
  return next(authorized).pipe(
    tap({
      next: () => (session.lastCallAt = Date.now()),
      error: (error: unknown) => {
        if (
          error instanceof HttpErrorResponse &&
          (error.status === 401 || error.status === 440 || isLostSession(error))
        )
          session.expire(WRITES.test(request.url));
      },
    }),
  );
};
