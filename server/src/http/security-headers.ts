/** Security headers on every answer: no inline scripts, no framing, no sniffing, no referrer. */
import { appWide } from './app-wide';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export const securityHeaders = appWide(async (app) => {
  // A callback hook, not an async one: it runs on every answer, and an async hook costs a promise
  // each time. A header already set stays; a real JOC Cockpit's own are dropped before (forward.ts).
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const name in SECURITY_HEADERS)
      if (!reply.hasHeader(name)) reply.header(name, SECURITY_HEADERS[name]);
    done(null, payload);
  });
});
