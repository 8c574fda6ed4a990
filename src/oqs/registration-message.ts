// The 照会番号 registration message (OQSsiimm01, and each row of OQSmuimm01/02): reading its
// header and ReferenceNumberRegistrationInfo, and building the result body. The result echoes
// the registration as sent, followed by its own ProcessingResultStatus (code and message only on
// error), the layout public clients parse (YUKI-ENT/MynaReception ReferenceNumberResultParser).
import { referenceNumberProblem } from "../domain/reference-number.ts";
import type { Problem } from "../services/message-handlers.ts";
import type { SearchKey } from "../store/qualification-store.ts";
import { errorMessage, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { compact, isTree, type XmlTree } from "./message-tree.ts";
import { leaf, readEnvelope, readFacilityCode, readInsuranceKey } from "./request-reader.ts";
import { ProcessingStatus } from "./response-builder.ts";

export const REGISTRATION_INFO = "ReferenceNumberRegistrationInfo";

export interface RegistrationHeader {
  facilityCode: string;
  arbitraryFileIdentifier?: string;
}

/** The MessageHeader of a registration request (single or bulk upload); throws OqsError. */
export function readRegistrationHeader(header: XmlTree): RegistrationHeader {
  return { facilityCode: readFacilityCode(header), arbitraryFileIdentifier: leaf(header, "ArbitraryFileIdentifier") };
}

/** The header and the body's registration element(s) of a registration request; throws OqsError. */
export function readRegistrationRequest(request: unknown): { header: RegistrationHeader; info: XmlTree | XmlTree[] } {
  const envelope = readEnvelope(request);
  const header = readRegistrationHeader(envelope.header);
  const info = envelope.body[REGISTRATION_INFO];
  if (info === undefined || info === "") throw new OqsError("E1005", REGISTRATION_INFO);
  if (Array.isArray(info) ? !info.every(isTree) : !isTree(info)) throw new OqsError("E1004", REGISTRATION_INFO);
  return { header, info: info as XmlTree | XmlTree[] };
}

export interface Registration {
  referenceNumber: string;
  key: SearchKey;
}

export type RegistrationReading = { ok: true; registration: Registration } | { ok: false; problems: Problem[] };

/** Validates one ReferenceNumberRegistrationInfo, reporting every element at fault; never throws. */
export function readRegistrationInfo(info: XmlTree): RegistrationReading {
  const problems: Problem[] = [];
  const raw = info.ReferenceNumber;
  if (raw === undefined || raw === "") problems.push({ code: "E6001", element: "ReferenceNumber" });
  else if (typeof raw !== "string") problems.push({ code: "E6003", element: "ReferenceNumber" });
  else {
    const problem = referenceNumberProblem(raw);
    if (problem) problems.push({ code: problem === "length" ? "E6002" : "E6003", element: "ReferenceNumber", value: raw });
  }
  const nested = Object.keys(info).find((name) => name !== "ReferenceNumber" && typeof info[name] !== "string");
  const key = nested === undefined ? readInsuranceKey(info) : ({ ok: false, code: "E3003", element: nested } as const);
  if (!key.ok) {
    const value = info[key.element];
    problems.push({ code: key.code, element: key.element, ...(typeof value === "string" && value !== "" ? { value } : {}) });
  }
  if (problems.length > 0 || !key.ok) return { ok: false, problems };
  return { ok: true, registration: { referenceNumber: raw as string, key: key.key } };
}

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
