// オンライン診療・訪問診療・医療扶助の一括照会 over the WebAPI, the same two phases as the files
// OQSmuonq01/02, OQSmuhvq01/02 and OQSmutic01/02 (docs/remote-care.md). The real paths are not public, so these are onshi's own, next
// to 一括照会's; the body is the request file's XmlMsg, in JSON or XML.
import type { FastifyInstance } from "fastify";
import { demoReception } from "../../../seed/demo.ts";
import { answerMessageRequest, authenticateMessage, messageRouteSchema } from "../../message-route.ts";
import type { ServerDeps } from "../../server-deps.ts";
import { DEMO_FACILITY } from "./search.ts";

const ONSHI_OWN = "実システムのパスは公開されていないため、このパスは onshi 独自のもの。";

const KINDS = [
  {
    path: "online",
    title: "オンライン診療",
    upload: "OQSmuonq01",
    result: "OQSmuonq02",
    reception: "muonq",
    search: { ExaminationDateFrom: "20260401", ExaminationDateTo: "20260430", MedicalTreatmentFlag: "3" },
    keys: "ConsentDateFrom/To (同意日) または ExaminationDateFrom/To (受診日) と MedicalTreatmentFlag 3",
  },
  {
    path: "visit",
    title: "訪問診療",
    upload: "OQSmuhvq01",
    result: "OQSmuhvq02",
    reception: "muhvq",
    search: { ConsentDateFrom: "20260301", ConsentDateTo: "20260331", MedicalTreatmentFlag: "2" },
    keys: "ConsentDateFrom/To (同意日) と MedicalTreatmentFlag 2",
  },
  {
    path: "medical-aid",
    title: "医療扶助",
    upload: "OQSmutic01",
    result: "OQSmutic02",
    reception: "mutic",
    search: { MedicalTreatmentMonth: "202604" },
    keys: "MedicalTreatmentMonth (診療年月 YYYYMM)",
  },
] as const;

export const REMOTE_BULK_PATHS = KINDS.flatMap((k) => [`/onshi-api/remote-bulk/${k.path}/upload`, `/onshi-api/remote-bulk/${k.path}/result`]);

export function registerRemoteBulkRoutes(app: FastifyInstance, deps: ServerDeps) {
  for (const k of KINDS) {
    app.post(
      `/onshi-api/remote-bulk/${k.path}/upload`,
      {
        onRequest: authenticateMessage(deps),
        schema: messageRouteSchema(k.upload, {
          tag: "一括照会",
          statuses: [413],
          example: { XmlMsg: { MessageHeader: { MedicalInstitutionCode: DEMO_FACILITY }, MessageBody: { QualificationConfirmSearchInfo: [k.search] } } },
          summary: `${k.title}の一括照会の登録 (${k.upload} 相当, onshi 独自のパス)`,
          description: `${ONSHI_OWN} ${k.upload}req と同じ XmlMsg (QualificationConfirmSearchInfo に ${k.keys}) を送ると受付番号を返す。`,
        }),
      },
      (request, reply) => answerMessageRequest(request, reply, deps, k.upload),
    );
    app.post(
      `/onshi-api/remote-bulk/${k.path}/result`,
      {
        onRequest: authenticateMessage(deps),
        schema: messageRouteSchema(k.result, {
          tag: "一括照会",
          statuses: [404, 410],
          example: { XmlMsg: { MessageHeader: { MedicalInstitutionCode: DEMO_FACILITY }, MessageBody: { ReceptionNumber: demoReception(k.reception) } } },
          summary: `${k.title}の一括照会の結果取得 (${k.result} 相当, onshi 独自のパス)`,
          description: `${ONSHI_OWN} 処理中は SegmentOfResult 2、完了後は検索ごとに該当者 (自宅での同意が有効な人、医療扶助はその月の医療券がある人) 1人につき1件の BulkConfirmUnit を返す。`,
        }),
      },
      (request, reply) => answerMessageRequest(request, reply, deps, k.result),
    );
  }
}
