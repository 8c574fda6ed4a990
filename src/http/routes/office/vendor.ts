// The 取りまとめ者's routes (docs/subsidy-office.md 「取りまとめ者の一括申請」): register facilities in
// advance (第8 3) and list them; send a batch (CSV or JSON Lines) and read it back, its cases and
// its refused lines. Each takes a vendor's session in onRequest (requireOfficeRole), before a byte
// of the body is read; the writes take an Idempotency-Key and answer a retry with the first answer.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { OqsError } from "../../../errors/catalogue.ts";
import { showBatch, submitBatchOnce, vendorBatches } from "../../../services/office-batch.ts";
import { registerVendorFacilities, registrationCodes, vendorFacilities } from "../../../services/office-vendor.ts";
import { idempotent, type CaseActor } from "../../../services/subsidy-office.ts";
import { BATCH_MODES, MAX_BATCH_BYTES, MAX_BATCH_LINES, type BatchFormat, type BatchMode } from "../../../subsidy/batch-lines.ts";
import { officeActor, requireOfficeRole } from "../../office-session.ts";
import type { OfficeRouteDeps } from "./deps.ts";
import { idempotencyKeyOf } from "./case-view.ts";

export const VENDOR_PATHS = {
  facilities: "/office/api/vendor/facilities",
  batches: "/office/api/batches",
  batch: "/office/api/batches/:id",
} as const;

/** A registration of MAX_BATCH_LINES codes, quoted and separated: about 140 KB. */
const REGISTRATION_BODY_LIMIT_BYTES = 256 * 1024;

/** The batch formats by Content-Type (its parameters, such as charset, aside). */
const FORMATS: Record<string, BatchFormat> = { "text/csv": "csv", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "application/jsonlines": "jsonl" };

/** The signed-in vendor (requireOfficeRole let only a vendor through). */
function vendorOf(request: FastifyRequest): CaseActor & { accountId: number } {
  const actor = officeActor(request);
  return { ...actor, accountId: actor.accountId ?? 0 };
}

export function registerVendorRoutes(app: FastifyInstance, deps: OfficeRouteDeps): void {
  const vendorOnly = requireOfficeRole(deps.office, "vendor");
  const hidden = { hide: true };

  app.get(VENDOR_PATHS.facilities, { onRequest: vendorOnly, schema: { ...hidden, summary: "取りまとめ者が事前に登録した医療機関等" } }, async (request) => ({
    facilities: await vendorFacilities(deps.db, vendorOf(request).accountId),
  }));

  app.post(
    VENDOR_PATHS.facilities,
    { onRequest: vendorOnly, bodyLimit: REGISTRATION_BODY_LIMIT_BYTES, schema: { ...hidden, summary: "取りまとめ者が申請する医療機関等を事前に登録する (第8 3)" } },
    async (request, reply) => {
      const actor = vendorOf(request);
      const codes = registrationCodes(request.body);
      const now = deps.now();
      const answer = await idempotent(deps.db, actor, idempotencyKeyOf(request), { route: VENDOR_PATHS.facilities, codes }, now, async (tx) => ({
        status: 200,
        body: await registerVendorFacilities(tx, actor.accountId, codes, now),
      }));
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.get(VENDOR_PATHS.batches, { onRequest: vendorOnly, schema: { ...hidden, summary: "取りまとめ者の一括申請 (新しい順)" } }, async (request) => ({
    batches: await vendorBatches(deps.db, vendorOf(request).accountId),
  }));

  app.get(VENDOR_PATHS.batch, { onRequest: vendorOnly, schema: { ...hidden, summary: "一括申請の結果 (受け付けた案件と、誤りのある行)" } }, async (request) =>
    showBatch(deps.db, vendorOf(request).accountId, Number((request.params as { id: string }).id)),
  );

  // The batch's body is text in its own format: read whole (bounded), then split into lines by the service.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: MAX_BATCH_BYTES }, (_request, body, done) => done(null, body));
    scope.post(
      VENDOR_PATHS.batches,
      {
        onRequest: vendorOnly,
        bodyLimit: MAX_BATCH_BYTES,
        schema: {
          ...hidden,
          summary: `一括申請 (CSV または JSON Lines、${MAX_BATCH_LINES.toLocaleString("en")} 行まで)。mode=partial (正しい行だけ受け付ける) または all_or_nothing`,
        },
      },
      async (request, reply) => {
        const actor = vendorOf(request);
        const format = FORMATS[String(request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase()];
        if (format === undefined) throw new OqsError("E9533");
        const mode = (request.query as { mode?: string }).mode ?? "partial";
        if (!BATCH_MODES.includes(mode as BatchMode)) throw new OqsError("E9537", mode);
        const text = typeof request.body === "string" ? request.body : "";
        const answer = await submitBatchOnce(deps.db, actor, idempotencyKeyOf(request), text, format, mode as BatchMode, deps.now());
        return reply.code(answer.status).send(answer.body);
      },
    );
  });
}
