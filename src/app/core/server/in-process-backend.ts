import { HttpErrorResponse, HttpHeaders, HttpResponse, type HttpBackend, type HttpEvent, type HttpRequest } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { SERVER_PAGE } from './server-page';

/**
 * The HTTP backend of a page rendered by the embedded server: API calls are handed to the server
 * that draws the page (its own routes answer them, with the same authentication and permission
 * checks), never sent to a URL, so no Host header can send them, or the token, anywhere else.
 */
@Injectable()
export class InProcessBackend implements HttpBackend {
  private readonly page = inject(SERVER_PAGE);

  handle(request: HttpRequest<unknown>): Observable<HttpEvent<unknown>> {
    return new Observable((subscriber) => {
      // platform-server made relative URLs absolute; only the path matters here.
      const path = new URL(request.urlWithParams, 'http://localhost').pathname;
      if (!path.startsWith('/joc/api/') || request.method !== 'POST') {
        subscriber.error(new HttpErrorResponse({ status: 0, statusText: 'Not available while rendering on the server', url: request.url }));
        return;
      }
      this.page
        .api(path, request.body ?? {}, request.headers.get('X-Access-Token') ?? undefined)
        .then((answer) => {
          const init = { status: answer.status, url: request.url, headers: new HttpHeaders() };
          if (answer.status >= 200 && answer.status < 300) {
            subscriber.next(new HttpResponse({ ...init, body: answer.body }));
            subscriber.complete();
          } else {
            subscriber.error(new HttpErrorResponse({ ...init, error: answer.body }));
          }
        })
        .catch((error: unknown) => subscriber.error(new HttpErrorResponse({ status: 0, error, url: request.url })));
    });
  }
}
