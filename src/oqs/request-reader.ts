// Reads and validates the parts of a request tree. Problems with the envelope or header answer
// the whole message (OqsError → SegmentOfResult 9); problems with one search key are answered
// for that person (ProcessingResultStatus 2), so a bulk request loses no other row.
import { isValidYyyymmdd } from "../domain/dates.ts";
import { facilityCodeProblem } from "../domain/facility-code.ts";
import { parseInsurerNumber } from "../domain/insurer-number.ts";
import type { SearchKey } from "../store/qualification-store.ts";
import { OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { isTree, type XmlTree } from "./message-tree.ts";

export interface Envelope {
  header: XmlTree;
  body: XmlTree;
}

export function readEnvelope(message: unknown): Envelope {
  const root = isTree(message) ? message.XmlMsg : undefined;
  if (!isTree(root)) throw new OqsError("E1004", "XmlMsg");
  const { MessageHeader: header, MessageBody: body } = root;
  if (!isTree(header)) throw new OqsError("E1004", "MessageHeader");
  if (!isTree(body)) throw new OqsError("E1004", "MessageBody");
  return { header, body };
}

/** A leaf's text, or undefined when absent; an element where text belongs is a structure error. */
export function leaf(parent: XmlTree, name: string): string | undefined {
  const value = parent[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new OqsError("E1004", name);
  return value;
}

export function requiredLeaf(parent: XmlTree, name: string): string {
  const value = leaf(parent, name);
  if (value === undefined) throw new OqsError("E1005", name);
  return value;
}

export function readDate(parent: XmlTree, name: string): string {
  const value = requiredLeaf(parent, name);
  if (!isValidYyyymmdd(value)) throw new OqsError("E1008", name);
  return value;
}

export function readFacilityCode(parent: XmlTree, name = "MedicalInstitutionCode"): string {
  const code = requiredLeaf(parent, name);
  const problem = facilityCodeProblem(code);
  if (problem === "length") throw new OqsError("E1006", name);
  if (problem === "digits") throw new OqsError("E1007", name);
  if (problem === "prefecture") throw new OqsError("E1009", name);
  if (problem === "checkDigit") throw new OqsError("E1010", name);
  return code;
}

export interface CheckHeader {
  confirmationDate: string;
  facilityCode: string;
  arbitraryFileIdentifier?: string;
}

export function readCheckHeader(header: XmlTree): CheckHeader {
  return {
    confirmationDate: readDate(header, "QualificationConfirmationDate"),
    facilityCode: readFacilityCode(header),
    arbitraryFileIdentifier: leaf(header, "ArbitraryFileIdentifier"),
  };
}

export interface SearchRequest {
  key: SearchKey;
  birthdate: string;
  limitConsent: boolean;
}

export type SearchReading = { ok: true; search: SearchRequest } | { ok: false; code: ErrorCode; element: string };

// Lengths as the card faces allow (記号・番号 are printed in up to 38 bytes in the receipt spec).
const MAX_SYMBOL_LENGTH = 38;
const MAX_NUMBER_LENGTH = 38;

export type KeyReading = { ok: true; key: SearchKey } | { ok: false; code: ErrorCode; element: string };

const textOf = (info: XmlTree, name: string) => {
  const value = info[name];
  return typeof value === "string" && value !== "" ? value : undefined;
};

/** Validates one QualificationConfirmSearchInfo; never throws for its values. */
export function readSearchInfo(info: XmlTree): SearchReading {
  const fail = (code: ErrorCode, element: string): SearchReading => ({ ok: false, code, element });
  const text = (name: string) => textOf(info, name);
  for (const name of Object.keys(info)) if (typeof info[name] !== "string") return fail("E3003", name);

  const key = readInsuranceKey(info);
  if (!key.ok) return key;

  const birthdate = text("Birthdate");
  if (birthdate === undefined) return fail("E3001", "Birthdate");
  if (!isValidYyyymmdd(birthdate)) return fail("E3005", "Birthdate");

  const consent = text("LimitApplicationCertificateRelatedConsFlg");
  if (consent === undefined) return fail("E3001", "LimitApplicationCertificateRelatedConsFlg");
  if (consent !== "0" && consent !== "1") return fail("E3006", "LimitApplicationCertificateRelatedConsFlg");

  return { ok: true, search: { key: key.key, birthdate, limitConsent: consent === "1" } };
}

/**
 * The insurance quartet (InsurerNumber, InsuredCardSymbol, InsuredIdentificationNumber,
 * InsuredBranchNumber) of a search key or of a 照会番号 registration; never throws for its values.
 */
export function readInsuranceKey(info: XmlTree): KeyReading {
  const fail = (code: ErrorCode, element: string): KeyReading => ({ ok: false, code, element });
  const text = (name: string) => textOf(info, name);

  const insurerRaw = text("InsurerNumber");
  if (insurerRaw === undefined) return fail("E3001", "InsurerNumber");
  const insurer = parseInsurerNumber(insurerRaw);
  if (!insurer.ok) {
    const code = insurer.problem === "length" ? "E3002" : insurer.problem === "digits" ? "E3003" : "E3004";
    return fail(code, "InsurerNumber");
  }

  const number = text("InsuredIdentificationNumber");
  if (number === undefined) return fail("E3001", "InsuredIdentificationNumber");
  if (number.length > MAX_NUMBER_LENGTH) return fail("E3002", "InsuredIdentificationNumber");
  if (/[\p{Cc}]/u.test(number)) return fail("E3003", "InsuredIdentificationNumber");

  const symbol = text("InsuredCardSymbol");
  if (symbol !== undefined && symbol.length > MAX_SYMBOL_LENGTH) return fail("E3002", "InsuredCardSymbol");
  if (symbol !== undefined && /[\p{Cc}]/u.test(symbol)) return fail("E3003", "InsuredCardSymbol");

  const branch = text("InsuredBranchNumber");
  if (branch !== undefined && branch.length !== 2) return fail("E3002", "InsuredBranchNumber");
  if (branch !== undefined && !/^[0-9]{2}$/.test(branch)) return fail("E3003", "InsuredBranchNumber");

  return {
    ok: true,
    key: { insurerNumber: insurer.value, insuredIdentificationNumber: number, insuredCardSymbol: symbol, insuredBranchNumber: branch },
  };
}
