import type { Provider } from '@angular/core';
import { type BootstrapContext, bootstrapApplication } from '@angular/platform-browser';
import { renderApplication } from '@angular/platform-server';
import { App } from './app/app';
import { serverConfig } from './app/app.config.server';
import { SERVER_PAGE, type ServerPage } from './app/core/server/server-page';

/**
 * The console rendered by the embedded server (server/src/page-render.ts loads this bundle): the
 * page's HTML with the route drawn from the server's answers, for the session of the page's cookie.
 * The browser then starts the console as usual and replaces this view (src/main.ts).
 */
export function renderPage(document: string, path: string, page: ServerPage): Promise<string> {
  const providers: Provider[] = [{ provide: SERVER_PAGE, useValue: page }];
  const bootstrap = (context: BootstrapContext) => bootstrapApplication(App, { providers: [...serverConfig.providers, ...providers] }, context);
  // A fixed origin: the URL only places the route; API calls never leave the process (InProcessBackend).
  return renderApplication(bootstrap, { document, url: `http://localhost${path}`, allowedHosts: ['localhost'] });
}

/** The builder's entry (it reads the routes with it); pages are rendered with renderPage. */
export default (context: BootstrapContext) => bootstrapApplication(App, serverConfig, context);
