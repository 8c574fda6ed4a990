// A 取りまとめ者 registers in advance the facilities it will apply for (第8 3): a batch line for any
// other facility is refused (./office-batch.ts). Each code is answered on its own: registered now,
// registered already (nothing changes, so a repeated registration is harmless), or refused.
import type { Db } from "../db/client.ts";
import { facilityCodeProblem } from "../domain/facility-code.ts";
import { OqsError } from "../errors/catalogue.ts";
import { lineError, MAX_BATCH_LINES, type LineError } from "../subsidy/batch-lines.ts";
import { insertVendorFacilities, knownFacilityCodes, listVendorFacilities, type VendorFacility } from "../store/vendor-facility-store.ts";

export type { VendorFacility };

export interface Registration {
  registered: string[];
  already: string[];
  /** A refused code: `line` is its 1-based position in the list, `field` the code itself. */
  refused: LineError[];
}

/** The codes of a registration's body `{ facilities: [...] }`, or E9545 / E9535 / E9532. */
export function registrationCodes(body: unknown): string[] {
  const facilities = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as { facilities?: unknown }).facilities : undefined;
  if (!Array.isArray(facilities)) throw new OqsError("E9541", "facilities");
  const extra = Object.keys(body as object).find((k) => k !== "facilities");
  if (extra !== undefined) throw new OqsError("E9541", extra);
  if (facilities.length === 0) throw new OqsError("E9535");
  if (facilities.length > MAX_BATCH_LINES) throw new OqsError("E9532", `${facilities.length.toLocaleString("en")} 件`);
  const bad = facilities.findIndex((c) => typeof c !== "string");
  if (bad >= 0) throw new OqsError("E9541", `facilities[${bad}]`);
  return facilities as string[];
}

/** Registers `codes` for the vendor in one statement; a code malformed (E9246) or unknown to onshi (E9530) is refused, the others go on. */
export async function registerVendorFacilities(db: Db, vendorAccountId: number, codes: readonly string[], now: Date): Promise<Registration> {
  const refused: LineError[] = [];
  const wellFormed: string[] = [];
  codes.forEach((code, i) => {
    const problem = facilityCodeProblem(code);
    if (problem) refused.push(lineError(i + 1, code, "E9246", problem));
    else wellFormed.push(code);
  });
  const known = await knownFacilityCodes(db, wellFormed);
  codes.forEach((code, i) => {
    if (!facilityCodeProblem(code) && !known.has(code)) refused.push(lineError(i + 1, code, "E9530"));
  });
  refused.sort((a, b) => a.line - b.line);
  const wanted = [...new Set(wellFormed.filter((c) => known.has(c)))];
  const added = await insertVendorFacilities(db, vendorAccountId, wanted, now);
  return { registered: wanted.filter((c) => added.has(c)), already: wanted.filter((c) => !added.has(c)), refused };
}

export function vendorFacilities(db: Db, vendorAccountId: number): Promise<VendorFacility[]> {
  return listVendorFacilities(db, vendorAccountId);
}
