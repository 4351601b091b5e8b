export { extraPaths } from './extra-paths.js';
export { type JsonObject, SchemaCollector } from './json-schema.js';
export { buildOpenApi, type OpenApiDocument, type OpenApiOptions } from './openapi.js';
export { openApiRoutes } from './openapi.route.js';
export { ProblemSchema } from './problem.schema.js';
