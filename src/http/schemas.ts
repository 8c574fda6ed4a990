// OpenAPI descriptions of the WebAPI bodies. They document; handlers do the validation.
const text = (description: string, example?: string) => ({ type: "string", description, ...(example ? { example } : {}) });

export const searchRequestSchema = {
  type: "object",
  required: ["XmlMsg"],
  properties: {
    XmlMsg: {
      type: "object",
      properties: {
        MessageHeader: {
          type: "object",
          required: ["QualificationConfirmationDate", "MedicalInstitutionCode"],
          properties: {
            QualificationConfirmationDate: text("資格を確認する日付 YYYYMMDD", "20260401"),
            MedicalInstitutionCode: text("医療機関コード 10桁", "1311234567"),
            ArbitraryFileIdentifier: text("任意のファイル識別子 (応答にそのまま返す)"),
          },
        },
        MessageBody: {
          type: "object",
          properties: {
            QualificationConfirmSearchInfo: {
              type: "object",
              required: ["InsurerNumber", "InsuredIdentificationNumber", "Birthdate", "LimitApplicationCertificateRelatedConsFlg"],
              properties: {
                InsurerNumber: text("保険者番号 (8桁、国保は6桁を空白で8桁に)", "01130012"),
                InsuredCardSymbol: text("被保険者証記号"),
                InsuredIdentificationNumber: text("被保険者証番号"),
                InsuredBranchNumber: text("枝番 2桁", "00"),
                Birthdate: text("生年月日 YYYYMMDD"),
                LimitApplicationCertificateRelatedConsFlg: text("限度額適用認定証関連情報の提供への同意 0:未同意 1:同意", "0"),
                ArbitraryIdentifier: text("任意の識別子"),
              },
            },
          },
        },
      },
    },
  },
} as const;

export const xmlMsgResponseSchema = {
  description: "XmlMsg (MessageHeader の SegmentOfResult 1:正常終了 9:異常終了、ErrorCode/ErrorMessage は docs/error-codes.md)",
  type: "object",
  properties: { XmlMsg: { type: "object", additionalProperties: true } },
} as const;

export const authRequestSchema = {
  type: "object",
  required: ["MedicalInstitutionCode", "Credential"],
  properties: {
    MedicalInstitutionCode: text("医療機関コード 10桁"),
    Credential: text("医療機関の認証情報 (デモデータは README を参照)"),
  },
} as const;

export const authResponseSchema = {
  type: "object",
  properties: {
    status: text("OK / NG"),
    msg: text("メッセージ"),
    errorCode: text("エラーコード (NG のとき)"),
    result: {
      type: "object",
      properties: {
        accessToken: text("アクセストークン"),
        refreshToken: text("idToken の再発行に使うトークン (1回限り、24時間。/onshi-api/auth/refresh に送る)"),
        idToken: text("search の Authorization ヘッダに設定するトークン"),
        linkSysCharCd: text("連携システム文字コード (CharacterCodeIdentifier)"),
        expiresAt: text("有効期限 (ISO 8601)"),
      },
    },
  },
} as const;

export const registrationRequestSchema = {
  type: "object",
  required: ["XmlMsg"],
  properties: {
    XmlMsg: {
      type: "object",
      properties: {
        MessageHeader: {
          type: "object",
          required: ["MedicalInstitutionCode"],
          properties: {
            MedicalInstitutionCode: text("医療機関コード 10桁", "1310100019"),
            ArbitraryFileIdentifier: text("任意のファイル識別子 (応答にそのまま返す)"),
          },
        },
        MessageBody: {
          type: "object",
          properties: {
            ReferenceNumberRegistrationInfo: {
              type: "object",
              required: ["ReferenceNumber", "InsurerNumber", "InsuredIdentificationNumber"],
              properties: {
                ReferenceNumber: text("照会番号 (診察券番号) 半角英数字とハイフン 1～50文字", "0012345"),
                InsurerNumber: text("保険者番号 (8桁、国保は6桁を空白で8桁に)", "01130012"),
                InsuredCardSymbol: text("被保険者証記号"),
                InsuredIdentificationNumber: text("被保険者証番号"),
                InsuredBranchNumber: text("枝番 2桁", "00"),
              },
            },
          },
        },
      },
    },
  },
} as const;
