// The code and field of the SubsidyInputError a call throws, or null when it throws none.
import assert from "node:assert/strict";
import { SubsidyInputError } from "../../src/subsidy/input-error.ts";

export function inputErrorOf(f: () => unknown): [string, string] | null {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SubsidyInputError, "e instanceof SubsidyInputError");
    return [e.code, e.field];
  }
  return null;
}
