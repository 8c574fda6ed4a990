// `onshi audit verify`: recomputes the audit chain over all records, or over the records viewed on
// the days --from … --to (Japan time) with the links into and out of that range, and names the
// first broken record. Read in one snapshot, so appends during a long check are not mistaken for
// insertions.
import type { Db } from "../db/client.ts";
import { AuditChainChecker, CHAIN_START, resolveUnlinked, type AuditBreakKind, type ChainFinding } from "../domain/audit-chain.ts";
import { isValidYyyymmdd } from "../domain/dates.ts";
import { errorMessage, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { auditHead, auditLinkBefore, auditSeqOfHash, auditSeqRange, auditTimeOf, readAuditRecords } from "../store/audit-store.ts";

export interface AuditVerifyRange {
  /** YYYY-MM-DD, a day in Japan time; absent: from the chain's start. */
  from?: string;
  /** YYYY-MM-DD, inclusive; absent: to the chain's end (and its head). */
  to?: string;
}

export interface AuditBreak {
  seq: number;
  /** When the named record's view happened (ISO), when the record exists. */
  at: string | null;
  kind: AuditBreakKind;
  code: ErrorCode;
  message: string;
  detail: string;
}

export interface AuditVerification {
  intact: boolean;
  from: string | null;
  to: string | null;
  /** Records recomputed and found intact (up to the break). */
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The chain's last seq as audit_chain_head records it. */
  headSeq: number;
  seconds: number;
  break?: AuditBreak;
}

const BREAK_CODES: Record<AuditBreakKind, ErrorCode> = { changed: "E9402", removed: "E9403", inserted: "E9404", reordered: "E9405" };

/** A day's start in Japan time. */
const jstDayStart = (day: string) => new Date(`${day}T00:00:00+09:00`);

/** Checks --from/--to before anything is read (E9400, E9401). */
export function checkAuditRange(range: AuditVerifyRange): void {
  for (const [flag, day] of [["--from", range.from], ["--to", range.to]] as const) {
    if (day !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(day) && isValidYyyymmdd(day.replaceAll("-", "")))) throw new OqsError("E9400", `${flag} ${day}`);
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) throw new OqsError("E9401", `${range.from} > ${range.to}`);
}

export async function verifyAudit(db: Db, range: AuditVerifyRange, progress: (done: number, total: number) => void = () => {}): Promise<AuditVerification> {
  checkAuditRange(range);
  const started = performance.now();
  return db.transaction(async (tx) => {
    await tx.exec("set transaction isolation level repeatable read");
    const head = await auditHead(tx);
    const from = range.from === undefined ? undefined : jstDayStart(range.from);
    const to = range.to === undefined ? undefined : new Date(jstDayStart(range.to).getTime() + 86_400_000);
    const span = await auditSeqRange(tx, from, to);
    const result = (checked: number, finding?: Exclude<ChainFinding, { kind: "unlinked" }>, at?: Date): AuditVerification => ({
      intact: finding === undefined,
      from: range.from ?? null,
      to: range.to ?? null,
      checked,
      firstSeq: span?.first ?? null,
      lastSeq: span?.last ?? null,
      headSeq: head.seq,
      seconds: Math.round(performance.now() - started) / 1000,
      ...(finding && {
        break: { seq: finding.seq, at: at?.toISOString() ?? null, kind: finding.kind, code: BREAK_CODES[finding.kind], message: errorMessage(BREAK_CODES[finding.kind]), detail: finding.detail },
      }),
    });
    // Nothing in the range: a whole chain without records still has a head to match.
    if (!span) return result(0, range.from === undefined && range.to === undefined && head.seq > 0 ? { kind: "removed", seq: 1, detail: `記録がありません (チェーンの先頭は seq ${head.seq})` } : undefined);
    // The range, and the record after it (the link out of it); to the chain's end, the head.
    const following = to === undefined ? undefined : await tx.query<{ seq: number }>("select seq from audit_records where seq > $1 order by seq limit 1", [span.last]);
    const last = following?.[0]?.seq ?? Number.MAX_SAFE_INTEGER;
    const anchor = range.from === undefined ? CHAIN_START : ((await auditLinkBefore(tx, span.first)) ?? CHAIN_START);
    const checker = new AuditChainChecker(anchor, last === Number.MAX_SAFE_INTEGER ? head : undefined);
    const total = Math.max(0, Math.min(last, Math.max(head.seq, span.last)) - span.first + 1);
    let read = 0;
    let finding: ChainFinding | undefined;
    for await (const batch of readAuditRecords(tx, range.from === undefined ? Number.MIN_SAFE_INTEGER : span.first, last)) {
      for (const record of batch) if ((finding = checker.push(record))) break;
      read += batch.length;
      progress(Math.min(read, total), total);
      if (finding) break;
    }
    finding ??= checker.end();
    if (!finding) return result(checker.checked);
    const named = finding.kind === "unlinked" ? resolveUnlinked(finding, await auditSeqOfHash(tx, finding.record.prevHash)) : finding;
    return result(checker.checked, named, named.record ? new Date(named.record.atMs) : await auditTimeOf(tx, named.seq));
  });
}
