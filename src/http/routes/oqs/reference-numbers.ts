// POST /onshi-api/reference-numbers — 照会番号 registration (OQSsiimm01) over HTTP. The path is
// onshi's own (the real WebAPI path for this message is not public); the body and the answer are
// the same XmlMsg tree as the folder route's, as JSON or as XML in UTF-8 / Shift_JIS.
import type { FastifyInstance } from "fastify";
import { MESSAGE_HANDLERS } from "../../../services/message-handlers.ts";
import { acceptXmlBodies, answerMessageRequest } from "../../message-route.ts";
import { xmlMsgResponseSchema } from "../../schemas.ts";
import type { ServerDeps } from "../../server.ts";

const text = (description: string, example?: string) => ({ type: "string", description, ...(example ? { example } : {}) });

const registrationRequestSchema = {
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

export function registerReferenceNumberRoute(app: FastifyInstance, deps: ServerDeps) {
  acceptXmlBodies(app);
  app.post(
    "/onshi-api/reference-numbers",
    {
      schema: {
        summary: "照会番号の登録 (OQSsiimm01 相当, onshi 独自のパス)",
        description:
          "医療機関の患者番号 (照会番号) を、保険者番号・記号・番号・枝番で特定した患者に登録する。以後の資格確認の結果に" +
          "その医療機関に対してだけ ReferenceNumber として返る。再登録は置き換え。パスは onshi 独自 (実システムの WebAPI の" +
          "パスは公開されていない)。Authorization ヘッダに auth で得た idToken を設定する。" +
          "application/xml (UTF-8 / Shift_JIS) の XmlMsg も受け付け、同じ文字コードの XML で応答する。",
        headers: { type: "object", properties: { authorization: { type: "string", description: "idToken" } } },
        body: registrationRequestSchema,
        response: { 200: xmlMsgResponseSchema, 400: xmlMsgResponseSchema, 401: xmlMsgResponseSchema, 403: xmlMsgResponseSchema },
      },
    },
    (request, reply) => answerMessageRequest(request, reply, deps, MESSAGE_HANDLERS.OQSsiimm01!),
  );
}
