// Every error onshi answers with, in one catalogue. The real system's codes are not public
// (spec §1.6), so these are ours: E1xxx a request that is malformed, E2xxx who is asking,
// E3xxx a search key that fails validation (answered per person), E4xxx a request file itself
// (folder gateway), E5xxx a two-phase bulk request (ReceptionNumber, row limit), E6xxx a 照会番号 registration (answered per registration), E7xxx a マイナンバーカード check
// (challenge, certificate, PIN and face locks; E7050 the expiry-grace warning), E8xxx a card check's consent and
// its face result, E9xxx our own failure, E91xx the subsidy engine (a bad facility profile, program or date),
// E92xx the embedded database's folder and the admin operations run through the server holding it.
// docs/error-codes.md publishes this table; a test keeps the two equal.

export interface ErrorDefinition {
  /** Japanese message shown to users; the element at fault, if any, is appended. */
  ja: string;
  en: string;
  /** HTTP status on the WebAPI when the error answers the whole message. */
  http: number;
}

export const ERROR_CODES = {
  E1001: { ja: "リクエストのJSONが不正です。", en: "The request body is not valid JSON.", http: 400 },
  E1002: { ja: "XMLの形式が不正です。", en: "The XML is not well-formed.", http: 400 },
  E1003: { ja: "文字コードが不正です。", en: "The charset is unsupported or the bytes do not decode in it (XML: the declared encoding; JSON: UTF-8).", http: 400 },
  E1004: { ja: "メッセージの構造が不正です。", en: "The message does not have the XmlMsg structure.", http: 400 },
  E1005: { ja: "必須項目が設定されていません。", en: "A required element is missing.", http: 400 },
  E1006: { ja: "項目の桁数が不正です。", en: "An element has the wrong length.", http: 400 },
  E1007: { ja: "項目に数字以外の文字が含まれています。", en: "An element that must be digits contains other characters.", http: 400 },
  E1008: { ja: "日付が不正です。", en: "An element is not a valid date (YYYYMMDD).", http: 400 },
  E1009: { ja: "項目の値が不正です。", en: "An element has a value outside its code table.", http: 400 },
  E1010: { ja: "医療機関コードの検証番号が不正です。", en: "The facility code's check digit is wrong.", http: 400 },
  E1011: { ja: "リクエストが大きすぎます。", en: "The request is too large.", http: 413 },
  E1012: { ja: "Content-Typeが不正です。application/json を指定してください (資格確認などの電文は application/xml または text/xml も可)。", en: "Unsupported Content-Type; send application/json (the message routes also take application/xml or text/xml, UTF-8 or Shift_JIS).", http: 415 },
  E1013: { ja: "使用できない文字が含まれています。", en: "A character XML 1.0 forbids (control character, NUL, U+FFFE/U+FFFF, lone surrogate), raw or as a character reference; the element is named.", http: 400 },
  E2001: { ja: "医療機関コードが登録されていません。", en: "The facility code is not registered.", http: 403 },
  E2002: { ja: "認証トークンが設定されていません。", en: "The Authorization header is missing.", http: 401 },
  E2003: { ja: "認証トークンの有効期限が切れています。再度認証してください。", en: "The token has expired; authenticate again.", http: 401 },
  E2004: { ja: "認証トークンが不正です。", en: "The token is invalid.", http: 401 },
  E2005: { ja: "認証トークンの医療機関とリクエストの医療機関コードが一致しません。", en: "The token's facility does not match MedicalInstitutionCode.", http: 403 },
  E2006: { ja: "医療機関コードまたは認証情報が正しくありません。", en: "Unknown facility or wrong credential.", http: 401 },
  E2007: { ja: "認証の失敗が続いたため、一時的に認証を受け付けません。しばらくしてから再度実行してください。", en: "Too many failed logins for this facility code or from this address; retry after Retry-After seconds.", http: 429 },
  E2025: { ja: "クライアント証明書が提示されていません。医療機関等の電子証明書で接続してください。", en: "No TLS client certificate was presented, and the code-and-credential login is off.", http: 401 },
  E2026: { ja: "クライアント証明書を確認できません。onshi の認証局が発行した医療機関等の証明書で接続してください。", en: "The client certificate is not a facility certificate from onshi's authority (another issuer, or a card or reader certificate).", http: 401 },
  E2027: { ja: "クライアント証明書の有効期限が切れているか、まだ有効になっていません。", en: "The client certificate has expired or is not yet valid.", http: 401 },
  E2028: { ja: "クライアント証明書は失効しています。", en: "The client certificate has been revoked (it is on the authority's CRL).", http: 401 },
  E2029: { ja: "クライアント証明書の医療機関とリクエストの医療機関コードが一致しません。", en: "MedicalInstitutionCode names a facility other than the client certificate's.", http: 403 },
  E2030: { ja: "医療機関等の証明書が見つかりません。", en: "The authority issued no facility certificate with this serial.", http: 404 },
  E3001: { ja: "検索条件の必須項目が設定されていません。", en: "A required search key is missing.", http: 200 },
  E3002: { ja: "検索条件の桁数が不正です。", en: "A search key has the wrong length.", http: 200 },
  E3003: { ja: "検索条件に使用できない文字が含まれています。", en: "A search key contains characters it may not.", http: 200 },
  E3004: { ja: "保険者番号の検証番号が不正です。", en: "The insurer number's check digit is wrong.", http: 200 },
  E3005: { ja: "生年月日が不正です。", en: "The birth date is not a valid date (YYYYMMDD).", http: 200 },
  E3006: { ja: "検索条件の値が不正です。", en: "A search key has a value outside its code table.", http: 200 },
  E4001: { ja: "ファイル名が連携ファイルの命名規則に合いません。", en: "The file name does not follow the naming rule (e.g. OQSsiquc01req_202604010001.xml).", http: 400 },
  E4002: { ja: "この種類の要求ファイルには対応していません。", en: "onshi does not handle this kind of request file.", http: 400 },
  E4003: { ja: "要求ファイルが空です。", en: "The request file is empty.", http: 400 },
  E4004: { ja: "要求ファイルを読み込めません。", en: "The request file cannot be read: not a regular file (a symbolic link, FIFO, directory or device, refused unread), or a permission or I/O error.", http: 400 },
  E4005: { ja: "この端末の医療機関コードと異なる医療機関コードの要求ファイルです。", en: "MedicalInstitutionCode is not the facility this terminal (the folder gateway, --facility) belongs to; answered alike whether that facility exists or not.", http: 403 },
  E5001: { ja: "受付番号が存在しません。", en: "The ReceptionNumber is unknown, or another facility's (answered alike, so that no one learns which numbers exist).", http: 404 },
  E5002: { ja: "受付番号の保存期間が過ぎています。結果は削除されました。", en: "The ReceptionNumber's retention period has passed; its results were deleted.", http: 410 },
  E5004: { ja: "一括要求の件数が上限を超えています。ファイルを分割してください。", en: "The bulk file has more rows than the limit; split it.", http: 413 },
  E5005: { ja: "受付番号の種別が要求と一致しません (一括照会と照会番号一括登録の取り違え)。", en: "The ReceptionNumber is of another kind of bulk request (qualification check vs. ReferenceNumber registration).", http: 400 },
  E6001: { ja: "照会番号が設定されていません。", en: "ReferenceNumber is missing.", http: 200 },
  E6002: { ja: "照会番号の桁数が不正です。1～50文字で指定してください。", en: "ReferenceNumber must be 1 to 50 characters long.", http: 200 },
  E6003: { ja: "照会番号に使用できない文字が含まれています。半角英数字とハイフンで指定してください。", en: "ReferenceNumber may contain only ASCII letters, digits and hyphens.", http: 200 },
  E6004: { ja: "照会番号の登録対象となる被保険者が見つかりません。", en: "No insured person holds the given insurance quartet.", http: 200 },
  E6005: { ja: "照会番号の登録対象となる被保険者を1人に特定できません。記号・枝番を確認してください。", en: "The insurance quartet matches several persons; give the symbol and branch number.", http: 200 },
  E6006: { ja: "この照会番号は同じ医療機関の別の患者に登録されています。", en: "Another patient of the same facility already has this ReferenceNumber.", http: 200 },
  E7001: { ja: "チャレンジが存在しません。カードを置き直してください。", en: "The challenge is unknown (never issued, issued to another facility, or malformed: answered alike).", http: 400 },
  E7002: { ja: "チャレンジは使用済みです。カードを置き直してください。", en: "The challenge was already used (a replay).", http: 409 },
  E7003: { ja: "チャレンジの有効期限が切れています。カードを置き直してください。", en: "The challenge has expired.", http: 410 },
  E7004: { ja: "電子証明書を読み取れません。", en: "The certificate cannot be parsed (not a DER X.509 certificate in base64).", http: 400 },
  E7005: { ja: "電子証明書の発行元が認証局と一致しません。", en: "The certificate was not issued by the authority (chain check failed).", http: 403 },
  E7006: { ja: "署名の検証に失敗しました。", en: "The card's signature over the challenge does not verify.", http: 403 },
  E7007: { ja: "電子証明書は失効しています。お住まいの市区町村にお問い合わせください。", en: "The certificate is on the authority's revocation list.", http: 403 },
  E7008: { ja: "電子証明書の有効期限から3か月を過ぎているため、利用できません。お住まいの市区町村で更新してください。", en: "The certificate expired more than 3 months ago.", http: 403 },
  E7009: { ja: "電子証明書の有効期間が始まっていません。", en: "The certificate is not valid yet.", http: 403 },
  E7010: { ja: "暗証番号が正しくありません。", en: "Wrong PIN; the answer says how many tries remain.", http: 401 },
  E7011: { ja: "暗証番号がロックされています。お住まいの市区町村で初期化してください。", en: "The PIN is locked (3 consecutive failures); only the municipality can reset it.", http: 423 },
  E7012: { ja: "顔認証ができませんでした。", en: "The face did not match.", http: 401 },
  E7013: { ja: "顔認証がロックされています。暗証番号または目視確認をご利用ください。", en: "Face checks are locked (10 consecutive failures); only the municipality can reset them.", http: 423 },
  E7014: { ja: "カードが見つかりません。", en: "No card with this id.", http: 404 },
  E7015: { ja: "本人確認の方法が不正です。", en: "The identity-check method is not pin, face or visual.", http: 400 },
  E7016: { ja: "暗証番号は4桁の数字で入力してください。", en: "A PIN must be 4 digits; a malformed PIN is refused without counting as a failure.", http: 400 },
  E7017: { ja: "顔認証・目視確認の結果に、顔認証付きカードリーダーの証明 (特定機関認証) がありません。", en: "A face or eye check answer carries no reader vouching (the reader's 特定機関 certificate and signature).", http: 403 },
  E7018: { ja: "顔認証付きカードリーダーの電子証明書を読み取れません。", en: "The reader's certificate cannot be parsed (not a DER X.509 certificate in base64).", http: 400 },
  E7019: { ja: "顔認証付きカードリーダーの電子証明書の発行元が認証局と一致しません。", en: "The reader's certificate was not issued by the authority.", http: 403 },
  E7020: { ja: "顔認証付きカードリーダーの電子証明書 (特定機関) ではありません。", en: "The vouching certificate is not a reader (特定機関) certificate, e.g. a card's own.", http: 403 },
  E7021: { ja: "他の医療機関の顔認証付きカードリーダーの証明です。", en: "The vouching reader belongs to another facility than the one asking.", http: 403 },
  E7022: { ja: "顔認証付きカードリーダーの署名の検証に失敗しました。", en: "The reader's signature over the challenge and the card's serial does not verify.", http: 403 },
  E7023: { ja: "顔認証付きカードリーダーの電子証明書は失効しています。", en: "The reader's certificate is on the authority's revocation list.", http: 403 },
  E7024: { ja: "顔認証付きカードリーダーの電子証明書の有効期間外です。", en: "The reader's certificate is expired or not valid yet.", http: 403 },
  E7025: { ja: "受付セッションが存在しません。カードを置き直してください。", en: "The reader session is unknown (another facility's is answered alike).", http: 404 },
  E7026: { ja: "受付セッションの有効期限が切れています。カードを置き直してください。", en: "The reader session has expired.", http: 410 },
  E7027: { ja: "受付セッションは使用済みです。カードを置き直してください。", en: "The reader session was already completed.", http: 409 },
  E7029: { ja: "保険証利用登録には暗証番号による本人確認が必要です。", en: "保険証利用登録 needs a session from a PIN check.", http: 403 },
  E7030: { ja: "このカードは保険証として利用登録済みです。", en: "The card is already registered (保険証利用登録).", http: 409 },
  E7031: { ja: "このカードは保険証として利用登録されていません。暗証番号で利用登録してください。", en: "The card is not registered (保険証利用登録) yet; register it with a PIN check first.", http: 403 },
  E7032: { ja: "リクエストの項目が不正です。", en: "A field of the request body is missing or of the wrong type (the field is named).", http: 400 },
  E7033: { ja: "同意の項目名が不正です。", en: "A consent category name is unknown (see src/domain/consent.ts).", http: 400 },
  E7034: { ja: "電子証明書の有効期限切れのため資格確認のみ利用できます。同意・処方箋の選択は登録できません。", en: "In the 3-month grace (qualification only) no consent or prescription choice can be recorded.", http: 400 },
  E7035: { ja: "受付は完了しましたが、顔認証の結果ファイルを書き込めませんでした。受付窓口にお声がけください。", en: "Warning: the check was completed and recorded (consent, 利用者リスト), but its face file could not be written, even after retries.", http: 200 },
  E7050: { ja: "電子証明書の有効期限が切れています。有効期限から3か月間は資格確認のみ利用できます。お住まいの市区町村で更新してください。", en: "Warning: the certificate has expired; for 3 months after expiry the card answers for qualification only.", http: 200 },
  E8001: { ja: "この医療機関の顔認証付きカードリーダーでは表示しない同意項目が選択されています。", en: "A consent was chosen for a category this facility's reader does not offer.", http: 400 },
  E8002: { ja: "資格確認の対象者が見つかりません。", en: "No person holds the qualification the card check names.", http: 404 },
  E8003: { ja: "資格確認の対象者を1人に特定できません。", en: "The card check's qualification key names several persons.", http: 409 },
  E8004: { ja: "処方箋の発行形態の値が不正です。1 (電子処方箋) または 2 (紙の処方箋) を指定してください。", en: "PrescriptionIssueSelect must be 1 (electronic) or 2 (paper).", http: 400 },
  E9001: { ja: "システムエラーが発生しました。時間をおいて再度実行してください。", en: "Internal error; try again later.", http: 503 },
  E9002: { ja: "データベースに接続できません。しばらくしてから再度実行してください。", en: "The database cannot be reached right now (restarting or down); the request was not processed; retry after Retry-After seconds.", http: 503 },
  E9101: { ja: "施設プロフィールを読み込めません。", en: "The facility profile file cannot be read or is not valid JSON.", http: 400 },
  E9102: { ja: "施設プロフィールの項目が不正です。", en: "A field of the facility profile breaks its rule (the field and the rule are named).", http: 400 },
  E9103: { ja: "補助金プログラムのIDが不明です。", en: "Unknown subsidy program id (see docs/subsidy.md).", http: 400 },
  E9104: { ja: "基準日が不正です。YYYY-MM-DD 形式の実在する日付を指定してください。", en: "The date to calculate at (--at) is not a real YYYY-MM-DD date.", http: 400 },
  E9105: { ja: "補助金プログラムのデータファイルが不正です。", en: "A program data file breaks its own rules (the file and the entry are named).", http: 500 },
  E9106: { ja: "同じ日付に複数の規定が適用され、優先順位が定められていません。", en: "Two dated values of one parameter apply on the same date with no priority (both are named).", http: 500 },
  E9130: { ja: "金額が不正です。0以上の整数 (円) を指定してください。", en: "An amount is not a whole number of yen in range (the field is named).", http: 400 },
  E9131: { ja: "日付が不正です。YYYY-MM-DD で指定してください。", en: "A date is not a valid YYYY-MM-DD (the field is named).", http: 400 },
  E9132: { ja: "納付の記録が不正です。日付:金額 の並びで指定してください。", en: "The payments are not a list of date and yen (the field is named).", http: 400 },
  E9133: { ja: "日付の前後関係が不正です。", en: "Dates are out of order (for example a payment before the subsidy was received).", http: 400 },
  E9134: { ja: "台数が不正です。1以上の整数を指定してください。", en: "A reader count is not a positive whole number (the field is named).", http: 400 },
  E9200: { ja: "データフォルダはほかのプロセスが使用中です。そのプロセスを停止してから実行するか、DATABASE_URL で PostgreSQL サーバを使ってください。", en: "The embedded database's folder is held by another live process (named after the message); stop it, or use a PostgreSQL server (DATABASE_URL), which many processes may share. The CLI exits with 1.", http: 409 },
  E9201: { ja: "データフォルダを使用中のサーバに接続できません。サーバを停止してから実行してください。", en: "An onshi serve holds the folder but did not answer at the URL its lock file names; the command was not run. The CLI exits with 1.", http: 503 },
  E9202: { ja: "管理用トークンが正しくありません。", en: "The admin token (Authorization: Bearer, from the lock file in the server's data folder) is missing or wrong.", http: 401 },
  E9203: { ja: "管理操作の入力が不正です。", en: "A field of an admin operation's input is missing or breaks its rule (the field is named).", http: 400 },
  E9204: { ja: "人物が見つかりません。", en: "No person with this person_id (the id is named).", http: 404 },
  E9240: { ja: "検索の条件がありません。--kana, --birthdate, --insurer, --symbol, --number, --branch のどれかを指定してください。", en: "onshi persons find was given no criterion.", http: 400 },
  E9241: { ja: "氏名カナが不正です。カタカナ (全角・半角) またはひらがなで指定してください。", en: "The name to find is not kana (katakana, half-width katakana or hiragana, words separated by spaces).", http: 400 },
  E9242: { ja: "生年月日が不正です。YYYYMMDD または YYYY-MM-DD の実在する日付を指定してください。", en: "The birth date to find is not a real date.", http: 400 },
  E9243: { ja: "保険者番号が不正です。", en: "The insurer number to find is not 6 or 8 digits with a valid check digit (the problem is named).", http: 400 },
  E9244: { ja: "被保険者証の記号・番号・枝番が不正です。", en: "A card symbol, number or branch to find is too long, has control characters, or (branch) is not 2 digits (the flag is named).", http: 400 },
  E9245: { ja: "表示件数が不正です。1〜100 の整数を指定してください。", en: "--limit is not a whole number from 1 to 100.", http: 400 },
  E9246: { ja: "医療機関コードが不正です。", en: "The facility code to add is not 10 digits with a prefecture and a valid check digit (the problem is named).", http: 400 },
  E9247: { ja: "この医療機関コードは登録済みです。", en: "A facility with this code is already registered.", http: 409 },
  E9248: { ja: "医療機関の種別が医療機関コードの点数表番号と合いません。", en: "The facility's kind does not fit the code's 点数表番号 (1 医科: hospital or medical_clinic, 3 歯科: dental_clinic or hospital, 4 調剤: pharmacy).", http: 400 },
  E9249: { ja: "医療機関の名称が不正です。1〜100 文字で指定してください。", en: "The facility's name is empty, longer than 100 characters, or has control characters.", http: 400 },
  E9250: { ja: "認証情報が不正です。空白や制御文字を含まない 12〜128 文字で指定してください (省略すると生成します)。", en: "The credential given is shorter than 12 or longer than 128 characters, or has spaces or control characters.", http: 400 },
  E9251: { ja: "確認の入力ができないため削除しません。端末から実行するか、--yes を付けてください。", en: "onshi reset was run without a terminal to ask on and without --yes; nothing was deleted.", http: 400 },
  E9252: { ja: "DATABASE_URL のデータベースは onshi reset では削除しません。", en: "onshi reset deletes an embedded data folder only, never a PostgreSQL database (the command to do it by hand follows).", http: 400 },
  E9253: { ja: "onshi のデータフォルダではないため削除しません。", en: "The folder given to onshi reset holds no embedded database (no pglite folder); nothing was deleted.", http: 400 },
  E9254: { ja: "待ち受けるポートが使用中です。--port (または環境変数 PORT) で別のポートを指定するか、そのポートを使っているプロセスを止めてください。", en: "The port onshi serve was to listen on is taken (the host and port are named).", http: 400 },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function errorMessage(code: ErrorCode, element?: string): string {
  const text: string = ERROR_CODES[code].ja;
  return element ? `${text}(${element})` : text;
}

/** An error that answers a whole message (SegmentOfResult 9). */
export class OqsError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly element?: string,
  ) {
    super(errorMessage(code, element));
  }
}
