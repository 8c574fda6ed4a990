// modification-mhlw-2024: 厚生労働省 ①難病 ②小児慢性 ③自立支援医療 の医療費助成 オンライン資格確認の
// ためのレセコン改修補助, paid through the prefectures (seed 003 l.51-59, l.75-100, l.153-177).
// The table is in modification-mhlw-2024.json; the ※3 cap uses the デジタル庁 file as its floor,
// and the one-time rule shared with modification-da-2024 is in modification-common.ts.
import type { ProgramModule } from "../engine.ts";
import { evaluate2024, parseModificationData, type ModificationData } from "./modification-common.ts";

export const parseModificationMhlw2024 = (raw: unknown): ModificationData => parseModificationData(raw, "modification-mhlw-2024");

export function modificationMhlw2024Program(mhlw: ModificationData, da: ModificationData): ProgramModule {
  return {
    id: mhlw.id,
    name: mhlw.name,
    evaluate: (profile, at, memo) => evaluate2024(da, mhlw, profile, at, memo).filter((r) => r.program === mhlw.id),
  };
}
