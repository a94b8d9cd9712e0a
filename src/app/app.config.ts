import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { TitleStrategy, provideRouter, withComponentInputBinding } from '@angular/router';
import { TranslatedTitles } from './core/i18n/title-strategy';
import { authInterceptor } from './core/api/auth-interceptor';
import { earlyReadsInterceptor } from './core/api/early-reads-interceptor';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    // authInterceptor first: the early answers pass it as any answer does.
    provideHttpClient(withInterceptors([authInterceptor, earlyReadsInterceptor])),
    { provide: TitleStrategy, useClass: TranslatedTitles },
  ],
};
