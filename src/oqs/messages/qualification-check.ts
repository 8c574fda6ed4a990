// 個別照会 (OQSsiquc01, spec §1.3–1.5): the request with its one search key, and the answer with
// ResultList/ResultOfQualificationConfirmation. The face result of a card check (card-check.ts)
// and each row of 一括照会 (bulk-check.ts) reuse the result elements declared here.
import { Type, type Static } from "@sinclair/typebox";
import {
  ArbitraryFileIdentifier,
  Birthdate,
  ConfirmationDate,
  FacilityCode,
  InsuranceKey,
  OtherKeyElement,
  ProcessingResultCode,
  ProcessingResultMessage,
  ProcessingResultStatus,
  ResponseHeader,
  out,
  outCode,
} from "./fields.ts";
import { code, compile, ownAnswer, text, withCodes } from "./schema.ts";

/** One search key (QualificationConfirmSearchInfo): answered per person (E3xxx). */
export const SearchInfo = Type.Object(
  {
    ...InsuranceKey,
    Birthdate,
    LimitApplicationCertificateRelatedConsFlg: code(["0", "1"], { missing: "E3001", structure: "E3003", value: "E3006" }, {
      description: "限度額適用認定証関連情報の提供への同意 0:未同意 1:同意 (特定疾病療養受療証の情報も同じ同意で提供)",
      example: "0",
    }),
    ArbitraryIdentifier: Type.Optional(text({ structure: "E3003" }, { description: "任意の識別子 (応答にそのまま返す)" })),
  },
  { additionalProperties: OtherKeyElement, description: "検索条件 (被保険者証の記号・番号等と生年月日)" },
);
export type SearchInfo = Static<typeof SearchInfo>;
export const SEARCH_INFO = compile(SearchInfo);

export const CheckRequestHeader = Type.Object({
  QualificationConfirmationDate: ConfirmationDate,
  MedicalInstitutionCode: FacilityCode,
  ArbitraryFileIdentifier,
});

/** The envelope's own codes: a message without XmlMsg, MessageHeader or MessageBody is E1004. */
export const STRUCTURE = { missing: "E1004", structure: "E1004" } as const;

export function envelope<H extends Parameters<typeof Type.Object>[0], B extends Parameters<typeof Type.Object>[0]>(header: H, body: B) {
  return Type.Object({
    XmlMsg: withCodes(
      Type.Object({
        MessageHeader: withCodes(Type.Object(header, { description: "ヘッダ: 医療機関と処理の情報" }), STRUCTURE),
        MessageBody: withCodes(Type.Object(body, { description: "本文" }), STRUCTURE),
      }),
      STRUCTURE,
    ),
  });
}

export const QualificationCheckRequest = envelope(CheckRequestHeader.properties, {
  QualificationConfirmSearchInfo: ownAnswer(SearchInfo, "parent", { missing: "E1005", structure: "E1004" }),
});
export type QualificationCheckRequest = Static<typeof QualificationCheckRequest>;

// ---- the answer ----

const date = (description: string) => Type.Optional(out(`${description} YYYYMMDD`));
const opt = (description: string) => Type.Optional(out(description));
const consent = (prefix: string, description: string, available: boolean) => ({
  [`${prefix}ConsFlg`]: Type.Optional(outCode(["0", "1", "2"], `${description}への同意 0:なし 1:あり 2:有効期限切れ`)),
  [`${prefix}ConsTime`]: opt(`${description}への同意日時 YYYYMMDDhhmmss`),
  ...(available ? { [`${prefix}AvailableTime`]: opt(`${description}の閲覧可能期限 YYYYMMDDhhmmss`) } : {}),
});

export const SpecificDiseasesCertificateInfo = Type.Object(
  {
    SpecificDiseasesDiseaseCategory: outCode(["1", "2", "3"], "特定疾病区分 (OQSCD013)"),
    SpecificDiseasesCertificateDate: date("交付年月日"),
    SpecificDiseasesValidStartDate: out("有効開始年月日 YYYYMMDD"),
    SpecificDiseasesValidEndDate: date("有効終了年月日"),
    SpecificDiseasesSelfPay: out("月額自己負担限度額 (円)"),
  },
  { description: "特定疾病療養受療証の情報" },
);

