// POST /onshi-api/usage/receipts — a facility's monthly receipt counts (レセプト件数, of which 外来),
// the denominators of the receipt bases (docs/usage.md). The facility's WebAPI idToken is checked
// before the body is read; the upload is the token's facility's only (`?facility=` naming another
// is answered as one that does not exist). JSON or CSV, bounded in bytes and rows.
import type { FastifyInstance } from "fastify";
import { MAX_RECEIPT_ROWS, RECEIPTS_CSV_HEADER } from "../../../domain/usage-receipts.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { RECEIPTS_FILE_LIMIT_BYTES, uploadReceipts } from "../../../services/usage-receipts.ts";
import { authenticatedFacility, authenticateFirst } from "../../authenticate-first.ts";
import { answerWithErrorBodies, errorBodySchema, tokenHeaders } from "../../error-body.ts";
import type { ServerDeps } from "../../server-deps.ts";

export const USAGE_RECEIPTS_PATH = "/onshi-api/usage/receipts";

const monthSchema = {
  type: "object",
  properties: {
    month: { type: "string", description: "診療月 YYYY-MM (日本時間の今月まで)" },
    receipts: { type: "integer", description: "レセプト件数 (0〜10,000,000)" },
    outpatientReceipts: { type: "integer", description: "うち外来のレセプト件数 (レセプト件数以下)" },
  },
} as const;

export async function registerUsageReceiptsRoute(app: FastifyInstance, { oqs, tokens }: ServerDeps): Promise<void> {
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    // Each row is checked by the service with its own code; the schemas below document the route.
    scope.setValidatorCompiler(() => () => true);
    // CSV is UTF-8 (a BOM is allowed), read as JSON bodies are: bytes that are not UTF-8 are E1003.
    // Other text is not CSV: text/plain is E1012 (415) like any other media type.
    scope.removeContentTypeParser("text/plain");
    scope.addContentTypeParser("text/csv", { parseAs: "buffer" }, (_request, body, done) => {
      try {
        done(null, new TextDecoder("utf-8", { fatal: true }).decode(body as Buffer));
      } catch {
        done(new OqsError("E1003"), undefined);
      }
    });
    scope.post(
      USAGE_RECEIPTS_PATH,
      {
        onRequest: authenticateFirst(tokens),
        // A larger body is E1011 (413), unread.
        bodyLimit: RECEIPTS_FILE_LIMIT_BYTES,
        schema: {
          tags: ["マイナ保険証利用率"],
          security: [{ idToken: [] }],
          summary: "レセプト件数 (全体・外来) の月ごとのアップロード (onshi 独自)",
          description:
            `利用率のレセプト件数ベースの分母。application/json で {"months":[{"month":"2026-03","receipts":1200,"outpatientReceipts":1100}]}、` +
            `または text/csv (UTF-8, 1行目 ${RECEIPTS_CSV_HEADER}) で 1〜${MAX_RECEIPT_ROWS} 行を送る。` +
            "行ごとに registered / updated / unchanged / refused (code, field) で答え、拒否した行のほかは登録する。同じ内容を2回送っても何も変わらない。" +
            "idToken の医療機関の分だけを登録する (?facility= で別の医療機関を指定すると、存在しない医療機関と同じ E8909)。",
          headers: tokenHeaders,
          querystring: { type: "object", properties: { facility: { type: "string", description: "医療機関コード (省略時は idToken の医療機関。違えば E8909)" } } },
          body: {
            content: {
              "application/json": { schema: { type: "object", required: ["months"], properties: { months: { type: "array", items: monthSchema } } } },
              "text/csv": { schema: { type: "string", description: `1行目 ${RECEIPTS_CSV_HEADER}、以降 1 行 1 か月` } },
            },
          },
          response: {
            200: {
              type: "object",
              properties: {
                facilityCode: { type: "string" },
                counts: {
                  type: "object",
                  properties: { registered: { type: "integer" }, updated: { type: "integer" }, unchanged: { type: "integer" }, refused: { type: "integer" } },
                },
                results: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      row: { type: "integer", description: "何行目か (1 から。CSV は見出しの次の行が 1)" },
                      month: { type: "string" },
                      result: { type: "string", enum: ["registered", "updated", "unchanged", "refused"] },
                      code: { type: "string" },
                      message: { type: "string" },
                      field: { type: "string" },
                    },
                  },
                },
              },
            },
            400: errorBodySchema,
            401: errorBodySchema,
            404: errorBodySchema,
            413: errorBodySchema,
            415: errorBodySchema,
          },
        },
      },
      async (request) => {
        const facility = authenticatedFacility(request);
        const named = (request.query as { facility?: unknown }).facility;
        if (named !== undefined && named !== facility) throw new OqsError("E8909");
        const upload = typeof request.body === "string" ? { csv: request.body } : { json: request.body };
        return uploadReceipts(oqs.db, oqs.facilities, facility, upload, oqs.now());
      },
    );
  });
}
