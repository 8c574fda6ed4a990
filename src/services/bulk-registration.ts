// 照会番号一括登録 (OQSmuimm01/02, spec §7), the two phases of 一括照会 (reception-messages.ts)
// with registrations for rows: OQSmuimm01 stores many ReferenceNumberRegistrationInfo and answers
// a ReceptionNumber; the worker registers them in input order (processRegistrationChunk);
// OQSmuimm02 answers 処理中, then one BulkRegistrationUnit per row: the registration as sent and
// its own ProcessingResultStatus, the layout YUKI-ENT/MynaReception's ReferenceNumberResultParser
// reads.
import { isTree } from "../oqs/message-tree.ts";
import { REGISTRATION_INFO_SCHEMA } from "../oqs/messages/reference-number.ts";
import { REGISTRATION_INFO } from "../oqs/registration-message.ts";
import { downloadHandler, uploadHandler, type ReceptionSpec } from "./reception-messages.ts";

export const REGISTRATION_RECEPTION: ReceptionSpec = {
  kind: "muimm",
  rowElement: REGISTRATION_INFO,
  unitElement: "BulkRegistrationUnit",
  // Text where a registration belongs has no number: the worker answers it E6001 too.
  rowProblems: (row) => (isTree(row) ? REGISTRATION_INFO_SCHEMA.check(row) : [{ code: "E6001", element: "ReferenceNumber", path: ["ReferenceNumber"] }]),
};

/** OQSmuimm01: stores the registrations, answers their ReceptionNumber. */
export const BULK_REGISTRATION_UPLOAD = uploadHandler(REGISTRATION_RECEPTION);
/** OQSmuimm02: 処理中 until every row is registered, then one result per row in input order. */
export const BULK_REGISTRATION_RESULT = downloadHandler(REGISTRATION_RECEPTION);
