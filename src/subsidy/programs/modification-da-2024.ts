// modification-da-2024: デジタル庁 医療機関・薬局でのマイナンバーカードの利活用推進事業 — the
// レセコン・再来受付機 改修 for the 受給者証 and/or 診察券 (seed 000 l.389-453 and FAQ 4-3, seed 003).
// The table and conditions are in modification-da-2024.json; the evaluation, ※1/※2 and the
// one-time rule shared with modification-mhlw-2024 are in modification-common.ts.
import type { ProgramModule } from "../engine.ts";
import { evaluate2024, parseModificationData, type ModificationData } from "./modification-common.ts";

export const parseModificationDa2024 = (raw: unknown): ModificationData => parseModificationData(raw, "modification-da-2024");

/** `mhlw` is needed for the one-time rule (seed 003 l.38): a 厚生労働省 project can exclude this one. */
export function modificationDa2024Program(da: ModificationData, mhlw: ModificationData): ProgramModule {
  return {
    id: da.id,
    name: da.name,
    evaluate: (profile, at, memo) => evaluate2024(da, mhlw, profile, at, memo).filter((r) => r.program === da.id),
  };
}
