// Recording each answered qualification check (docs/usage.md 「記録」): the writes a check's own
// statement carries, unless recording is turned off, which exists only to measure its cost
// (ONSHI_USAGE_RECORDING=off, the 個別照会 and card-check benchmarks).
import type { UsageEvent } from "../domain/usage.ts";
import type { Alongside } from "../store/alongside.ts";
import { usageRecord } from "../store/usage-record-store.ts";
import type { OqsContext } from "./pipeline/types.ts";

/**
 * The writes recording `event`, to run alongside the answer's own statement; none with recording
 * off. `readOnlyAnswer`: the answer writes nothing else, so the count commits asynchronously
 * (usageRecord) and the 個別照会 does not wait for a disk flush it never needed.
 */
export function recordCheck(ctx: Pick<OqsContext, "recordUsage">, event: UsageEvent, readOnlyAnswer = false): Alongside[] {
  return ctx.recordUsage === false ? [] : usageRecord(event, readOnlyAnswer);
}

/** ONSHI_USAGE_RECORDING: "on" (the default) or "off" (to measure what recording costs; nothing is counted). */
export function usageRecordingFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.ONSHI_USAGE_RECORDING;
  if (raw === undefined || raw === "" || raw === "on") return true;
  if (raw === "off") return false;
  throw new Error(`ONSHI_USAGE_RECORDING が不正です: ${raw} (on または off)`);
}
