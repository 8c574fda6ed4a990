// The bulk kinds of オンライン診療・訪問診療 (OQSmuonq01/02, OQSmuhvq01/02) and 医療扶助 (OQSmutic01/02;
// spec §1.1, §2 last bullets): the two-phase envelope of 一括照会 with other search keys. The upload names a range of
// consent days (or, for オンライン診療, booked examination days) and the kind's MedicalTreatmentFlag,
// as YUKI-ENT/OQSDrug2 BulkQualificationService.cs writes it: header MedicalInstitutionCode and
// ArbitraryFileIdentifier only, one QualificationConfirmSearchInfo in the body. Each person whose
// consent matches is one BulkConfirmUnit of the download.
import { Type } from "@sinclair/typebox";
import { REMOTE_CATEGORIES } from "../../domain/remote-consent.ts";
import { uploadRows, BulkConfirmUnit, DownloadHeader } from "./bulk-check.ts";
import { ArbitraryFileIdentifier, FacilityCode, OtherKeyElement, out, outCode } from "./fields.ts";
import { envelope, ResultOfQualificationConfirmation } from "./qualification-check.ts";
import { code, text } from "./schema.ts";

const searchDay = (description: string) =>
  Type.Optional(text({ structure: "E8815", length: "E8815", characters: "E8815", date: "E8815" }, { description: `${description} YYYYMMDD`, example: "20260401", check: "yyyymmdd" }));

/** One search of OQSmuonq01 / OQSmuhvq01: a pair of days and the kind's flag (answered per search: E8810–E8815). */
export const RemoteSearchInfo = Type.Object(
  {
    ConsentDateFrom: searchDay("同意日 (から)"),
    ConsentDateTo: searchDay("同意日 (まで)"),
    ExaminationDateFrom: searchDay("受診日 (から、オンライン診療のみ)"),
    ExaminationDateTo: searchDay("受診日 (まで、オンライン診療のみ)"),
    MedicalTreatmentFlag: code(["2", "3"], { missing: "E8810", structure: "E8810", value: "E8810" }, {
      description: "診療区分 2:訪問診療 (OQSmuhvq) 3:オンライン診療 (OQSmuonq)",
      example: "3",
    }),
  },
  { additionalProperties: OtherKeyElement, description: "検索条件: 同意日または受診日の範囲 (366日以内) と診療区分" },
);

const RemoteHeader = { MedicalInstitutionCode: FacilityCode, ArbitraryFileIdentifier };

export const RemoteBulkUpload = envelope(RemoteHeader, {
  QualificationConfirmSearchInfo: uploadRows(RemoteSearchInfo, "検索条件 (1件以上、検索ごとに該当者を返す)"),
});

/** A listed person's result: 一括照会's, then the home consent's categories in the bulk results' spelling. */
export const RemoteResultOfQualificationConfirmation = Type.Object(
  {
    ...ResultOfQualificationConfirmation.properties,
    ...Object.fromEntries(
      Object.values(REMOTE_CATEGORIES).flatMap((prefix) => [
        [`${prefix}ConsFlg`, Type.Optional(outCode(["0", "1"], `${prefix} の提供への居宅での同意 0:なし 1:あり`))],
        [`${prefix}ConsTime`, Type.Optional(out("居宅で同意した日時 YYYYMMDDhhmmss"))],
      ]),
    ),
  },
  { description: "資格情報と居宅での同意 (該当者ごと)" },
);

export const RemoteConfirmUnit = Type.Object(
  {
    ...BulkConfirmUnit.properties,
    ResultOfQualificationConfirmation: Type.Optional(Type.Array(RemoteResultOfQualificationConfirmation, { minItems: 1 })),
  },
  { description: "該当者1人の結果 (検索条件をそのまま先頭に)。検索条件の誤りは ProcessingResultStatus 2 の1件" },
);

export const RemoteBulkResult = envelope(DownloadHeader.properties, {
  BulkConfirmUnit: Type.Optional(Type.Array(RemoteConfirmUnit)),
});

/** One search of OQSmutic01: the facility's 医療券 of one 診療年月 (answered per search: E8818). */
export const MedicalAidSearchInfo = Type.Object(
  {
    MedicalTreatmentMonth: text(
      { missing: "E8818", structure: "E8818", length: "E8818", characters: "E8818", date: "E8818" },
      { description: "診療年月 YYYYMM (この医療機関あての医療券の)", example: "202604", check: "yyyymm" },
    ),
  },
  { additionalProperties: OtherKeyElement, description: "検索条件: 診療年月" },
);

export const MedicalAidBulkUpload = envelope(RemoteHeader, {
  QualificationConfirmSearchInfo: uploadRows(MedicalAidSearchInfo, "検索条件 (1件以上、検索ごとに医療券のある人を返す)"),
});
