// The summary of `onshi subsidy calc --all-facilities`: per program, the facilities it is 対象 for
// and their yen, and those it is not or cannot tell. Counted per facility (a program answering per
// project counts a facility once: 対象 when any project is), in the workers chunk by chunk, then
// added up in input order.
import type { SubsidyResult } from "../../subsidy/engine.ts";
import { yenText } from "../../subsidy/engine.ts";
import { displayWidth } from "../help.ts";

export interface ProgramCount {
  /** Facilities the program is 対象 for. */
  eligible: number;
  /** Their yen, where the amount is known. */
  yen: number;
  /** Of the eligible, those whose amount cannot be computed (not in `yen`). */
  amountUnknown: number;
  notEligible: number;
  /** 判定できない: a fact the records do not give (the `missing` of the result) or an unpublished cell. */
  cannotTell: number;
}
export type Tally = Record<string, ProgramCount>;

export const emptyTally = (): Tally => ({});

/** Adds one facility's results (in program order, as calculate() gives them). */
export function countFacility(tally: Tally, results: readonly SubsidyResult[]): void {
  for (let i = 0; i < results.length; ) {
    const program = results[i]!.program;
    let eligible = false;
    let unknown = false;
    let yen = 0;
    let amountUnknown = false;
    for (; i < results.length && results[i]!.program === program; i++) {
      const r = results[i]!;
      if (r.eligible === true) {
        eligible = true;
        if (r.amount === null) amountUnknown = true;
        else yen += r.amount;
      } else if (r.eligible === null) unknown = true;
    }
    const count = (tally[program] ??= { eligible: 0, yen: 0, amountUnknown: 0, notEligible: 0, cannotTell: 0 });
    if (eligible) {
      count.eligible++;
      count.yen += yen;
      if (amountUnknown) count.amountUnknown++;
    } else if (unknown) count.cannotTell++;
    else count.notEligible++;
  }
}

export function addTally(into: Tally, from: Tally): void {
  for (const [program, c] of Object.entries(from)) {
    const sum = (into[program] ??= { eligible: 0, yen: 0, amountUnknown: 0, notEligible: 0, cannotTell: 0 });
    sum.eligible += c.eligible;
    sum.yen += c.yen;
    sum.amountUnknown += c.amountUnknown;
    sum.notEligible += c.notEligible;
    sum.cannotTell += c.cannotTell;
  }
}

/** The summary as a table for the terminal (stderr), one program a row. */
export function describeTally(tally: Tally, facilities: number, at: string): string {
  const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - displayWidth(s)));
  const right = (s: string, n: number) => " ".repeat(Math.max(0, n - displayWidth(s))) + s;
  const lines = [`${facilities.toLocaleString("ja-JP")} 施設  基準日 ${at}`, `${pad("プログラム", 26)}${right("対象", 9)}${right("金額合計", 18)}${right("うち金額不明", 13)}${right("対象外", 9)}${right("判定できない", 13)}`];
  for (const [program, c] of Object.entries(tally)) {
    lines.push(`${pad(program, 26)}${right(String(c.eligible), 9)}${right(yenText(c.yen), 18)}${right(String(c.amountUnknown), 13)}${right(String(c.notEligible), 9)}${right(String(c.cannotTell), 13)}`);
  }
  return lines.join("\n");
}
