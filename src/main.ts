import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';

bootstrapApplication(App, appConfig)
  // Once the console has drawn its page, the view the embedded server drew goes (if there is one:
  // server/src/page-render.ts); the Signature tab says so as soon as its row is drawn.
  .then((appRef) => appRef.whenStable())
  .catch((err) => console.error(err))
  .finally(() => document.dispatchEvent(new Event('joc-keys:drawn')));
