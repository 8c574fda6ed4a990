// The messages onshi answers, by their file-name kind (spec §1.1), shared by every transport:
// the folder gateway picks the handler from the request file's name, the WebAPI from its route,
// and `onshi files validate` asks the same handler what is wrong with a file.
import type { ErrorCode } from "../errors/catalogue.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { answerBulkResult, answerBulkUpload, validateBulkUpload } from "./bulk-check.ts";
import { answerBulkRegistrationResult, answerBulkRegistrationUpload, validateBulkRegistrationUpload } from "./bulk-registration.ts";
import { answerQualificationCheck, type Answer, type CallerOptions, type OqsContext } from "./qualification-check.ts";
import { validateQualificationCheck } from "./qualification-check-validation.ts";
import { validateDownload } from "./reception-messages.ts";
import { answerReferenceNumberRegistration, validateReferenceNumberRegistration } from "./reference-numbers.ts";

export type MessageKind = "OQSsiquc01" | "OQSmuquc01" | "OQSmuquc02" | "OQSsiimm01" | "OQSmuimm01" | "OQSmuimm02";

/** What is wrong with a request, as the answer would report it. */
export interface Problem {
  code: ErrorCode;
  /** The element at fault (dotted path below XmlMsg when useful). */
  element?: string;
  /** The offending value, when there is one. */
  value?: string;
}

export interface HandlerAnswer extends Answer {
  /** Large results may be delivered zipped (spec §1.1: the 02 result may arrive as .zip). */
  zip?: boolean;
}

export interface MessageHandler {
  /** A bulk (mu…) message: the codec must read its repeated body elements as arrays. */
  bulk: boolean;
  answer(ctx: OqsContext, request: XmlTree, caller?: CallerOptions): Promise<HandlerAnswer>;
  /** Every problem the request has that needs no database to see; [] when it is well-formed. */
  validate(request: XmlTree): Problem[];
}

export const MESSAGE_HANDLERS: Record<MessageKind, MessageHandler> = {
  OQSsiquc01: { bulk: false, answer: answerQualificationCheck, validate: validateQualificationCheck },
  OQSsiimm01: { bulk: false, answer: answerReferenceNumberRegistration, validate: validateReferenceNumberRegistration },
  OQSmuquc01: { bulk: true, answer: answerBulkUpload, validate: validateBulkUpload },
  OQSmuquc02: { bulk: false, answer: answerBulkResult, validate: validateDownload },
  OQSmuimm01: { bulk: true, answer: answerBulkRegistrationUpload, validate: validateBulkRegistrationUpload },
  OQSmuimm02: { bulk: false, answer: answerBulkRegistrationResult, validate: validateDownload },
};