/**
 * One 受給者証 of 医療費助成 (PMH) in a card check's result. The real element names were not
 * found (spec §8): these are onshi's reading, named after §1.5's PublicExpenseNumber and
 * BeneficiaryNumber and the SpecificDiseasesCertificateInfo block, with the fields of the
 * 自治体→PMH registration API (docs/pmh.md).
 */
export const PublicExpenseCertificateInfo = Type.Object(
  {
    PublicExpenseNumber: out("公費負担者番号 (8桁、medicalSubsidyInsurerNumber)"),
    BeneficiaryNumber: opt("公費負担医療の受給者番号 (国の制度は7桁、地方単独は30文字まで; medicalSubsidyRecipientNumber)"),
    PublicExpenseCertificateName: out("受給者証の名称 (certificationName)"),
    PublicExpenseValidStartDate: out("有効開始年月日 YYYYMMDD (validFrom)"),
    PublicExpenseValidEndDate: date("有効終了年月日 (validTo)"),
    PublicExpenseSelfPay: opt("月額の自己負担上限額 (円、maxCopaymentAmount)"),
    PublicExpenseSelfPayPerVisit: opt("1回あたりの自己負担上限額 (円、maxCopaymentAmount)"),
    PublicExpenseIncomeSegment: opt("所得区分 (incomeSegment)"),
    PublicExpenseAlwaysReimbursement: Type.Optional(outCode(["1"], "常に償還払い 1:該当 (isAlwaysReimbursement)")),
  },
  { description: "医療費助成の受給者証 (onshi の読み方による要素名)" },
);

