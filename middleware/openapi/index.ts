export { createRouteRegistry, defineRoute, type HttpMethod, type RouteDefinition, type RouteRegistry, type RouteRequest } from './define-route';
export { buildOpenApiDocument, toOpenApiPath, type OpenApiOptions } from './build-document';
