import { test } from "node:test";
import assert from "node:assert/strict";
// The message schemas (src/oqs/messages): each kind of violation gets its code, the search key
// is read into the stored forms, and the schemas say which elements repeat.
import { MESSAGE_SCHEMAS } from "../../src/oqs/messages/index.ts";
import { readSearch } from "../../src/services/qualification-check.ts";

const validInfo = {
  InsurerNumber: "01130012",
  InsuredCardSymbol: "1234",
  InsuredIdentificationNumber: "5678",
  InsuredBranchNumber: "00",
  Birthdate: "19800101",
  LimitApplicationCertificateRelatedConsFlg: "0",
};

test("a valid search key is read into the stored forms", () => {
  const reading = readSearch({ ...validInfo, InsurerNumber: "  138057", LimitApplicationCertificateRelatedConsFlg: "1" });
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
  const reading = readSearch(rest);
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
    const reading = readSearch(info);
    assert.equal(reading.ok, false);
    if (!reading.ok) assert.deepEqual([reading.problems[0]!.code, reading.problems[0]!.element], [code, element]);
  });
}

const check = (message: unknown) => MESSAGE_SCHEMAS.OQSsiquc01.request.check(message).map((p) => [p.code, p.element]);

test("envelope: anything but XmlMsg/MessageHeader/MessageBody is a structure error", () => {
  assert.deepEqual(check(null), [["E1004", undefined]]);
  assert.deepEqual(check([]), [["E1004", undefined]]);
  assert.deepEqual(check({ xmlmsg: {} }), [["E1004", "XmlMsg"]]);
  assert.deepEqual(check({ XmlMsg: { MessageBody: {} } })[0], ["E1004", "MessageHeader"]);
  assert.deepEqual(check({ XmlMsg: { MessageHeader: {}, MessageBody: "x" } }).at(-1), ["E1004", "MessageBody"]);
});

const header = { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "0110113719" };
const withHeader = (h: Record<string, unknown>) => ({ XmlMsg: { MessageHeader: h, MessageBody: { QualificationConfirmSearchInfo: { A: "1" } } } });

test("header: each kind of bad value", () => {
  assert.deepEqual(check(withHeader(header)), []);
  const cases: [Record<string, unknown>, string, string][] = [
    [{ ...header, QualificationConfirmationDate: "" }, "E1005", "QualificationConfirmationDate"],
    [{ ...header, QualificationConfirmationDate: "20260231" }, "E1008", "QualificationConfirmationDate"],
    [{ MedicalInstitutionCode: "0110113719" }, "E1005", "QualificationConfirmationDate"],
    [{ ...header, MedicalInstitutionCode: undefined }, "E1005", "MedicalInstitutionCode"],
    [{ ...header, MedicalInstitutionCode: "011011371" }, "E1006", "MedicalInstitutionCode"],
    [{ ...header, MedicalInstitutionCode: "01101137a9" }, "E1007", "MedicalInstitutionCode"],
    [{ ...header, MedicalInstitutionCode: "9910113719" }, "E1009", "MedicalInstitutionCode"],
    [{ ...header, MedicalInstitutionCode: "0110113718" }, "E1010", "MedicalInstitutionCode"],
    [{ ...header, MedicalInstitutionCode: { a: "b" } }, "E1004", "MedicalInstitutionCode"],
    [{ ...header, ArbitraryFileIdentifier: { a: "b" } }, "E1004", "ArbitraryFileIdentifier"],
  ];
  for (const [h, code, element] of cases) assert.deepEqual(check(withHeader(h)), [[code, element]], JSON.stringify(h));
});

test("every element at fault is reported, in element order, one code each", () => {
  const problems = check({
    XmlMsg: { MessageHeader: { MedicalInstitutionCode: "12", QualificationConfirmationDate: "2026" }, MessageBody: {} },
  });
  assert.deepEqual(problems, [
    ["E1008", "QualificationConfirmationDate"],
    ["E1006", "MedicalInstitutionCode"],
    ["E1005", "QualificationConfirmSearchInfo"],
  ]);
});
