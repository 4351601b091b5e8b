import type { GatewayApp } from '../types.js';
import { DOCS_HTML, DOCS_SCRIPT } from './docs-page.js';
import type { OpenApiDocument } from './openapi.js';

const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'";

/** GET /openapi.json (the document), GET /docs (the reference page) and its script. No credentials needed. */
export function openApiRoutes(app: GatewayApp, document: () => OpenApiDocument): void {
  let cached: string | undefined;
  app.get('/openapi.json', { config: { public: true } }, async (_request, reply) => {
    cached ??= JSON.stringify(document());
    return reply.type('application/json').header('cache-control', 'public, max-age=300').send(cached);
  });
  app.get('/docs', { config: { public: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(DOCS_HTML),
  );
  app.get('/docs/app.js', { config: { public: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(DOCS_SCRIPT),
  );
}
