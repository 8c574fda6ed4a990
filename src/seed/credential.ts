// Facility WebAPI credentials as scrypt hashes "salt:hash" (hex). The implementation already lives
// in src/domain/credential.ts (the auth route verifies with it); the demo imports it from here so
// there is exactly one hashing scheme.
import { hashCredential } from "../domain/credential.ts";

export { hashCredential, verifyCredential } from "../domain/credential.ts";

const publicHashes = new Map<string, string>();

/**
 * The hash of a credential everyone knows (the demo's, the tests' fixture), made once per process:
 * a process that loads it into many databases (the tests do) would otherwise spend most of a
 * second per database on scrypt.
 */
export function publicCredentialHash(credential: string): string {
  if (!publicHashes.has(credential)) publicHashes.set(credential, hashCredential(credential));
  return publicHashes.get(credential)!;
}
