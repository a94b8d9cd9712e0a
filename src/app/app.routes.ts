import type { Routes } from '@angular/router';
import { consoleRoutes } from './console/console-routes';

export const routes: Routes = consoleRoutes;
