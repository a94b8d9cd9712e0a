/**
 * The console: its built files (with brotli/gzip copies, precompress.ts), its routes answered with
 * its page (a single-page app: deep links such as /profile get index.html with the preloads of
 * the page they lead to, console-page.ts), and a JOC 404 envelope for anything else. Without a
 * built console, every path outside the API is a 404.
 */
import fastifyStatic from '@fastify/static';
import { appWide } from './app-wide';
import { ConsolePage, consoleIndex } from './console-page';
import { errorBody } from './errors';
import { precompress } from './precompress';

/**
 * A file the build names after its content (`chunk-WFTKREFF.js`, `styles-UWJDGRI5.css`, fonts under
 * `media/`): a new build gives changed content a new name, so the browser may keep it for good and
 * a reload asks only for the page, not again for each of its ~30 files.
 */
const CONTENT_HASHED = /-[A-Z0-9]{8}\.(?:js|css|woff2?|ttf|svg|png|jpe?g|gif|webp)$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface ConsolePagesOptions extends Record<string, unknown> {
  /** The built console (`dist/joc-keys/browser`); served when it holds an index.html. */
  readonly staticDir?: string;
  /** At security level HIGH "/" leads to Preferences (there is no Signature tab). */
  readonly landsOnPreferences: boolean;
  /** Make the compressed copies in the background (default true). */
  readonly precompress?: boolean;
  readonly now: () => Date;
}

export const consolePages = appWide<ConsolePagesOptions>(async (app, options) => {
  const staticDir =
    options.staticDir && consoleIndex(options.staticDir) ? options.staticDir : undefined;
  const page = staticDir
    ? new ConsolePage(staticDir, { landsOnPreferences: options.landsOnPreferences })
    : undefined;
  if (staticDir && page) {
    let closing = false;
    app.addHook('onClose', async () => {
      closing = true;
    });
    if (options.precompress !== false)
      void precompress(staticDir, () => closing).catch(() => undefined);
    await app.register(async (files) => {
      // The files refuse an address that leaves their folder or cannot name a file (`..` after
      // decoding, a backslash, a NUL, a leading `//`) with a 4xx error: to a client it is simply
      // not there (404), never a business error (420).
      files.setErrorHandler(
        (error: { statusCode?: number; headers?: Record<string, string> }, request, reply) => {
          if (error.statusCode === undefined || error.statusCode < 400 || error.statusCode >= 500)
            throw error;
          // A range past the end of a file that is there: 416 with its length, as HTTP says, so
          // that a resumed download starts over instead of taking the file for gone.
          const contentRange = error.headers?.['Content-Range'];
          if (error.statusCode === 416 && contentRange) {
            reply
              .code(416)
              .header('content-range', contentRange)
              .send(
                errorBody(
                  options.now(),
                  'JOC-416',
                  `The requested range lies beyond the end of ${request.url.split('?')[0]}.`,
                ),
              );
            return;
          }
          reply
            .code(404)
            .send(errorBody(options.now(), 'JOC-404', `Not found: ${request.url.split('?')[0]}`));
        },
      );
      await files.register(fastifyStatic, {
        root: staticDir,
        wildcard: true,
        preCompressed: true,
        setHeaders: (reply, path) => {
          // The path of the copy sent: `main-X.js.br` for a browser that takes brotli.
          const file = path.replace(/\.(?:br|gz)$/, '');
          if (file.endsWith('.html')) reply.header('cache-control', 'no-cache');
          else if (CONTENT_HASHED.test(file)) reply.header('cache-control', IMMUTABLE);
        },
      });
    });
    // "/" is a route of the console like the others (it leads to the Profile page): with the preloads.
    app.get('/', (_request, reply) => {
      reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(page.html('/'));
    });
  }

  // Not async: returning the reply from an async handler would make Fastify wait on it twice.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (
      page &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !/\.[a-z0-9]+$/i.test(path)
    ) {
      reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(page.html(path));
      return;
    }
    reply.code(404).send(errorBody(options.now(), 'JOC-404', `Not found: ${path}`));
  });
});
