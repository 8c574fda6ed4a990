// Credentials of 地方公共団体 for the 医療費助成 upload, one per 全国地方公共団体コード, issued as a
// facility's WebAPI credential is (`onshi facilities add`): the one given or a new random one,
// stored only as its scrypt hash and shown once by the caller. Issuing again replaces it. Any
// valid code may get one: a prefecture (for 難病・小児慢性 …) or a municipality.
import type { Db } from "../db/client.ts";
import { DUMMY_CREDENTIAL_HASH, hashCredential, isFitCredential, newCredential, verifyCredential } from "../domain/credential.ts";
import { MUNICIPALITY_CODE_PROBLEMS, municipalityCodeProblem } from "../domain/municipality-code.ts";
import { OqsError } from "../errors/catalogue.ts";
import { municipalityCredentialHash, saveMunicipalityCredential } from "../store/municipality-credential-store.ts";

/** The checks that need no database, so that a bad argument fails before the database is opened. */
export function checkMunicipalityCredential(code: string, credential?: string): void {
  const problem = municipalityCodeProblem(code);
  if (problem) throw new OqsError("E8550", MUNICIPALITY_CODE_PROBLEMS[problem]);
  if (credential !== undefined && !isFitCredential(credential)) throw new OqsError("E8552");
}

/** Issues (or replaces) the code's credential; the credential is returned only when onshi made it. */
export async function issueMunicipalityCredential(db: Db, code: string, now: Date, credential?: string): Promise<{ municipalityCode: string; credential?: string }> {
  checkMunicipalityCredential(code, credential);
  const secret = credential ?? newCredential();
  await saveMunicipalityCredential(db, code, hashCredential(secret), now);
  return { municipalityCode: code, ...(credential === undefined ? { credential: secret } : {}) };
}

/**
 * Whether the credential is the code's. A malformed or unknown code costs the same scrypt as a
 * wrong credential, so the answer does not tell which codes have one.
 */
export async function municipalityCredentialMatches(db: Db, code: unknown, credential: string): Promise<boolean> {
  const known = typeof code === "string" && municipalityCodeProblem(code) === undefined ? await municipalityCredentialHash(db, code) : undefined;
  const matches = await verifyCredential(credential, known ?? DUMMY_CREDENTIAL_HASH);
  return known !== undefined && matches;
}
