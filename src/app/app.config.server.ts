import { HttpBackend } from '@angular/common/http';
import { type ApplicationConfig, mergeApplicationConfig } from '@angular/core';
import { provideServerRendering } from '@angular/platform-server';
import { appConfig } from './app.config';
import { InProcessBackend } from './core/server/in-process-backend';

/** The console as the embedded server renders it (src/main.server.ts): the browser's config, API calls handed to the server. */
export const serverConfig: ApplicationConfig = mergeApplicationConfig(appConfig, {
  providers: [provideServerRendering(), { provide: HttpBackend, useClass: InProcessBackend }],
});
