/**
 * Evaluated before any other module of the console (main.ts imports it first): what the first
 * screen waits for starts loading while the browser still compiles and runs Angular and the
 * route's code, instead of after them.
 */
import { startEarlyReads } from './app/core/api/early-reads';
import { startFirstLanguage } from './app/core/i18n/catalogs';

startEarlyReads();
startFirstLanguage();
