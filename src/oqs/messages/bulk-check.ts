// 一括照会 (OQSmuquc01/02, spec §2): the upload of many search keys, answered by a ReceptionNumber,
// and the download of their results (one BulkConfirmUnit per key, in input order).
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { ArbitraryFileIdentifier, CharacterCodeIdentifier, FacilityCode, ProcessExecutionTime, ReceptionNumber, SegmentOfResult, out } from "./fields.ts";
import { CheckRequestHeader, envelope, QualificationValidity, ResultOfQualificationConfirmation, SearchInfo } from "./qualification-check.ts";
import { ownAnswer, withCodes } from "./schema.ts";
import { ProcessingResultCode, ProcessingResultMessage, ProcessingResultStatus, ResponseHeader } from "./fields.ts";

/** Rows of an upload: at least one (E1005); each is answered on its own when the worker reaches it. */
export function uploadRows(row: TSchema, description: string) {
  return withCodes(Type.Array(ownAnswer(row, "rows"), { minItems: 1, description }), { missing: "E1005", structure: "E1004" });
}

export const BulkCheckUpload = envelope(CheckRequestHeader.properties, {
  QualificationConfirmSearchInfo: uploadRows(SearchInfo, "検索条件 (1件以上、入力順に結果を返す)"),
});
export type BulkCheckUpload = Static<typeof BulkCheckUpload>;

/** The answer to any upload (…01res). */
export const ReceptionAnswer = envelope(ResponseHeader.properties, {
  ReceptionNumber: Type.Optional(out("受付番号 20桁")),
  ReceptionDateTime: Type.Optional(out("受付日時 YYYYMMDDhhmmss")),
});

/** A download (…02req) of either two-phase kind. */
export const DownloadRequest = envelope(
  { MedicalInstitutionCode: FacilityCode, ArbitraryFileIdentifier },
  { ReceptionNumber },
);
export type DownloadRequest = Static<typeof DownloadRequest>;

/** A download's header (…02res), with the counts once done. */
export const DownloadHeader = Type.Object({
  ProcessExecutionTime,
  QualificationConfirmationDate: Type.Optional(out("資格を確認した日付")),
  MedicalInstitutionCode: Type.Optional(out("医療機関コード")),
  ArbitraryFileIdentifier: Type.Optional(out("任意のファイル識別子")),
  ReceptionNumber: Type.Optional(out("受付番号")),
  SegmentOfResult,
  ErrorCode: Type.Optional(out("エラーコード")),
  ErrorMessage: Type.Optional(out("エラーメッセージ")),
  NumberOfProcessingResult: Type.Optional(out("処理件数")),
  NumberOfNormalProcessing: Type.Optional(out("正常件数")),
  NumberOfError: Type.Optional(out("エラー件数")),
  CharacterCodeIdentifier,
});

export const BulkConfirmUnit = Type.Object(
  {
    QualificationConfirmSearchInfo: Type.Unknown({ description: "送った検索条件 (そのまま)" }),
    ProcessingResultStatus,
    ProcessingResultCode,
    ProcessingResultMessage,
    QualificationValidity: Type.Optional(QualificationValidity),
    ResultOfQualificationConfirmation: Type.Optional(Type.Array(ResultOfQualificationConfirmation, { minItems: 1 })),
    ReferenceNumber: Type.Optional(out("照会番号 (1人に該当したとき、照会した医療機関のもの)")),
  },
  { description: "1件の検索条件の結果 (入力順)" },
);

export const BulkCheckResult = envelope(DownloadHeader.properties, {
  BulkConfirmUnit: Type.Optional(Type.Array(BulkConfirmUnit)),
});

