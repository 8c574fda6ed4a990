import { test } from "node:test";
import assert from "node:assert/strict";
import { OqsError } from "../../src/errors/catalogue.ts";
import { readCheckHeader, readEnvelope, readSearchInfo } from "../../src/oqs/request-reader.ts";

const validInfo = {
  InsurerNumber: "01130012",
  InsuredCardSymbol: "1234",
  InsuredIdentificationNumber: "5678",
  InsuredBranchNumber: "00",
  Birthdate: "19800101",
  LimitApplicationCertificateRelatedConsFlg: "0",
};

test("a valid search key is read into the stored forms", () => {
  const reading = readSearchInfo({ ...validInfo, InsurerNumber: "  138057", LimitApplicationCertificateRelatedConsFlg: "1" });
  assert.deepEqual(reading, {
    ok: true,
    search: {
      key: { insurerNumber: "138057", insuredIdentificationNumber: "5678", insuredCardSymbol: "1234", insuredBranchNumber: "00" },
      birthdate: "19800101",
      limitConsent: true,
    },
  });
});

test("symbol and branch are optional", () => {
  const { InsuredCardSymbol, InsuredBranchNumber, ...rest } = validInfo;
  const reading = readSearchInfo(rest);
  assert.equal(reading.ok, true);
});

// Every kind of bad search key answers the person with its own code and the element at fault.
const badKeys: [string, Record<string, unknown>, string, string][] = [
  ["missing insurer", { InsurerNumber: undefined }, "E3001", "InsurerNumber"],
  ["empty insurer", { InsurerNumber: "" }, "E3001", "InsurerNumber"],
  ["insurer of 7 digits", { InsurerNumber: "0113001" }, "E3002", "InsurerNumber"],
  ["insurer with a letter", { InsurerNumber: "0113001X" }, "E3003", "InsurerNumber"],
  ["insurer with full-width digits", { InsurerNumber: "０１１３００１２" }, "E3003", "InsurerNumber"],
  ["insurer with a wrong check digit", { InsurerNumber: "01130013" }, "E3004", "InsurerNumber"],
  ["missing number", { InsuredIdentificationNumber: undefined }, "E3001", "InsuredIdentificationNumber"],
  ["number too long", { InsuredIdentificationNumber: "1".repeat(39) }, "E3002", "InsuredIdentificationNumber"],
  ["number with a control character", { InsuredIdentificationNumber: "56\u000778" }, "E3003", "InsuredIdentificationNumber"],
  ["symbol too long", { InsuredCardSymbol: "記".repeat(39) }, "E3002", "InsuredCardSymbol"],
  ["branch of 3 digits", { InsuredBranchNumber: "001" }, "E3002", "InsuredBranchNumber"],
  ["branch not digits", { InsuredBranchNumber: "0a" }, "E3003", "InsuredBranchNumber"],
  ["missing birth date", { Birthdate: undefined }, "E3001", "Birthdate"],
  ["impossible birth date", { Birthdate: "19800230" }, "E3005", "Birthdate"],
  ["birth date with separators", { Birthdate: "1980-01-01" }, "E3005", "Birthdate"],
  ["missing consent flag", { LimitApplicationCertificateRelatedConsFlg: undefined }, "E3001", "LimitApplicationCertificateRelatedConsFlg"],
  ["consent flag 2", { LimitApplicationCertificateRelatedConsFlg: "2" }, "E3006", "LimitApplicationCertificateRelatedConsFlg"],
  ["an element where text belongs", { Birthdate: { Year: "1980" } }, "E3003", "Birthdate"],
];

for (const [name, change, code, element] of badKeys) {
  test(`bad search key: ${name} → ${code}`, () => {
    const info = Object.fromEntries(
      Object.entries({ ...validInfo, ...change }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    assert.deepEqual(readSearchInfo(info), { ok: false, code, element });
  });
}

function throwsOqs(fn: () => unknown, code: string, element?: string) {
  assert.throws(fn, (e: unknown) => e instanceof OqsError && e.code === code && e.element === element);
}

test("envelope: anything but XmlMsg/MessageHeader/MessageBody is a structure error", () => {
  throwsOqs(() => readEnvelope(null), "E1004", "XmlMsg");
  throwsOqs(() => readEnvelope([]), "E1004", "XmlMsg");
  throwsOqs(() => readEnvelope({ xmlmsg: {} }), "E1004", "XmlMsg");
  throwsOqs(() => readEnvelope({ XmlMsg: { MessageBody: {} } }), "E1004", "MessageHeader");
  throwsOqs(() => readEnvelope({ XmlMsg: { MessageHeader: {}, MessageBody: "x" } }), "E1004", "MessageBody");
});

const header = { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "0110113719" };

test("header: each kind of bad value", () => {
  assert.deepEqual(readCheckHeader(header), { confirmationDate: "20260401", facilityCode: "0110113719", arbitraryFileIdentifier: undefined });
  throwsOqs(() => readCheckHeader({ ...header, QualificationConfirmationDate: "" }), "E1005", "QualificationConfirmationDate");
  throwsOqs(() => readCheckHeader({ ...header, QualificationConfirmationDate: "20260231" }), "E1008", "QualificationConfirmationDate");
  throwsOqs(() => readCheckHeader({ MedicalInstitutionCode: "0110113719" }), "E1005", "QualificationConfirmationDate");
  throwsOqs(() => readCheckHeader({ ...header, MedicalInstitutionCode: undefined as unknown as string }), "E1005", "MedicalInstitutionCode");
  throwsOqs(() => readCheckHeader({ ...header, MedicalInstitutionCode: "011011371" }), "E1006", "MedicalInstitutionCode");
  throwsOqs(() => readCheckHeader({ ...header, MedicalInstitutionCode: "01101137a9" }), "E1007", "MedicalInstitutionCode");
  throwsOqs(() => readCheckHeader({ ...header, MedicalInstitutionCode: "9910113719" }), "E1009", "MedicalInstitutionCode");
  throwsOqs(() => readCheckHeader({ ...header, MedicalInstitutionCode: "0110113718" }), "E1010", "MedicalInstitutionCode");
  throwsOqs(() => readCheckHeader({ ...header, MedicalInstitutionCode: { a: "b" } } as never), "E1004", "MedicalInstitutionCode");
});
