/**
 * The server bundle's entry (angular.json "ssr.entry", built to dist/joc-keys/server/server.mjs):
 * what the embedded server (server/src/page-render.ts) calls. It starts no server of its own.
 */
export { renderPage } from './main.server';
