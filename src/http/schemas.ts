// OpenAPI descriptions of the auth route's bodies (the message routes' come from src/oqs/messages).
const text = (description: string, example?: string) => ({ type: "string", description, ...(example ? { example } : {}) });

export const authRequestSchema = {
  type: "object",
  required: ["MedicalInstitutionCode", "Credential"],
  properties: {
    MedicalInstitutionCode: { ...text("医療機関コード 10桁"), minLength: 1 },
    Credential: { ...text("医療機関の認証情報 (デモデータは README を参照)"), minLength: 1 },
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

