// What the server's request log may hold. Fastify logs each request's URL (at info level); a
// query string can carry a token a client put there by mistake (a token is never taken from a
// URL, but one sent that way must not reach the log either), so the log keeps only the path.
// Headers, the Authorization header with them, are not logged at all (Fastify's default).
import type { FastifyRequest, FastifyServerOptions } from "fastify";

/** The request as logged: Fastify's own fields, the URL without its query string. */
function loggedRequest(request: FastifyRequest) {
  const query = request.url.indexOf("?");
  return {
    method: request.method,
    url: query < 0 ? request.url : `${request.url.slice(0, query)}?…`,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The logger option with the request serializer above (off stays off). */
export function requestLogging(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, req: loggedRequest as never } };
}