/** One qualification (spec §1.5), in the element order real results use. */
export const ResultOfQualificationConfirmation = Type.Object(
  {
    InsuredCardClassification: out("被保険者証区分 (01:被保険者証（一般） …)"),
    InsurerNumber: out("保険者番号 (国保は前に空白2つ)"),
    InsuredCardSymbol: opt("被保険者証記号"),
    InsuredIdentificationNumber: out("被保険者証番号"),
    InsuredBranchNumber: opt("枝番"),
    PersonalFamilyClassification: outCode(["1", "2"], "本人・家族の別 1:本人 2:家族"),
    InsuredName: opt("被保険者氏名"),
    Name: out("氏名"),
    NameOfOther: opt("氏名 (その他)"),
    NameKana: out("氏名カナ (半角)"),
    NameOfOtherKana: opt("氏名カナ (その他、半角)"),
    Sex1: outCode(["1", "2", "3"], "性別 1:男 2:女 3:未設定"),
    Birthdate: out("生年月日 YYYYMMDD"),
    Address: opt("住所"),
    PostNumber: opt("郵便番号"),
    InsuredCertificateIssuanceDate: date("交付年月日"),
    InsuredCardValidDate: date("有効開始年月日"),
    InsuredCardExpirationDate: date("有効終了年月日"),
    InsuredPartialContributionRatio: opt("一部負担金割合 (% 3桁)"),
    PreschoolClassification: Type.Optional(outCode(["1"], "未就学区分 1:該当")),
    QualificationDate: out("資格取得年月日 YYYYMMDD"),
    DisqualificationDate: date("資格喪失年月日"),
    ReasonOfLoss: opt("喪失事由"),
    InsurerName: out("保険者名称"),
    ElderlyRecipientCertificateInfo: Type.Optional(
      Type.Object({
        ElderlyRecipientCertificateDate: date("高齢受給者証交付年月日"),
        ElderlyRecipientValidStartDate: out("有効開始年月日 YYYYMMDD"),
        ElderlyRecipientValidEndDate: out("有効終了年月日 YYYYMMDD"),
        ElderlyRecipientContributionRatio: out("一部負担金割合 (% 3桁)"),
      }, { description: "高齢受給者証の情報 (70歳から74歳)" }),
    ),
    ...consent("LimitApplicationCertificateRelated", "限度額適用認定証関連情報の提供", false),
    LimitApplicationCertificateRelatedInfo: Type.Optional(
      Type.Object({
        LimitApplicationCertificateClassification: out("限度額適用認定証区分"),
        LimitApplicationCertificateClassificationFlag: out("適用区分 (OQSCD012)"),
        LimitApplicationCertificateDate: date("交付年月日"),
        LimitApplicationCertificateValidStartDate: out("有効開始年月日 YYYYMMDD"),
        LimitApplicationCertificateValidEndDate: out("有効終了年月日 YYYYMMDD"),
        LimitApplicationCertificateLongTermDate: date("長期入院該当年月日"),
      }, { description: "限度額適用認定証関連情報 (同意があり、認定があるとき)" }),
    ),
    ...consent("SpecificDiseasesCertificateRelated", "特定疾病療養受療証情報の提供", false),
    SpecificDiseasesCertificateList: Type.Optional(
      Type.Object(
        { SpecificDiseasesCertificateInfo: Type.Array(SpecificDiseasesCertificateInfo, { minItems: 1 }) },
        { description: "特定疾病療養受療証の一覧 (同意があり、受療証があるとき)" },
      ),
    ),
    // 医療扶助 (docs/welfare.md): the asking facility's 医療券・調剤券 in force on the day, after the
    // 特定疾病 list as a public client writes them; the element names are that client's, the values onshi's reading.
    PublicExpenseResultList: Type.Optional(
      Type.Object({
        MedicalTicketInfo: Type.Array(
          Type.Object(
            {
              TicketType: opt("券種 (医療券・調剤券: onshi は券面の語を書く)"),
              MedicalTicketValidDate: date("有効開始年月日 (受診日)"),
              MedicalTicketExpirationDate: date("有効終了年月日 (診療年月の末日)"),
              IssueNumber: opt("交付番号"),
              MedicalTreatmentMonth: opt("診療年月 YYYYMM"),
              DesignatedMedicalInstitutionCode: opt("指定医療機関の医療機関コード"),
              DesignatedMedicalInstitutionName: opt("指定医療機関の名称"),
              InjuryName1: opt("傷病名1"),
              InjuryName2: opt("傷病名2"),
              InjuryName3: opt("傷病名3"),
              MedicalTreatmentType: opt("診療別 (入院・入院外・歯科・調剤: onshi は券面の語を書く)"),
              SelfPayAmount: opt("本人支払額 (円)"),
            },
            { additionalProperties: out("その他の医療券の項目"), description: "医療券・調剤券の情報" },
          ),
          { minItems: 1 },
        ),
      }, { description: "医療扶助の医療券・調剤券の一覧 (照会した医療機関のもので、資格確認日に有効なもの)" }),
    ),
    ...consent("SpecificHealthCheckupsInfo", "特定健診情報の閲覧", true),
    ...consent("PharmacistsInfo", "薬剤情報の閲覧", true),
    ...consent("DiagnosisInfo", "診療情報の閲覧", true),
    ...consent("OperationInfo", "手術情報の閲覧", true),
    // 医療費助成 (PMH): no consent flag, so an empty list does not tell 同意なし from 受給者証なし (as the real system).
    PublicExpenseCertificateList: Type.Optional(
      Type.Object(
        { PublicExpenseCertificateInfo: Type.Array(PublicExpenseCertificateInfo, { minItems: 1 }) },
        { description: "医療費助成の受給者証の一覧 (カードリーダーでの資格確認のみ: 医療費助成情報を利用する医療機関で、患者が同意し、この日この医療機関で有効な受給者証があるとき。同意の有無は示さない)" },
      ),
    ),
    ReferenceNumber: opt("照会番号 (照会した医療機関が登録したもの)"),
  },
  { description: "資格情報 (該当した資格ごとに1つ)" },
);

export type ResultOfQualificationConfirmation = Static<typeof ResultOfQualificationConfirmation>;

/** OQSCD006. */
export const QualificationValidity = outCode(["1", "2", "3", "4", "5"], "資格有効性 1:有効 2:無効 3:無効（新しい資格あり） 4:該当資格なし 5:複数該当");

/** The result of one person: the status, then the qualifications (or the error). */
export const personResult = {
  // Absent only in a whole-message failure (SegmentOfResult 9), whose body is empty.
  ProcessingResultStatus: Type.Optional(ProcessingResultStatus),
  ProcessingResultCode,
  ProcessingResultMessage,
  QualificationValidity: Type.Optional(QualificationValidity),
  ResultList: Type.Optional(
    Type.Object({ ResultOfQualificationConfirmation: Type.Array(ResultOfQualificationConfirmation, { minItems: 1 }) }, { description: "資格情報の一覧" }),
  ),
};

export const QualificationCheckAnswer = envelope(ResponseHeader.properties, {
  ...personResult,
  QualificationConfirmSearchInfo: Type.Optional(SearchInfo),
});
export type QualificationCheckAnswer = Static<typeof QualificationCheckAnswer>;
