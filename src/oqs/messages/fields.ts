// Elements many message kinds share (spec §1.4): the request header's, the insurance quartet of a
// search key or a registration, and the response header's.
import { Type } from "@sinclair/typebox";
import { code, text } from "./schema.ts";

/** Text without control characters (記号・番号 are printed on the card). */
export const NO_CONTROL = "^\\P{Cc}*$";
// Lengths as the card faces allow (記号・番号 are printed in up to 38 bytes in the receipt spec).
export const MAX_SYMBOL_LENGTH = 38;
export const MAX_NUMBER_LENGTH = 38;

export const ConfirmationDate = text(
  { missing: "E1005", structure: "E1004", date: "E1008" },
  { description: "資格を確認する日付 YYYYMMDD", example: "20260401", check: "yyyymmdd" },
);

export const FacilityCode = text(
  { missing: "E1005", structure: "E1004", length: "E1006", characters: "E1007", prefecture: "E1009", checkDigit: "E1010" },
  { description: "医療機関コード 10桁 (都道府県番号2桁・点数表番号1桁・医療機関番号7桁。最後の1桁は検証番号)", example: "1310100019", check: "facilityCode" },
);

export const ArbitraryFileIdentifier = Type.Optional(
  text({ structure: "E1004" }, { description: "任意のファイル識別子 (応答にそのまま返す)" }),
);

export const ReceptionNumber = text(
  { missing: "E1005", structure: "E1004", length: "E1006", characters: "E1007" },
  { description: "受付番号 20桁 (アップロードの応答で返されたもの)", example: "20260401093000123456", check: "receptionNumber" },
);

/** The insurance quartet; the codes are per person (E3xxx). */
export const InsuranceKey = {
  InsurerNumber: text(
    { missing: "E3001", structure: "E3003", length: "E3002", characters: "E3003", checkDigit: "E3004" },
    { description: "保険者番号 (8桁、国保は6桁を前に空白2つで8桁に)", example: "01130012", check: "insurerNumber" },
  ),
  InsuredCardSymbol: Type.Optional(
    text({ structure: "E3003", length: "E3002", characters: "E3003" }, { description: "被保険者証記号", example: "1234", maxLength: MAX_SYMBOL_LENGTH, pattern: NO_CONTROL }),
  ),
  InsuredIdentificationNumber: text(
    { missing: "E3001", structure: "E3003", length: "E3002", characters: "E3003" },
    { description: "被保険者証番号", example: "5678", minLength: 1, maxLength: MAX_NUMBER_LENGTH, pattern: NO_CONTROL },
  ),
  InsuredBranchNumber: Type.Optional(
    text({ structure: "E3003", length: "E3002", characters: "E3003" }, { description: "枝番 2桁", example: "00", minLength: 2, maxLength: 2, pattern: "^[0-9]*$" }),
  ),
};

/** A search key's or a registration's element that is not one of its own: text, else E3003. */
export const OtherKeyElement = text({ structure: "E3003" }, { description: "その他の要素 (文字列)" });

export const Birthdate = text({ missing: "E3001", structure: "E3003", date: "E3005" }, { description: "生年月日 YYYYMMDD", example: "19800101", check: "yyyymmdd" });

// ---- response elements (what onshi writes; the check of an answer is for tests and OpenAPI) ----

const out = (description: string) => text({}, { description });
const outCode = <const V extends readonly string[]>(values: V, description: string) => code(values, {}, { description });

export const ProcessExecutionTime = out("処理実行日時 YYYYMMDDhhmmss (日本時間)");
/** OQSCD003. */
export const SegmentOfResult = outCode(["1", "2", "9"], "処理結果区分 1:正常終了 2:処理中 9:異常終了");
/** OQSCD005. */
export const CharacterCodeIdentifier = outCode(["0", "1"], "文字コード識別 0:UTF-8 1:Shift_JIS");
/** OQSCD004. */
export const ProcessingResultStatus = outCode(["1", "2"], "処理結果状況 1:正常 2:エラー");

/** The response header of a single message (…01res): the request's header echoed around the result's. */
export const ResponseHeader = Type.Object({
  ProcessExecutionTime,
  QualificationConfirmationDate: Type.Optional(out("資格を確認した日付 (要求のとおり)")),
  MedicalInstitutionCode: Type.Optional(out("医療機関コード (要求のとおり)")),
  ArbitraryFileIdentifier: Type.Optional(out("任意のファイル識別子 (要求のとおり)")),
  ReferenceClassification: Type.Optional(outCode(["1", "2"], "照会区分 1:マイナンバーカード 2:被保険者証")),
  SegmentOfResult,
  ErrorCode: Type.Optional(out("エラーコード (SegmentOfResult 9 のとき。docs/error-codes.md)")),
  ErrorMessage: Type.Optional(out("エラーメッセージ")),
  CharacterCodeIdentifier,
});

/** A per-person or per-registration error: ProcessingResultCode and ProcessingResultMessage. */
export const ProcessingResultCode = Type.Optional(out("処理結果コード (エラーのとき、または補足情報)"));
export const ProcessingResultMessage = Type.Optional(out("処理結果メッセージ"));

export { out, outCode };
