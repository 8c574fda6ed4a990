// 一括照会 over the WebAPI, the same two phases as the files OQSmuquc01/02 (spec §2). The real
// WebAPI paths of 一括照会 are not public, so these paths are onshi's own (under /onshi-api/, next to
// the 照会番号 registration).
import type { FastifyInstance } from "fastify";
import { acceptXmlBodies, answerMessageRequest, authenticateMessage, messageRouteSchema } from "../../message-route.ts";
import { DEMO_FACILITY } from "./search.ts";
import { demoReception, DEMO_KEY } from "../../../seed/demo.ts";
import type { ServerDeps } from "../../server-deps.ts";

export const BULK_UPLOAD_PATH = "/onshi-api/bulk-check/upload";
export const BULK_RESULT_PATH = "/onshi-api/bulk-check/result";

// An upload at the default row limit (100,000 rows) is about 30 MB of JSON.
export const UPLOAD_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

const ONSHI_OWN = "実システムの一括照会 WebAPI のパスは公開されていないため、このパスは onshi 独自のもの。";

export function registerBulkRoutes(app: FastifyInstance, deps: ServerDeps) {
  acceptXmlBodies(app);

  app.post(
    BULK_UPLOAD_PATH,
    {
      onRequest: authenticateMessage(deps),
      bodyLimit: UPLOAD_BODY_LIMIT_BYTES,
      schema: messageRouteSchema("OQSmuquc01", {
        tag: "一括照会",
        statuses: [413],
        example: {
          XmlMsg: {
            MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: DEMO_FACILITY },
            MessageBody: { QualificationConfirmSearchInfo: [{ ...DEMO_KEY, Birthdate: "19680229", LimitApplicationCertificateRelatedConsFlg: "0" }] },
          },
        },
        summary: "一括照会の登録 (OQSmuquc01 相当, onshi 独自のパス)",
        description:
          `${ONSHI_OWN} OQSmuquc01req と同じ XmlMsg (MessageBody に QualificationConfirmSearchInfo の配列) を送ると、` +
          "受付番号 (ReceptionNumber) と受付日時 (ReceptionDateTime) を返す。照会はバックグラウンドで行われる。" +
          "application/xml (UTF-8 / Shift_JIS) も受け付ける。件数の上限は ONSHI_BULK_ROW_LIMIT (既定 100000)。",
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "OQSmuquc01"),
  );

  app.post(
    BULK_RESULT_PATH,
    {
      onRequest: authenticateMessage(deps),
      schema: messageRouteSchema("OQSmuquc02", {
        tag: "一括照会",
        statuses: [404, 410],
        example: { XmlMsg: { MessageHeader: { MedicalInstitutionCode: DEMO_FACILITY }, MessageBody: { ReceptionNumber: demoReception("muquc") } } },
        summary: "一括照会の結果取得 (OQSmuquc02 相当, onshi 独自のパス)",
        description:
          `${ONSHI_OWN} {"XmlMsg":{"MessageHeader":{"MedicalInstitutionCode":…},"MessageBody":{"ReceptionNumber":…}}} を送る。` +
          "処理中は SegmentOfResult 2、完了後は件数 (NumberOfProcessingResult / NumberOfNormalProcessing / NumberOfError) と" +
          "入力順の BulkConfirmUnit を返す。",
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "OQSmuquc02"),
  );
}
