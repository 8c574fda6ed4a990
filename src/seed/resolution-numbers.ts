// Every synthetic person has a 個人番号, so that a municipality's upload (and the simulator, tests
// and bench acting as one) can name them as the real registration API does. It is derived from the
// person's id alone, by a bijection of the 11-digit space followed by the check digit: two persons
// never share one, whatever populations and seeds a database holds, and whoever knows a person's
// id can compute it. The number is never stored: a population is loaded with the digest of each
// person's number under the database's resolution key (docs/pmh.md).
import type { Db } from "../db/client.ts";
import { myNumberCheckDigit, resolutionDigest } from "../domain/my-number.ts";
import { copyResolutionDigests, insertResolutionDigests, personsWithoutDigest, resolutionKey, type ResolutionDigest } from "../store/person-resolution-store.ts";

const SPACE = 100_000_000_000n; // 10^11
// Any multiplier prime to 10 makes x ↦ (A·x + B) mod 10^11 a bijection; these spread ids apart.
const A = 48_271_914_337n;
const B = 31_415_926_535n;

/** The synthetic 個人番号 of a person (ids 1 … 10^11 − 1). */
export function syntheticMyNumber(personId: number): string {
  const eleven = ((A * BigInt(personId) + B) % SPACE).toString().padStart(11, "0");
  return eleven + myNumberCheckDigit(eleven);
}

function* digests(key: Buffer, personIds: Iterable<number>): Generator<ResolutionDigest> {
  for (const personId of personIds) yield { digest: resolutionDigest(key, syntheticMyNumber(personId)), personId };
}

function* range(first: number, last: number): Generator<number> {
  for (let id = first; id <= last; id++) yield id;
}

/** A freshly loaded population's digests, by COPY (none of its persons has one yet). */
export async function copyPopulationDigests(db: Db, firstPersonId: number, lastPersonId: number): Promise<void> {
  if (lastPersonId < firstPersonId) return;
  await copyResolutionDigests(db, digests(await resolutionKey(db), range(firstPersonId, lastPersonId)));
}

/** The digests the demo's persons lack (also in a database loaded before digests existed). */
export async function fillDemoDigests(db: Db): Promise<void> {
  await insertResolutionDigests(db, [...digests(await resolutionKey(db), await personsWithoutDigest(db, "demo"))]);
}
