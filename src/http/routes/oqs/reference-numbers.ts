// POST /onshi-api/reference-numbers — 照会番号 registration (OQSsiimm01) over HTTP, and its bulk
// two phases (OQSmuimm01/02) under /onshi-api/reference-numbers/bulk/. The paths are onshi's own
// (the real WebAPI paths for these messages are not public); the body and the answer are the same
// XmlMsg tree as the folder route's, as JSON or as XML in UTF-8 / Shift_JIS.
import type { FastifyInstance } from "fastify";
import { acceptXmlBodies, answerMessageRequest, authenticateMessage, messageRouteSchema } from "../../message-route.ts";
import { DEMO_FACILITY } from "./search.ts";
import { demoReception, DEMO_KEY } from "../../../seed/demo.ts";
import type { ServerDeps } from "../../server-deps.ts";
import { UPLOAD_BODY_LIMIT_BYTES } from "./bulk.ts";

export const BULK_REGISTRATION_UPLOAD_PATH = "/onshi-api/reference-numbers/bulk/upload";
export const BULK_REGISTRATION_RESULT_PATH = "/onshi-api/reference-numbers/bulk/result";

export function registerReferenceNumberRoute(app: FastifyInstance, deps: ServerDeps) {
  acceptXmlBodies(app);
  app.post(
    "/onshi-api/reference-numbers",
    {
      onRequest: authenticateMessage(deps),
      schema: messageRouteSchema("OQSsiimm01", {
        tag: "照会番号",
        statuses: [],
        example: { XmlMsg: { MessageHeader: { MedicalInstitutionCode: DEMO_FACILITY }, MessageBody: { ReferenceNumberRegistrationInfo: { ReferenceNumber: "0012346", ...DEMO_KEY } } } },
        summary: "照会番号の登録 (OQSsiimm01 相当, onshi 独自のパス)",
        description:
          "医療機関の患者番号 (照会番号) を、保険者番号・記号・番号・枝番で特定した患者に登録する。以後の資格確認の結果に" +
          "その医療機関に対してだけ ReferenceNumber として返る。再登録は置き換え。パスは onshi 独自 (実システムの WebAPI の" +
          "パスは公開されていない)。Authorization ヘッダに auth で得た idToken を設定する。" +
          "application/xml (UTF-8 / Shift_JIS) の XmlMsg も受け付け、同じ文字コードの XML で応答する。",
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "OQSsiimm01"),
  );

  app.post(
    BULK_REGISTRATION_UPLOAD_PATH,
    {
      onRequest: authenticateMessage(deps),
      bodyLimit: UPLOAD_BODY_LIMIT_BYTES,
      schema: messageRouteSchema("OQSmuimm01", {
        tag: "照会番号",
        statuses: [413],
        example: { XmlMsg: { MessageHeader: { MedicalInstitutionCode: DEMO_FACILITY }, MessageBody: { ReferenceNumberRegistrationInfo: [{ ReferenceNumber: "0012346", ...DEMO_KEY }] } } },
        summary: "照会番号の一括登録 (OQSmuimm01 相当, onshi 独自のパス)",
        description:
          "OQSmuimm01req と同じ XmlMsg (MessageBody に ReferenceNumberRegistrationInfo の配列) を送ると、受付番号 (ReceptionNumber) と" +
          "受付日時 (ReceptionDateTime) を返す。登録はバックグラウンドで入力順に行われる。件数の上限は ONSHI_BULK_ROW_LIMIT (既定 100000)。",
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "OQSmuimm01"),
  );
  app.post(
    BULK_REGISTRATION_RESULT_PATH,
    {
      onRequest: authenticateMessage(deps),
      schema: messageRouteSchema("OQSmuimm02", {
        tag: "照会番号",
        statuses: [404, 410],
        example: { XmlMsg: { MessageHeader: { MedicalInstitutionCode: DEMO_FACILITY }, MessageBody: { ReceptionNumber: demoReception("muimm") } } },
        summary: "照会番号の一括登録の結果取得 (OQSmuimm02 相当, onshi 独自のパス)",
        description:
          '{"XmlMsg":{"MessageHeader":{"MedicalInstitutionCode":…},"MessageBody":{"ReceptionNumber":…}}} を送る。処理中は SegmentOfResult 2、' +
          "完了後は件数と、入力順の BulkRegistrationUnit (送った ReferenceNumberRegistrationInfo と ProcessingResultStatus、エラー時は" +
          "ProcessingResultCode / ProcessingResultMessage) を返す。",
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "OQSmuimm02"),
  );
}
