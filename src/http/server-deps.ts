// What the HTTP server and its routes are built from, apart from the server itself so that the
// routes, which server.ts registers, need not import it back.
import type { FastifyServerOptions } from "fastify";
import type { FaceFileSink } from "../services/card-reader.ts";
import type { OqsContext } from "../services/pipeline/types.ts";
import type { FacilityTls } from "./tls.ts";
import type { TokenService } from "./tokens.ts";

export interface ServerDeps {
  oqs: OqsContext;
  tokens: TokenService;
  /** Where the card reader routes write face results (the 連携フォルダ's face folder, wired by the caller); no reader routes without it. */
  faceFiles?: FaceFileSink;
  /** The card simulator's routes (a development tool: `onshi serve --demo` or `--simulator`); absent otherwise. */
  simulator?: boolean;
  logger?: FastifyServerOptions["logger"];
  /** Tests shorten these; see SERVER_TIMEOUTS. */
  timeouts?: Partial<ServerTimeouts>;
  /** HTTPS with facility client certificates (`onshi serve --tls`); plain HTTP when absent. */
  tls?: FacilityTls;
  /** The command line's operations for this token (a server holding an embedded database's folder); absent otherwise. */
  adminToken?: string;
}

export interface ServerTimeouts {
  /** A socket with nothing read or written for this long is closed (a client that stalls mid-body). */
  connectionTimeout: number;
  /** The whole request, headers and body, must arrive within this (a client that drips bytes). */
  requestTimeout: number;
  headersTimeout: number;
  keepAliveTimeout: number;
}
