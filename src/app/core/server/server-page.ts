import { InjectionToken } from '@angular/core';

/** An API call answered by the embedded server's own routes: status and JSON body. */
export interface InProcessAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * What the embedded server gives the console when it renders a page for a browser that logged in
 * through it (src/main.server.ts): the session of the page's cookie, and its API, answered by its own routes.
 * Never provided in the browser.
 */
export interface ServerPage {
  readonly session: { readonly token: string; readonly account: string };
  /** `path` is the API path (`/joc/api/...`); the token travels as `X-Access-Token`, as from a browser. */
  readonly api: (path: string, body: unknown, token: string | undefined) => Promise<InProcessAnswer>;
}

export const SERVER_PAGE = new InjectionToken<ServerPage>('SERVER_PAGE');
