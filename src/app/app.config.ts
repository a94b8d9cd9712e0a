import { provideHttpClient, withInterceptors, withNoXsrfProtection } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { TitleStrategy, provideRouter, withComponentInputBinding } from '@angular/router';
import { TranslatedTitles } from './core/i18n/title-strategy';
import { authInterceptor } from './core/api/auth-interceptor';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    // The session travels as X-Access-Token, never as a cookie: no XSRF cookie to read (each
    // read of document.cookie asks the browser process, on every POST).
    provideHttpClient(withInterceptors([authInterceptor]), withNoXsrfProtection()),
    { provide: TitleStrategy, useClass: TranslatedTitles },
  ],
};
