// 照会番号 registration (spec §7): OQSsiimm01 registers one ReferenceNumberRegistrationInfo,
// OQSmuimm01/02 many in two phases. Each registration is answered on its own (E6xxx, E3xxx for its
// quartet): the registration as sent, then its ProcessingResultStatus (the layout of YUKI-ENT/
// MynaReception ReferenceNumberResultParser).
import { Type, type Static } from "@sinclair/typebox";
import { ArbitraryFileIdentifier, FacilityCode, InsuranceKey, OtherKeyElement, ProcessingResultCode, ProcessingResultMessage, ProcessingResultStatus, ResponseHeader } from "./fields.ts";
import { DownloadHeader, uploadRows } from "./bulk-check.ts";
import { envelope } from "./qualification-check.ts";
import { compile, ownAnswer, text } from "./schema.ts";

export const RegistrationInfo = Type.Object(
  {
    ReferenceNumber: text(
      { missing: "E6001", structure: "E6003", length: "E6002", characters: "E6003" },
      { description: "照会番号 (診察券番号) 半角英数字とハイフン 1～50文字", example: "0012345", check: "referenceNumber" },
    ),
    ...InsuranceKey,
  },
  { additionalProperties: OtherKeyElement, description: "登録する照会番号と、患者を特定する保険者番号・記号・番号・枝番" },
);
export type RegistrationInfo = Static<typeof RegistrationInfo>;
export const REGISTRATION_INFO_SCHEMA = compile(RegistrationInfo);

export const RegistrationHeader = Type.Object({ MedicalInstitutionCode: FacilityCode, ArbitraryFileIdentifier });

export const RegistrationRequest = envelope(RegistrationHeader.properties, {
  ReferenceNumberRegistrationInfo: ownAnswer(RegistrationInfo, "parent", { missing: "E1005", structure: "E1004" }),
});
export type RegistrationRequest = Static<typeof RegistrationRequest>;

/** A registration's own result, after the registration as sent. */
export const registrationStatus = { ProcessingResultStatus, ProcessingResultCode, ProcessingResultMessage };

export const RegistrationAnswer = envelope(ResponseHeader.properties, {
  ReferenceNumberRegistrationInfo: Type.Optional(Type.Unknown({ description: "送った登録内容 (そのまま)" })),
  ...registrationStatus,
  ProcessingResultStatus: Type.Optional(ProcessingResultStatus),
});

export const BulkRegistrationUpload = envelope(RegistrationHeader.properties, {
  ReferenceNumberRegistrationInfo: uploadRows(RegistrationInfo, "登録 (1件以上、入力順に登録する)"),
});
export type BulkRegistrationUpload = Static<typeof BulkRegistrationUpload>;

export const BulkRegistrationUnit = Type.Object(
  {
    ReferenceNumberRegistrationInfo: Type.Unknown({ description: "送った登録内容 (そのまま)" }),
    ...registrationStatus,
  },
  { description: "1件の登録の結果 (入力順)" },
);

export const BulkRegistrationResult = envelope(DownloadHeader.properties, {
  BulkRegistrationUnit: Type.Optional(Type.Array(BulkRegistrationUnit)),
});
