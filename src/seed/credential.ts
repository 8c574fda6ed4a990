// Facility WebAPI credentials as scrypt hashes "salt:hash" (hex). The implementation already lives
// in src/domain/credential.ts (the auth route verifies with it); the demo imports it from here so
// there is exactly one hashing scheme.
export { hashCredential, verifyCredential } from "../domain/credential.ts";
