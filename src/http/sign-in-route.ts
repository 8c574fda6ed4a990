// The password check of a page's sign-in route (the terminal's staff, the office's accounts),
// throttled per account and per client address with the facility credentials' lockout
// (login-throttle.ts): E2101 with Retry-After while locked, E2100 for every refusal alike.
import type { FastifyReply, FastifyRequest } from "fastify";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { OqsError } from "../errors/catalogue.ts";
import type { LoginThrottle } from "./login-throttle.ts";

export async function throttledSignIn<T>(throttle: LoginThrottle, key: string, request: FastifyRequest, reply: FastifyReply, signIn: () => Promise<T | undefined>): Promise<T> {
  const lockedFor = throttle.attempt(key, request.ip);
  if (lockedFor !== undefined) {
    reply.header("retry-after", String(lockedFor));
    throw new OqsError("E2101");
  }
  let signedIn;
  try {
    signedIn = await signIn();
  } catch (error) {
    // Not the caller's failure: no count towards a lockout.
    if (isDatabaseUnavailable(error)) throttle.withdrawn(key, request.ip);
    throw error;
  }
  if (signedIn === undefined) throw new OqsError("E2100");
  throttle.succeeded(key, request.ip);
  return signedIn;
}
