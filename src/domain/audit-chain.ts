// Recomputing the audit chain (docs/audit.md, "The hash chain"): records arrive in seq order and
// each is judged once the next has arrived, because an inserted record shows only in its follower
// (which still links past it). The first break is named with what differs; the store answers the
// one question this cannot (does the missing predecessor exist elsewhere in the table?).
import { auditHash, GENESIS_HASH } from "./audit.ts";

/** One row of audit_records as read back. */
export interface StoredAuditRecord {
  seq: number;
  /** The at column in milliseconds since 1970 (fractional if someone stored finer than the body's milliseconds). */
  atMs: number;
  facilityCode: string;
  personId: number;
  body: string;
  prevHash: string;
  hash: string;
}

/** What differs at the first broken record. */
export type AuditBreakKind = "changed" | "removed" | "inserted" | "reordered";

/** The chain's position: a record's seq and hash (or the start, or audit_chain_head). */
export interface ChainLink {
  seq: number;
  hash: string;
}

export const CHAIN_START: ChainLink = { seq: 0, hash: GENESIS_HASH };

/**
 * A break as the chain alone shows it, at `seq` (the record named, when it exists). `unlinked`: the
 * record is intact in itself but names a predecessor other than `previous`, the last intact
 * record; if that predecessor is elsewhere in the table the records were reordered or some
 * inserted, if nowhere a record was removed (resolveUnlinked).
 */
export type ChainFinding =
  | { kind: AuditBreakKind; seq: number; record?: StoredAuditRecord; detail: string }
  | { kind: "unlinked"; seq: number; record: StoredAuditRecord; previous: ChainLink };

export class AuditChainChecker {
  private last: ChainLink;
  private pending: StoredAuditRecord | undefined;
  private finding: ChainFinding | undefined;
  /** Records judged intact. */
  checked = 0;

  /** From `anchor` (the record before the range, or CHAIN_START); `head` when the check runs to the chain's end. */
  constructor(
    anchor: ChainLink,
    private readonly head?: ChainLink,
  ) {
    this.last = anchor;
  }

  /** Feeds the next record in seq order; returns the first break once it is known. */
  push(record: StoredAuditRecord): ChainFinding | undefined {
    if (this.finding) return this.finding;
    if (this.pending) this.finding = this.judge(this.pending, record);
    this.pending = record;
    return this.finding;
  }

  /** After the last record: the first break, if any, including, with a head, records missing at the end. */
  end(): ChainFinding | undefined {
    if (!this.finding && this.pending) this.finding = this.judge(this.pending, undefined);
    this.pending = undefined;
    const head = this.head;
    if (this.finding || !head) return this.finding;
    if (this.last.seq < head.seq) {
      const missing = this.last.seq + 1 === head.seq ? `${head.seq}` : `${this.last.seq + 1}〜${head.seq}`;
      this.finding = { kind: "removed", seq: this.last.seq + 1, detail: `チェーンの末尾の記録 (seq ${missing}) がありません` };
    } else if (this.last.hash !== head.hash) {
      this.finding = { kind: "changed", seq: head.seq, detail: "最後の記録のハッシュがチェーンの先頭 (audit_chain_head) と一致しません (記録が作り直されたか、先頭が書き換えられています)" };
    }
    return this.finding;
  }

  private judge(record: StoredAuditRecord, next: StoredAuditRecord | undefined): ChainFinding | undefined {
    if (this.head && record.seq > this.head.seq) return { kind: "inserted", seq: record.seq, record, detail: `チェーンの先頭 (audit_chain_head、seq ${this.head.seq}) より後に追加されています` };
    const columns = columnsDiffer(record);
    const selfOk = auditHash(record.prevHash, record.body) === record.hash;
    const linkOk = record.prevHash === this.last.hash;
    if (!columns && selfOk && linkOk && record.seq === this.last.seq + 1) {
      this.checked++;
      this.last = { seq: record.seq, hash: record.hash };
      return undefined;
    }
    const seq = record.seq;
    if (!linkOk && next && record.prevHash === next.hash) return { kind: "reordered", seq, record, detail: `前にあるべき記録 seq ${next.seq} より前に置かれています` };
    if (next && next.prevHash === this.last.hash) return { kind: "inserted", seq, record, detail: `チェーンは seq ${this.last.seq} から seq ${next.seq} へ、この記録を飛ばしてつながっています` };
    if (columns) return { kind: "changed", seq, record, detail: columns };
    if (!selfOk) return { kind: "changed", seq, record, detail: "本文 (body) から計算したハッシュが保存されたハッシュと一致しません" };
    if (!linkOk) return { kind: "unlinked", seq, record, previous: { ...this.last } };
    return { kind: "changed", seq, record, detail: `seq が書き換えられています (${this.last.seq + 1} のはず)` };
  }
}

/**
 * Resolves an `unlinked` finding once the record whose hash the broken record names as its
 * predecessor has been looked up (`predecessorSeq`, undefined when no record has that hash).
 */
export function resolveUnlinked(finding: Extract<ChainFinding, { kind: "unlinked" }>, predecessorSeq: number | undefined): Exclude<ChainFinding, { kind: "unlinked" }> {
  const { record, previous, seq } = finding;
  if (predecessorSeq !== undefined && predecessorSeq > seq) return { kind: "reordered", seq, record, detail: `前にあるべき記録 seq ${predecessorSeq} より前に置かれています` };
  if (predecessorSeq !== undefined) {
    const inserted = predecessorSeq + 1 === previous.seq ? `${previous.seq}` : `${predecessorSeq + 1}〜${previous.seq}`;
    return { kind: "inserted", seq: predecessorSeq + 1, detail: `seq ${inserted} はチェーンに属しません: seq ${seq} の前の記録は seq ${predecessorSeq} です` };
  }
  const gap = seq - previous.seq - 1;
  return gap > 0
    ? { kind: "removed", seq, record, detail: `この記録の前の記録 (seq ${previous.seq + 1}${gap > 1 ? `〜${seq - 1}` : ""}) がありません` }
    : { kind: "removed", seq, record, detail: `この記録の前にあるべき記録がありません (削除されて seq が詰められたか、seq ${previous.seq} が作り直されています)` };
}

/** The indexed columns must say what the hashed body says; the first that does not is named. */
function columnsDiffer(record: StoredAuditRecord): string | undefined {
  let body: { at?: unknown; facilityCode?: unknown; personId?: unknown };
  try {
    body = JSON.parse(record.body) as typeof body;
  } catch {
    return "本文 (body) が JSON ではありません";
  }
  if (typeof body.at !== "string" || Date.parse(body.at) !== record.atMs) return `列 at (${new Date(record.atMs).toISOString()}) が本文の at と一致しません`;
  if (body.facilityCode !== record.facilityCode) return `列 facility_code (${record.facilityCode}) が本文の facilityCode と一致しません`;
  if (body.personId !== record.personId) return `列 person_id (${record.personId}) が本文の personId と一致しません`;
  return undefined;
}
