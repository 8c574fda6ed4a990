// POST /oqs-api-pro/MSA01030/ILI01030SV01/search — 個別照会 over the WebAPI. The real API takes
// the XmlMsg tree as JSON; we also take it as XML (UTF-8 or Shift_JIS, answered in the same
// charset), the form the folder route uses, so a vendor can try a request file over HTTP.
import type { FastifyInstance } from "fastify";
import { acceptXmlBodies, answerMessageRequest, authenticateMessage, messageRouteSchema } from "../../message-route.ts";
import type { ServerDeps } from "../../server-deps.ts";
import { DEMO_FACILITIES, DEMO_KEY } from "../../../seed/demo.ts";

/** The examples' facility: the demo hospital. */
export const DEMO_FACILITY = DEMO_FACILITIES[0].code;
const DEMO_SEARCH = {
  XmlMsg: {
    MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: DEMO_FACILITY },
    MessageBody: { QualificationConfirmSearchInfo: { ...DEMO_KEY, Birthdate: "19680229", LimitApplicationCertificateRelatedConsFlg: "1" } },
  },
};

export function registerSearchRoute(app: FastifyInstance, deps: ServerDeps) {
  acceptXmlBodies(app);

  app.post(
    "/oqs-api-pro/MSA01030/ILI01030SV01/search",
    {
      onRequest: authenticateMessage(deps),
      schema: messageRouteSchema("OQSsiquc01", {
        summary: "個別照会 (資格確認)",
        description:
          "保険者番号・記号・番号・枝番・生年月日で資格を確認する。Authorization ヘッダに auth で得た idToken を設定する (Authorize ボタン)。" +
          "application/xml (UTF-8 / Shift_JIS) の XmlMsg も受け付け、同じ文字コードの XML で応答する。例はデモデータ (npm start) の人物。",
        tag: "資格確認",
        example: DEMO_SEARCH,
        statuses: [],
      }),
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "OQSsiquc01"),
  );
}
