// 薬剤情報 (YZKsiquc01) and 特定健診情報 (TKKsiquc01) (spec §3): the request, whose element names
// differ from the qualification request's, and the answers. The drug answer has three roots, one
// per source of a record: MeTrMonthInf (from receipts), ShPrInf/ShPrMonthInf (電子処方箋 処方) and
// CzDiInf/CzDiMonthInf (調剤), the same structure under names with a Sh…/Cz… twin each (the names as
// a public client, OQSDrug, reads them). Where the spec leaves a place or a value open, the
// description says "onshi の解釈" (docs/interface.md shows them).
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import {
  ArbitraryFileIdentifier,
  CharacterCodeIdentifier,
  FacilityCode,
  MAX_NUMBER_LENGTH,
  MAX_SYMBOL_LENGTH,
  NO_CONTROL,
  ProcessExecutionTime,
  SegmentOfResult,
  out,
  outCode,
} from "./fields.ts";
import { envelope } from "./qualification-check.ts";
import { code, text } from "./schema.ts";

// ---- the request ----

const RequestHeader = {
  MedicalInstitutionCode: FacilityCode,
  InsurerNumber: text(
    { missing: "E1005", structure: "E1004", length: "E1006", characters: "E1007", checkDigit: "E1014" },
    { description: "保険者番号 (8桁、国保は6桁を前に空白2つで8桁に)", example: "01130012", check: "insurerNumber" },
  ),
  InsuranceCardSymbol: Type.Optional(
    text({ structure: "E1004", length: "E1006", characters: "E1017" }, { description: "被保険者証記号", example: "4410", maxLength: MAX_SYMBOL_LENGTH, pattern: NO_CONTROL }),
  ),
  InsuredPersonIdentificationNumber: text(
    { missing: "E1005", structure: "E1004", length: "E1006", characters: "E1017" },
    { description: "被保険者証番号", example: "8001", minLength: 1, maxLength: MAX_NUMBER_LENGTH, pattern: NO_CONTROL },
  ),
  BranchNumber: Type.Optional(
    text({ structure: "E1004", length: "E1006", characters: "E1007" }, { description: "枝番 2桁 (家族が同じ記号・番号のときは必要)", example: "00", minLength: 2, maxLength: 2, pattern: "^[0-9]*$" }),
  ),
  ArbitraryFileIdentifier,
};

const month = (description: string, required: boolean) => {
  const leaf = text({ missing: "E1005", structure: "E1004", date: "E1015" }, { description: `${description} YYYYMM`, example: "202404", check: "yyyymm" });
  return required ? leaf : Type.Optional(leaf);
};

const requestFlags = {
  PrDiInfClassification: Type.Optional(
    code(["1"], { structure: "E1004", value: "E1009" }, { description: "処方・調剤情報区分 (公開された値は 1 のみ。onshi の解釈: 意味は公開されておらず、受け付けて答えは変わらない)", example: "1" }),
  ),
  MedicalTreatmentFlag: Type.Optional(
    code(["1", "2", "3"], { structure: "E1004", value: "E1009" }, {
      description: "診療区分 1:通常 2:訪問診療 3:オンライン診療 (onshi の解釈: どれもカードリーダーでの同意を要し、答えは変わらない)",
      example: "1",
    }),
  ),
};

export const DrugInfoRequest = envelope(RequestHeader, {
  StartDate: month("取得する期間の開始年月 (診療月・処方月・調剤月)", true),
  EndDate: month("取得する期間の終了年月 (この月を含む)", true),
  FileCategory: code(["1", "2", "3", "4"], { missing: "E1005", structure: "E1004", value: "E1009" }, {
    description: "ファイル種別 1:薬剤情報 PDF 2:薬剤情報 XML 3:薬剤情報と診療情報の PDF 4:薬剤情報と診療情報の XML",
    example: "2",
  }),
  ...requestFlags,
});
export type DrugInfoRequest = Static<typeof DrugInfoRequest>;

export const CheckupInfoRequest = envelope(RequestHeader, {
  StartDate: month("取得する期間の開始年月 (onshi の解釈: 省略すると保存されている5年分すべて)", false),
  EndDate: month("取得する期間の終了年月 (onshi の解釈: 薬剤情報と同じく指定でき、省略すると最新まで)", false),
  FileCategory: code(["1", "2"], { missing: "E1005", structure: "E1004", value: "E1009" }, { description: "ファイル種別 1:PDF 2:XML", example: "2" }),
  ...requestFlags,
});
export type CheckupInfoRequest = Static<typeof CheckupInfoRequest>;

// ---- the answers ----

const opt = (description: string) => Type.Optional(out(description));

/** ResultCode: 1 success; onshi answers every refusal or error with 2 (onshi の解釈: other values are not public). */
export const ResultCodes = { Success: "1", Failed: "2" } as const;

