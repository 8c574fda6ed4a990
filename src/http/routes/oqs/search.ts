// POST /oqs-api-pro/MSA01030/ILI01030SV01/search — 個別照会 over the WebAPI. The real API takes
// the XmlMsg tree as JSON; we also take it as XML (UTF-8 or Shift_JIS, answered in the same
// charset), the form the folder route uses, so a vendor can try a request file over HTTP.
import type { FastifyInstance } from "fastify";
import { acceptXmlBodies, answerMessageRequest, authenticateMessage } from "../../message-route.ts";
import { searchRequestSchema, xmlMsgResponseSchema } from "../../schemas.ts";
import type { ServerDeps } from "../../server-deps.ts";

export function registerSearchRoute(app: FastifyInstance, deps: ServerDeps) {
  acceptXmlBodies(app);

  app.post(
    "/oqs-api-pro/MSA01030/ILI01030SV01/search",
    {
      onRequest: authenticateMessage(deps),
      schema: {
        summary: "個別照会 (資格確認)",
        description:
          "保険者番号・記号・番号・枝番・生年月日で資格を確認する。Authorization ヘッダに auth で得た idToken を設定する。" +
          "application/xml (UTF-8 / Shift_JIS) の XmlMsg も受け付け、同じ文字コードの XML で応答する。",
        headers: { type: "object", properties: { authorization: { type: "string", description: "idToken" } } },
        body: searchRequestSchema,
        response: { 200: xmlMsgResponseSchema, 400: xmlMsgResponseSchema, 401: xmlMsgResponseSchema, 403: xmlMsgResponseSchema },
      },
    },
    (request, reply) => answerMessageRequest(request, reply, deps, "OQSsiquc01"),
  );
}
