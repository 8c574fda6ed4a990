// 照会番号一括登録 (OQSmuimm01/02, spec §7), the two phases of 一括照会 (reception-messages.ts)
// with registrations for rows: OQSmuimm01 stores many ReferenceNumberRegistrationInfo and answers
// a ReceptionNumber; the worker registers them in input order (processRegistrationChunk);
// OQSmuimm02 answers 処理中, then one BulkRegistrationUnit per row: the registration as sent and
// its own ProcessingResultStatus, the layout YUKI-ENT/MynaReception's ReferenceNumberResultParser
// reads.
import { readRegistrationHeader, readRegistrationInfo, REGISTRATION_INFO } from "../oqs/registration-message.ts";
import { isTree, type XmlTree } from "../oqs/message-tree.ts";
import type { HandlerAnswer, Problem } from "./message-handlers.ts";
import type { CallerOptions, OqsContext } from "./qualification-check.ts";
import { answerDownload, answerUpload, validateUpload, type ReceptionSpec } from "./reception-messages.ts";

export const REGISTRATION_RECEPTION: ReceptionSpec = {
  kind: "muimm",
  rowElement: REGISTRATION_INFO,
  unitElement: "BulkRegistrationUnit",
  readHeader: readRegistrationHeader,
  rowProblems(row): Problem[] {
    // Text where a registration belongs has no number: the worker answers it E6001 too.
    if (!isTree(row)) return [{ code: "E6001", element: "ReferenceNumber" }];
    const reading = readRegistrationInfo(row);
    return reading.ok ? [] : reading.problems;
  },
};

/** OQSmuimm01: validates and stores the registrations, answers their ReceptionNumber. */
export function answerBulkRegistrationUpload(ctx: OqsContext, request: XmlTree, caller: CallerOptions = {}): Promise<HandlerAnswer> {
  return answerUpload(REGISTRATION_RECEPTION, ctx, request, caller);
}

/** OQSmuimm02: 処理中 until every row is registered, then one result per row in input order. */
export function answerBulkRegistrationResult(ctx: OqsContext, request: XmlTree, caller: CallerOptions = {}): Promise<HandlerAnswer> {
  return answerDownload(REGISTRATION_RECEPTION, ctx, request, caller);
}

/** Problems of an OQSmuimm01 file that need no database: header, row count, every registration. */
export function validateBulkRegistrationUpload(request: XmlTree): Problem[] {
  return validateUpload(REGISTRATION_RECEPTION, request);
}
