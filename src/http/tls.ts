// `onshi serve --tls`: HTTPS whose clients may present a facility certificate (医療機関等向け電子証明書)
// from onshi's authority, as the real WebAPI knows a facility by its TLS client certificate.
//
// The TLS layer asks for a certificate but lets a handshake without a good one complete
// (rejectUnauthorized: false); the auth route then decides. So a client with a missing, foreign,
// expired or revoked certificate gets a coded answer (E2025–E2028) instead of a bare TLS alert its
// software reports as "socket hang up", and the code-and-credential login can stay on beside
// certificates. Nothing else is reachable without a token, and tokens come only from that route.
import type { ServerOptions as HttpServerOptions } from "node:http";
import type { ServerOptions as HttpsServerOptions } from "node:https";
import { createHash } from "node:crypto";
import { TLSSocket } from "node:tls";
import type { FastifyReply, FastifyRequest } from "fastify";
import { openAuthority } from "../store/card-authority-store.ts";
import { facilityOfCertificate, openServerCertificate } from "../store/facility-certificate-store.ts";
import type { Db } from "../db/client.ts";
import { sendAuthRefusal } from "./auth-reply.ts";

export interface FacilityTls {
  key: string;
  cert: string;
  /** The authority's certificate: the one issuer of facility certificates. */
  ca: string;
  /** Whether the code-and-credential login stays on beside certificates. */
  credentialLogin: boolean;
  facilityOf(der: Buffer): ReturnType<typeof facilityOfCertificate>;
}

const LOOPBACK = ["localhost", "127.0.0.1", "::1"];
const WILDCARD = new Set(["0.0.0.0", "::", ""]);

/** The server's certificate (for loopback and `host`), issued by the authority on first use and kept. */
export async function openFacilityTls(db: Db, host: string, credentialLogin: boolean): Promise<FacilityTls> {
  // The wall clock, not `--now`: TLS clients check the certificate's dates against their own.
  const now = new Date();
  const hosts = WILDCARD.has(host) || LOOPBACK.includes(host) ? LOOPBACK : [...LOOPBACK, host];
  const server = await openServerCertificate(db, await openAuthority(db, now), hosts, now);
  return {
    key: server.privateKeyPem,
    cert: server.certificatePem,
    ca: server.authorityPem,
    credentialLogin,
    facilityOf: (der) => facilityOfCertificate(db, der),
  };
}

/** Fastify's `https` option: the server's key and certificate, asking every client for its own. */
export function httpsOptions(tls: FacilityTls, http: HttpServerOptions): HttpsServerOptions {
  return { ...http, key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" };
}

const certified = new WeakMap<FastifyRequest, string>();
const thumbprints = new WeakMap<TLSSocket, string | undefined>();

/**
 * The base64url SHA-256 of the certificate the connection presented, if the authority vouched for
 * it (what a certificate-bound token is compared with); once per connection.
 */
export function certificateThumbprint(request: FastifyRequest): string | undefined {
  const socket = request.raw.socket;
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  if (!thumbprints.has(socket)) {
    const raw = socket.getPeerCertificate().raw;
    thumbprints.set(socket, raw ? createHash("sha256").update(raw).digest("base64url") : undefined);
  }
  return thumbprints.get(socket);
}

/** The facility the request's client certificate proved, once `clientCertificateCheck` passed it. */
export function certifiedFacility(request: FastifyRequest): string | undefined {
  return certified.get(request);
}

const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

/**
 * The auth route's onRequest hook, run before its body is read: a presented certificate must be a
 * current facility certificate of the authority; without one, only the credential login (if on).
 */
export function clientCertificateCheck(tls: FacilityTls | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!tls) return;
    const socket = request.raw.socket;
    const peer = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined;
    if (!peer?.raw) return tls.credentialLogin ? undefined : sendAuthRefusal(reply, "E2025");
    if (!(socket as TLSSocket).authorized) {
      const reason = String((socket as TLSSocket).authorizationError);
      request.log.info({ reason }, "クライアント証明書を受け付けませんでした");
      return sendAuthRefusal(reply, EXPIRED.has(reason) ? "E2027" : "E2026");
    }
    const found = await tls.facilityOf(peer.raw);
    if (!found) return sendAuthRefusal(reply, "E2026");
    if ("revoked" in found) return sendAuthRefusal(reply, "E2028");
    certified.set(request, found.facilityCode);
  };
}