const resultHeader = {
  ProcessExecutionTime,
  MedicalInstitutionCode: opt("医療機関コード (要求のとおり)"),
  ArbitraryFileIdentifier: opt("任意のファイル識別子 (要求のとおり)"),
  SegmentOfResult,
  ErrorCode: opt("エラーコード (docs/error-codes.md)"),
  ErrorMessage: opt("エラーメッセージ"),
  CharacterCodeIdentifier,
  ResultCode: outCode(["1", "2"], "処理結果 1:正常 2:エラー (onshi の解釈: エラーの値は公開されていない。理由は MessageContents)"),
  MessageContents: opt("エラーの理由 (ResultCode が 1 でないとき。onshi では ErrorMessage と同じ)"),
};

/** The elements of one drug record's source, by their role: each source names them its own way. */
export interface DrugNames {
  root?: string;
  monthInf: string;
  org: string;
  facilityCode: string;
  facilityName: string;
  prescriberCode: string;
  prescriberName: string;
  month: string;
  ownFacility: string;
  inOut: string;
  dates: string;
  date: string;
  dispensed: string;
  prescribed?: string;
  drugs: string;
  drug: string;
  drugCode: string;
  drugName: string;
  ingredient: string;
  quantity: string;
  unit: string;
  usage: string;
  instruction: string;
  times: string;
  usageClass: string;
}

const twin = (p: "Cz" | "Sh") => ({
  drugs: `${p}DrugInfs`,
  drug: `${p}DrugInf`,
  drugCode: `${p}DrugC`,
  drugName: `${p}DrugN`,
  ingredient: `${p}IngreN`,
  quantity: `${p}Qua1`,
  unit: `${p}Unit`,
  usage: `${p}UsageN`,
  instruction: `${p}SpInst`,
  times: `${p}Times`,
  usageClass: `${p}UsageCl`,
});

export const DRUG_NAMES = {
  receipt: {
    monthInf: "MeTrMonthInf", org: "DiOrg", facilityCode: "MeTrDiHCd", facilityName: "MeTrDiHNm", prescriberCode: "PrlsHCd", prescriberName: "PrlsHNm",
    month: "MeTrMonth", ownFacility: "PrIsOrg", inOut: "InOut", dates: "DiDateInfs", date: "DiDateInf", dispensed: "DiDate", prescribed: "PrDate",
    drugs: "DrugInfs", drug: "DrugInf", drugCode: "DrugC", drugName: "DrugN", ingredient: "IngreN", quantity: "Qua1", unit: "Unit", usage: "UsageN",
    instruction: "SpInst", times: "Times", usageClass: "MeTrIdCl",
  },
  dispensing: {
    root: "CzDiInf", monthInf: "CzDiMonthInf", org: "CzDiOrg", facilityCode: "CzMeTrDiHCd", facilityName: "CzMeTrDiHNm", prescriberCode: "CzPrlsHCd",
    prescriberName: "CzPrlsHNm", month: "CzDiMonth", ownFacility: "CzPrIsOrg", inOut: "CzPrCl", dates: "CzDiDateInfs", date: "CzDiDateInf",
    dispensed: "CzDiDate", prescribed: "CzPrDate", ...twin("Cz"),
  },
  prescription: {
    root: "ShPrInf", monthInf: "ShPrMonthInf", org: "ShPrOrg", facilityCode: "ShMeTrDiHCd", facilityName: "ShMeTrDiHNm", prescriberCode: "ShPrHCd",
    prescriberName: "ShPrHNm", month: "ShPrMonth", ownFacility: "ShPrIsOrg", inOut: "ShPrCl", dates: "ShPrDateInfs", date: "ShPrDateInf",
    dispensed: "ShPrDate", ...twin("Sh"),
  },
} as const satisfies Record<string, DrugNames>;

/** 診療情報 of one day, inside the receipt's DiDateInf (as OQSDrug reads them). */
export const TREATMENT_NAMES = { list: "MeTrInfs", item: "MeTrInf", code: "SinInfCd", name: "SinInfN", classification: "MeTrIdCl" } as const;

