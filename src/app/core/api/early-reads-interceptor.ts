import {
  HttpErrorResponse,
  HttpHeaders,
  HttpResponse,
  type HttpInterceptorFn,
} from '@angular/common/http';
import { from, mergeMap, of, throwError } from 'rxjs';
import { type EarlyAnswer, takeEarlyRead } from './early-reads';

/** The body as HttpClient gives a JSON call's body: parsed, or the text when it is not JSON. */
function parsed(body: string): unknown {
  if (body === '') return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * Answers the console's first permissions, properties and key calls of a reloaded page with the
 * reads early-reads.ts started before Angular ran. Registered after authInterceptor, so the answer
 * passes it as any answer does (a 401/440 ends the session the same way). A read that failed to
 * reach the server, or any later call, goes to the server.
 */
export const earlyReadsInterceptor: HttpInterceptorFn = (request, next) => {
  const early =
    request.method === 'POST' && JSON.stringify(request.body) === '{}'
      ? takeEarlyRead(request.url, request.headers.get('X-Access-Token'))
      : undefined;
  if (!early) return next(request);
  return from(early).pipe(
    mergeMap((answer: EarlyAnswer | undefined) => {
      if (!answer) return next(request);
      const init = {
        headers: new HttpHeaders(Object.fromEntries(answer.headers)),
        status: answer.status,
        statusText: answer.statusText,
        url: request.url,
      };
      return answer.status >= 200 && answer.status < 300
        ? of(new HttpResponse({ ...init, body: parsed(answer.body) }))
        : throwError(() => new HttpErrorResponse({ ...init, error: parsed(answer.body) }));
    }),
  );
};
