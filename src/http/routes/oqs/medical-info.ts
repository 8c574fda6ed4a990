// 薬剤情報 (YZKsiquc01) and 特定健診情報 (TKKsiquc01) over the WebAPI: the same XmlMsg as the request
// files, as JSON or as XML in UTF-8 / Shift_JIS. The real WebAPI paths of these messages are not
// public, so these paths are onshi's own. An XML FileCategory is answered with the XmlMsg (JSON, or
// XML in the request's charset); a PDF one with the PDF itself (application/pdf); a refusal with
// the XmlMsg carrying ResultCode 2 and the reason in MessageContents.
import type { FastifyInstance } from "fastify";
import { acceptXmlBodies, answerMessageRequest, authenticateMessage, messageRouteSchema } from "../../message-route.ts";
import { DEMO_CONSENT_KEY } from "../../../seed/demo.ts";
import type { ServerDeps } from "../../server-deps.ts";
import { DEMO_FACILITY } from "./search.ts";

export const DRUG_INFO_PATH = "/onshi-api/medical-info/drugs";
export const CHECKUP_INFO_PATH = "/onshi-api/medical-info/checkups";

const ONSHI_OWN = "実システムの WebAPI のパスは公開されていないため、このパスは onshi 独自のもの。";
const CONSENT =
  "患者がこの医療機関の顔認証付きカードリーダーで同意し、その24時間以内 (ConsTime から AvailableTime の前まで) に限り答える。" +
  "同意がない・期限切れ・薬局の特定健診・対象外の資格 (自衛官診療証・日雇特例・医療扶助) は ResultCode 2 と MessageContents の理由 (E8100–E8107)。" +
  "閲覧は、答えても断っても監査ログに記録される。例はデモデータ (npm start -- --now 2026-04-01) の佐藤　健一。";

const header = { MedicalInstitutionCode: DEMO_FACILITY, ...DEMO_CONSENT_KEY, ArbitraryFileIdentifier: "example" };

export function registerMedicalInfoRoutes(app: FastifyInstance, deps: ServerDeps) {
  acceptXmlBodies(app);

  app.post(
    DRUG_INFO_PATH,
    {
      onRequest: authenticateMessage(deps),
      schema: messageRouteSchema("YZKsiquc01", {
        tag: "薬剤・特定健診",
        statuses: [409],
        example: { XmlMsg: { MessageHeader: header, MessageBody: { StartDate: "202404", EndDate: "202603", FileCategory: "4", PrDiInfClassification: "1", MedicalTreatmentFlag: "1" } } },
        summary: "薬剤情報 (YZKsiquc01 相当, onshi 独自のパス)",
        description:
          `${ONSHI_OWN} YZKsiquc01req と同じ XmlMsg を送る。FileCategory 2 (薬剤) と 4 (薬剤と診療) は XmlMsg (MeTrMonthInf・ShPrInf・CzDiInf) で、` +
          `1 と 3 は PDF (application/pdf) で答える。手術は手術情報の同意があるときだけ診療情報に含む。${CONSENT}`,
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "YZKsiquc01"),
  );

  app.post(
    CHECKUP_INFO_PATH,
    {
      onRequest: authenticateMessage(deps),
      schema: messageRouteSchema("TKKsiquc01", {
        tag: "薬剤・特定健診",
        statuses: [409],
        example: { XmlMsg: { MessageHeader: header, MessageBody: { FileCategory: "2" } } },
        summary: "特定健診情報 (TKKsiquc01 相当, onshi 独自のパス)",
        description:
          `${ONSHI_OWN} TKKsiquc01req と同じ XmlMsg を送る。FileCategory 2 は XmlMsg (SpecificHealthCheckupInfo) で、1 は PDF で答える。` +
          `病院・診療所だけが閲覧できる (薬局は E8103)。${CONSENT}`,
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "TKKsiquc01"),
  );
}
