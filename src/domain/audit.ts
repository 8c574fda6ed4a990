// What onshi records of every view of a patient's medical information (issue 13 item 6): one event
// per view, whatever the route, appended in the same transaction as the view itself.
import { createHash } from "node:crypto";
import type { ErrorCode } from "../errors/catalogue.ts";
import type { MedicalInfoCategory } from "./medical-history.ts";

/** The licensed or clerical role of a facility's staff account (資格確認端末 閲覧画面). */
export type StaffRole = "doctor" | "dentist" | "pharmacist" | "nurse" | "clerk";

/** The route a view came by: a req-folder file, the WebAPI, or the terminal page. */
export type AuditChannel = "file" | "webapi" | "terminal";

/** Who viewed: a staff account signed in to the terminal page, or the facility's system (file, WebAPI). */
export type AuditActor = { kind: "staff"; account: string; role: StaffRole } | { kind: "system" };

/** What allowed the view: the patient's consent from a card check, or a declared disaster. */
export type AuditBasis =
  | { kind: "consent"; consTime: Date }
  | { kind: "disaster"; declarationId: number; consent: "oral" | "none" };

export interface AuditEvent {
  at: Date;
  facilityCode: string;
  actor: AuditActor;
  channel: AuditChannel;
  personId: number;
  categories: MedicalInfoCategory[];
  /** Absent for a refused view, which is recorded all the same. */
  basis?: AuditBasis;
  /** "shown", or the code the view was refused with. */
  result: "shown" | ErrorCode;
}

/** The prev_hash of the chain's first record. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * The canonical serialisation of an event, the text the chain hashes (docs/audit.md): JSON with no
 * spaces, keys in this fixed order, times as ISO 8601 UTC with milliseconds, categories sorted,
 * an absent basis as null. It is stored as it is hashed, so a verifier never re-serialises.
 */
export function auditBody(event: AuditEvent): string {
  const actor = event.actor.kind === "staff" ? { kind: "staff", account: event.actor.account, role: event.actor.role } : { kind: "system" };
  const basis = !event.basis
    ? null
    : event.basis.kind === "consent"
      ? { kind: "consent", consTime: event.basis.consTime.toISOString() }
      : { kind: "disaster", declarationId: event.basis.declarationId, consent: event.basis.consent };
  return JSON.stringify({
    at: event.at.toISOString(),
    facilityCode: event.facilityCode,
    actor,
    channel: event.channel,
    personId: event.personId,
    categories: [...event.categories].sort(),
    basis,
    result: event.result,
  });
}

/** A record's hash: hex SHA-256 of the UTF-8 of the previous record's hash, a line feed, and the body. */
export function auditHash(prevHash: string, body: string): string {
  return createHash("sha256").update(`${prevHash}\n${body}`, "utf8").digest("hex");
}
