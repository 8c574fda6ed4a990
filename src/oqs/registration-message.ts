// The 照会番号 registration message's result (OQSsiimm01, and each row of OQSmuimm01/02). The result echoes
// the registration as sent, followed by its own ProcessingResultStatus (code and message only on
// error), the layout public clients parse (YUKI-ENT/MynaReception ReferenceNumberResultParser).
import { errorMessage, type ErrorCode } from "../errors/catalogue.ts";
import { compact, type XmlTree } from "./message-tree.ts";
import { ProcessingStatus } from "./response-builder.ts";

export const REGISTRATION_INFO = "ReferenceNumberRegistrationInfo";

export type RegistrationResult = { ok: true } | { ok: false; code: ErrorCode; element?: string };

/** One registration's result: the element as sent, then its status. */
export function registrationResultBody(info: XmlTree, result: RegistrationResult): XmlTree {
  return { [REGISTRATION_INFO]: info, ...registrationStatus(result) };
}

/** ProcessingResultStatus, with the code and message only when the registration was refused. */
export function registrationStatus(result: RegistrationResult): XmlTree {
  return compact({
    ProcessingResultStatus: result.ok ? ProcessingStatus.Normal : ProcessingStatus.Error,
    ProcessingResultCode: result.ok ? undefined : result.code,
    ProcessingResultMessage: result.ok ? undefined : errorMessage(result.code, result.element),
  });
}
