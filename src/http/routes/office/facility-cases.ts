// The facility's own subsidy cases (/terminal/subsidy/api, its administrator's staff session):
// the programmes it may apply for with their periods, its cases newest first, one case with its
// transitions, an application (apply) and the resubmission of a case sent back, each write under
// its Idempotency-Key. The facility is the session's, never the request's: another facility's
// case answers as no case (E9500).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { apply, idempotent, resubmit, showCase } from "../../../services/subsidy-office.ts";
import { listFacilityCases } from "../../../store/subsidy-case-store.ts";
import { applicationPeriod } from "../../../subsidy/application-periods.ts";
import { CASE_KINDS, CASE_STATE_LABELS, TRANSITIONS } from "../../../subsidy/case-states.ts";
import { loadPrograms } from "../../../subsidy/program-data.ts";
import { errorBodySchema } from "../../error-body.ts";
import { facilityActor, requireSubsidyAdministrator } from "../../staff-session.ts";
import { caseIdOf, caseView, idempotencyKeyOf } from "./case-view.ts";
import type { OfficeRouteDeps } from "./deps.ts";

export const FACILITY_SUBSIDY_API = "/terminal/subsidy/api";

const answer = { type: "object", additionalProperties: true };
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const caseParams = { type: "object", required: ["caseId"], properties: { caseId: { type: "string", maxLength: 20 } } };
// A profile with its months and a pharmacy group stays well under this.
const APPLY_BODY_LIMIT_BYTES = 256 * 1024;

/** Each programme and kind as the apply form offers it: open here or not (why), and its period with sources. */
function programChoices() {
  return loadPrograms().map((p) => ({
    id: p.id,
    name: p.name,
    kinds: CASE_KINDS.map((kind) => applicationPeriod(p.id, kind)),
  }));
}

export function registerFacilityCaseRoutes(app: FastifyInstance, deps: OfficeRouteDeps): void {
  const administrator = requireSubsidyAdministrator(deps.staff);
  const own = (request: FastifyRequest) => facilityActor(request);

  app.get(`${FACILITY_SUBSIDY_API}/programs`, { onRequest: administrator, schema: { hide: true, summary: "申請できる制度と申請期間 (出典つき)", response: { 200: answer, ...errors } } }, async () => ({
    programs: programChoices(),
    states: CASE_STATE_LABELS,
    actions: Object.fromEntries(TRANSITIONS.map((t) => [t.action, t.source])),
  }));

  app.get(`${FACILITY_SUBSIDY_API}/cases`, { onRequest: administrator, schema: { hide: true, summary: "自施設の案件 (新しい順)", response: { 200: answer, ...errors } } }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    return { cases: (await listFacilityCases(deps.db, own(request).facilityCode!)).map(caseView) };
  });

  app.get(
    `${FACILITY_SUBSIDY_API}/cases/:caseId`,
    { onRequest: administrator, schema: { hide: true, summary: "自施設の案件と経過", params: caseParams, response: { 200: answer, ...errors } } },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const shown = await showCase(deps.db, caseIdOf(request), own(request));
      return { case: caseView(shown.case), transitions: shown.transitions };
    },
  );

  app.post(
    `${FACILITY_SUBSIDY_API}/cases`,
    { onRequest: administrator, bodyLimit: APPLY_BODY_LIMIT_BYTES, schema: { hide: true, summary: "申請 (Idempotency-Key 必須)", body: { type: "object" }, response: { 200: answer, ...errors } } },
    async (request, reply) => {
      const actor = own(request);
      const now = deps.now();
      // The facility applies for itself: a code in the body is replaced by the session's.
      const input = { ...(request.body as object), facilityCode: actor.facilityCode };
      const done = await idempotent(deps.db, actor, idempotencyKeyOf(request), { route: "apply", input }, now, async (tx) => ({
        status: 200,
        body: { case: caseView(await apply(tx, input, actor, now)) },
      }));
      return reply.code(done.status).header("cache-control", "no-store").send(done.body);
    },
  );

  app.post(
    `${FACILITY_SUBSIDY_API}/cases/:caseId/resubmit`,
    {
      onRequest: administrator,
      bodyLimit: APPLY_BODY_LIMIT_BYTES,
      schema: { hide: true, summary: "差戻しの案件の再申請 (Idempotency-Key 必須)", params: caseParams, body: { type: "object" }, response: { 200: answer, ...errors } },
    },
    async (request, reply) => {
      const actor = own(request);
      const now = deps.now();
      const caseId = caseIdOf(request);
      const { profile, expectedVersion } = request.body as { profile?: unknown; expectedVersion?: unknown };
      const done = await idempotent(deps.db, actor, idempotencyKeyOf(request), { route: "resubmit", caseId, body: request.body }, now, async (tx) => ({
        status: 200,
        body: { case: caseView(await resubmit(tx, caseId, profile, actor, now, typeof expectedVersion === "number" ? { expectedVersion } : {})) },
      }));
      return reply.code(done.status).header("cache-control", "no-store").send(done.body);
    },
  );
}
