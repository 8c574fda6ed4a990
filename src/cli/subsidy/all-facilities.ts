// `onshi subsidy calc --all-facilities`: every facility of the database, its profile made from the
// records (services/usage-profile.ts, keyset pages of facilities in code order), calculated on the
// --batch worker pool, one JSON line per facility `{ code, at, results }` in code order, and last a
// line `{ summary: { at, facilities, programs } }` (docs/usage.md). Reading the next page overlaps
// the workers' calculation of the pages before it.
import { once } from "node:events";
import type { Db } from "../../db/client.ts";
import { usageProfilePages } from "../../services/usage-profile.ts";
import { countFacilities } from "../../store/usage-profile-store.ts";
import type { CliIo } from "../io.ts";
import { answerInOrder, CHUNK_LINES, progressReporter } from "./batch.ts";
import type { CalcChunk } from "./calc-input.ts";
import { addTally, emptyTally, type Tally } from "./facility-summary.ts";

export interface AllFacilitiesSummary {
  at: string;
  facilities: number;
  programs: Tally;
}

export async function runAllFacilities(io: CliIo, db: Db, at: string, only: string | undefined, jobs: number): Promise<AllFacilitiesSummary> {
  const total = await countFacilities(db);
  const progress = progressReporter(io, total, "施設");
  const tally = emptyTally();
  let facilities = 0;
  async function* chunks(): AsyncGenerator<CalcChunk> {
    for await (const page of usageProfilePages(db, at)) {
      for (let i = 0; i < page.length; i += CHUNK_LINES) yield { kind: "facilities", facilities: page.slice(i, i + CHUNK_LINES), at, only };
    }
  }
  try {
    // A few facilities are answered in this thread: starting workers would cost more than it saves.
    await answerInOrder(io, chunks(), total > 2 * CHUNK_LINES ? jobs : 0, (answer) => {
      addTally(tally, answer.tally!);
      facilities += answer.answered;
      progress.update(facilities, facilities);
    });
  } finally {
    progress.stop();
  }
  const summary = { at, facilities, programs: tally };
  if (!io.stdout.write(`${JSON.stringify({ summary })}\n`)) await once(io.stdout, "drain");
  return summary;
}
