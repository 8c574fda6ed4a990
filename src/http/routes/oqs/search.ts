// POST /oqs-api-pro/MSA01030/ILI01030SV01/search — 個別照会 over the WebAPI. The real API takes
// the XmlMsg tree as JSON; we also take it as XML (UTF-8 or Shift_JIS, answered in the same
// charset), the form the folder route uses, so a vendor can try a request file over HTTP.
import type { FastifyInstance } from "fastify";
import { CodecError } from "../../../codec/errors.ts";
import { jsonToTree } from "../../../codec/json.ts";
import { decodeXml, identifierOf, type Charset } from "../../../codec/xml.ts";
import { CODEC_ERROR_CODES } from "../../../oqs/codec-error-codes.ts";
import { OqsError, type ErrorCode } from "../../../oqs/error-codes.ts";
import type { XmlTree } from "../../../oqs/message-tree.ts";
import { answerQualificationCheck } from "../../../services/qualification-check.ts";
import { oqsErrorReply, sendAnswer } from "../../oqs-reply.ts";
import { searchRequestSchema, xmlMsgResponseSchema } from "../../schemas.ts";
import type { ServerDeps } from "../../server.ts";

export function registerSearchRoute(app: FastifyInstance, { oqs, tokens }: ServerDeps) {
  app.addContentTypeParser(["application/xml", "text/xml"], { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.post(
    "/oqs-api-pro/MSA01030/ILI01030SV01/search",
    {
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
    async (request, reply) => {
      const isXml = Buffer.isBuffer(request.body);
      let charset: Charset = "UTF-8";
      const fail = (code: ErrorCode, element?: string) =>
        oqsErrorReply(reply, { now: oqs.now, characterCode: identifierOf(charset) }, code, element, isXml ? charset : undefined);
      let tree: XmlTree;
      try {
        if (isXml) {
          const decoded = decodeXml(request.body as Buffer);
          charset = decoded.charset;
          tree = decoded.tree;
        } else {
          tree = jsonToTree(request.body);
        }
      } catch (error) {
        if (error instanceof CodecError) return fail(CODEC_ERROR_CODES[error.code], error.code === "JSON_SHAPE" ? error.detail.split(" ")[0] : undefined);
        throw error;
      }
      let facility: string;
      try {
        facility = await tokens.verify(request.headers.authorization);
      } catch (error) {
        if (error instanceof OqsError) return fail(error.code);
        throw error;
      }
      const answer = await answerQualificationCheck({ ...oqs, characterCode: identifierOf(charset) }, tree, { authorizedFacility: facility });
      return sendAnswer(reply, answer, isXml ? charset : undefined);
    },
  );
}