function drugRoot(n: DrugNames, withTreatments: boolean): TSchema {
  const drug = Type.Object(
    {
      [n.drugCode]: out("医薬品コード (onshi のデータの薬剤表の出典が示すコード)"),
      [n.drugName]: out("医薬品名"),
      [n.ingredient]: opt("一般名 (成分名)"),
      [n.quantity]: out("数量 (1日量または1回量)"),
      [n.unit]: opt("単位"),
      [n.usage]: opt("用法"),
      [n.instruction]: opt("特別指示"),
      [n.times]: out("日数または回数"),
      [n.usageClass]: opt("診療識別・剤型の区分 (onshi のデータにはなく、書かない)"),
    },
    { description: "薬剤1件" },
  );
  const treatments = Type.Object(
    {
      [TREATMENT_NAMES.item]: Type.Array(
        Type.Object(
          {
            [TREATMENT_NAMES.code]: out("診療行為コード"),
            [TREATMENT_NAMES.name]: out("診療行為名"),
            [TREATMENT_NAMES.classification]: out("診療行為の区分 (onshi の解釈: 点数表の部の記号 B 医学管理 C 在宅 E 画像診断 J 処置 K 手術 M 放射線治療 N 病理。K は手術情報の同意があるときだけ)"),
          },
          { description: "診療行為1件" },
        ),
        { minItems: 1 },
      ),
    },
    { description: "その日の診療情報 (FileCategory 4 で、診療情報の同意があるとき。onshi の解釈: 要素の置き場所は公開クライアントの読み方による)" },
  );
  const date = Type.Object(
    {
      [n.dispensed]: out(n.prescribed ? "診療日・調剤日 YYYYMMDD" : "処方日 YYYYMMDD"),
      ...(n.prescribed ? { [n.prescribed]: opt("処方日 YYYYMMDD (調剤の記録のとき)") } : {}),
      [n.drugs]: Type.Optional(Type.Object({ [n.drug]: Type.Array(drug, { minItems: 1 }) }, { description: "その日の薬剤" })),
      ...(withTreatments ? { [TREATMENT_NAMES.list]: Type.Optional(treatments) } : {}),
    },
    { description: "日ごとの情報" },
  );
  const monthInf = Type.Object(
    {
      [n.org]: outCode(["1", "2"], "記録の発生元 1:医療機関 2:薬局 (onshi の解釈)"),
      [n.facilityCode]: out("診療・調剤した医療機関等のコード"),
      [n.facilityName]: out("診療・調剤した医療機関等の名称"),
      [n.prescriberCode]: opt("処方した医療機関のコード (薬局の記録のとき)"),
      [n.prescriberName]: opt("処方した医療機関の名称 (薬局の記録のとき)"),
      [n.month]: out("年月 YYYYMM (レセプトは診療月)"),
      [n.ownFacility]: outCode(["1", "2"], "照会した医療機関等の記録か 1:自院 2:他院 (onshi の解釈)"),
      [n.inOut]: outCode(["1", "2"], "入院・外来の別 1:入院 2:外来 (onshi の解釈)"),
      [n.dates]: Type.Object({ [n.date]: Type.Array(date, { minItems: 1 }) }, { description: "日ごとの情報の一覧" }),
    },
    { description: "1か月・1医療機関等の記録" },
  );
  return Type.Array(monthInf, { minItems: 1 });
}

const person = (names: [string, string, string, string], description: string) =>
  Type.Object(
    {
      [names[0]]: out("氏名"),
      [names[1]]: out("氏名カナ (onshi の解釈: 資格確認の NameKana と同じ半角カナ)"),
      [names[2]]: out("生年月日 YYYYMMDD"),
      [names[3]]: outCode(["1", "2", "3"], "性別 1:男 2:女 3:未設定"),
    },
    { description },
  );

export const DrugInfoAnswer = envelope(
  { ...resultHeader, QuaInf: Type.Optional(person(["Name", "KanaName", "Birth", "AdmGendCode"], "患者の情報 (ResultCode 1 のとき)")) },
  {
    [DRUG_NAMES.receipt.monthInf]: Type.Optional(drugRoot(DRUG_NAMES.receipt, true)),
    [DRUG_NAMES.prescription.root]: Type.Optional(
      Type.Object({ [DRUG_NAMES.prescription.monthInf]: drugRoot(DRUG_NAMES.prescription, false) }, { description: "電子処方箋の処方の記録 (すぐに見える)" }),
    ),
    [DRUG_NAMES.dispensing.root]: Type.Optional(
      Type.Object({ [DRUG_NAMES.dispensing.monthInf]: drugRoot(DRUG_NAMES.dispensing, false) }, { description: "電子処方箋の調剤の記録 (すぐに見える)" }),
    ),
  },
);
export type DrugInfoAnswer = Static<typeof DrugInfoAnswer>;

const CheckupItemInfo = Type.Object(
  {
    ItemCode: out("健診項目コード"),
    ItemName: out("健診項目名"),
    DataType: outCode(["PQ", "CD", "ST"], "値の型 PQ:数量 CD:コード ST:文字列"),
    DataValue: out("値"),
    Unit: opt("単位 (数量のとき)"),
    Oid: opt("コード体系の OID (onshi のデータにはなく、書かない)"),
    DataValueName: opt("コードの値の名称 (CD のとき)"),
  },
  { description: "健診の結果・問診の1項目" },
);

export const CheckupInfoAnswer = envelope(
  { ...resultHeader, QualificationsInfo: Type.Optional(person(["Name", "KanasName", "Birthday", "AdministrativeGenderCode"], "受診者の情報 (ResultCode 1 のとき)")) },
  {
    SpecificHealthCheckupInfo: Type.Optional(
      Type.Array(
        Type.Object(
          {
            EffectiveTime: out("健診の実施日 YYYYMMDD"),
            HealthCheckupResultAndQuestionInfos: Type.Object(
              { HealthCheckupResultAndQuestionInfo: Type.Array(CheckupItemInfo, { minItems: 1 }) },
              { description: "結果と問診の項目の一覧" },
            ),
          },
          { description: "1回の特定健診 (XML のとき、古い順)" },
        ),
        { minItems: 1 },
      ),
    ),
  },
);
export type CheckupInfoAnswer = Static<typeof CheckupInfoAnswer>;
