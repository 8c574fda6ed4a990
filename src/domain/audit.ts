// What onshi records of every view of a patient's medical information (issue 13 item 6): one event
// per view, whatever the route, appended in the same transaction as the view itself.
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
