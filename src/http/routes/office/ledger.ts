// The 補助金台帳 on the office's routes (docs/subsidy-office.md 「補助金台帳」): an examiner reads any
// facility's ledger (JSON, CSV, PDF) and the totals per 年度 and programme, records a correction (a
// new entry: no route updates or deletes one) and decides disposal requests; the facility's
// administrator (/terminal/subsidy) reads its own ledger, the path naming no facility, and requests
// a disposal. Writes take an Idempotency-Key; roles are checked in onRequest, before a body is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { OqsError } from "../../../errors/catalogue.ts";
import { ledgerCsv, ledgerPdf, totalsCsv, totalsPdf } from "../../../services/subsidy-ledger-export.ts";
import { correctLedger, decideDisposalRequest, disposalsFor, facilityLedgerView, ledgerTotalsView, requestDisposal, type FacilityLedgerView } from "../../../services/subsidy-ledger.ts";
import type { CaseActor, OfficeAnswer } from "../../../services/subsidy-office.ts";
import { errorBodySchema } from "../../error-body.ts";
import { officeActor, requireOfficeRole } from "../../office-session.ts";
import { facilityActor, requireSubsidyAdministrator } from "../../staff-session.ts";
import type { OfficeRouteDeps } from "./deps.ts";
import { idempotencyKeyOf } from "./case-view.ts";

export const OFFICE_LEDGER_PATHS = {
  ledger: "/office/api/facilities/:code/ledger",
  totals: "/office/api/ledger/totals",
  corrections: "/office/api/ledger/corrections",
  disposals: "/office/api/disposals",
  decision: "/office/api/disposals/:disposalId/decision",
  ownLedger: "/terminal/subsidy/api/ledger",
  ownDisposals: "/terminal/subsidy/api/disposals",
} as const;

const answer = { type: "object", additionalProperties: true };
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const codeParams = { type: "object", required: ["code"], properties: { code: { type: "string", maxLength: 20 } } };
const totalsQuery = { type: "object", properties: { fromYear: { type: "string", maxLength: 10 }, toYear: { type: "string", maxLength: 10 }, program: { type: "string", maxLength: 60 } } };
const stateQuery = { type: "object", properties: { state: { type: "string", maxLength: 20 } } };
const disposalParams = { type: "object", required: ["disposalId"], properties: { disposalId: { type: "string", maxLength: 20 } } };
const read = (summary: string, extra: object = {}) => ({ hide: true, summary, ...extra, response: { 200: answer, ...errors } });
const file = (summary: string, extra: object = {}) => ({ hide: true, summary, ...extra, response: errors });
const write = (summary: string, extra: object = {}) => ({ hide: true, summary, ...extra, body: { type: "object" }, response: { 200: answer, 201: answer, ...errors } });

function answered<T>(reply: FastifyReply, done: OfficeAnswer<T>): T {
  reply.code(done.status).header("cache-control", "no-store");
  return done.body;
}

function sendFile(reply: FastifyReply, type: "csv" | "pdf", name: string, body: string | Buffer) {
  return reply
    .header("cache-control", "no-store")
    .header("content-disposition", `attachment; filename="${name}.${type}"`)
    .type(type === "csv" ? "text/csv; charset=utf-8" : "application/pdf")
    .send(body);
}

export function registerOfficeLedgerRoutes(app: FastifyInstance, deps: OfficeRouteDeps): void {
  const examiner = requireOfficeRole(deps.office, "examiner");
  const administrator = requireSubsidyAdministrator(deps.staff);

  const ledgerOf = (actor: CaseActor, code: string) => facilityLedgerView(deps.db, actor, code, deps.now());
  const fileName = (view: FacilityLedgerView) => `subsidy-ledger-${view.facility.code}-${view.asOf}`;
  const examinerLedger = (request: FastifyRequest) => ledgerOf(officeActor(request), (request.params as { code: string }).code);
  const ownLedger = (request: FastifyRequest) => {
    const actor = facilityActor(request);
    return ledgerOf(actor, actor.facilityCode!);
  };

  for (const [path, onRequest, view, whose] of [
    [OFFICE_LEDGER_PATHS.ledger, examiner, examinerLedger, "施設"],
    [OFFICE_LEDGER_PATHS.ownLedger, administrator, ownLedger, "自施設"],
  ] as const) {
    const params = path === OFFICE_LEDGER_PATHS.ledger ? { params: codeParams } : {};
    app.get(path, { onRequest, schema: read(`${whose}の補助金台帳 (第13): 記録、制度ごとの合計、保管期限 (JSON)`, params) }, async (request, reply) => {
      reply.header("cache-control", "no-store");
      return view(request);
    });
    app.get(`${path}/csv`, { onRequest, schema: file(`${whose}の補助金台帳 (CSV, UTF-8)`, params) }, async (request, reply) => {
      const shown = await view(request);
      return sendFile(reply, "csv", fileName(shown), ledgerCsv(shown));
    });
    app.get(`${path}/pdf`, { onRequest, schema: file(`${whose}の補助金台帳 (PDF)`, params) }, async (request, reply) => {
      const shown = await view(request);
      return sendFile(reply, "pdf", fileName(shown), await ledgerPdf(shown));
    });
  }

  const totals = (request: FastifyRequest) => ledgerTotalsView(deps.db, request.query as Record<string, string>);
  app.get(OFFICE_LEDGER_PATHS.totals, { onRequest: examiner, schema: read("年度別・制度別の集計 (厚生労働大臣への報告)", { querystring: totalsQuery }) }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    return totals(request);
  });
  app.get(`${OFFICE_LEDGER_PATHS.totals}/csv`, { onRequest: examiner, schema: file("年度別・制度別の集計 (CSV)", { querystring: totalsQuery }) }, async (request, reply) =>
    sendFile(reply, "csv", "subsidy-ledger-totals", totalsCsv(await totals(request))),
  );
  app.get(`${OFFICE_LEDGER_PATHS.totals}/pdf`, { onRequest: examiner, schema: file("年度別・制度別の集計 (PDF)", { querystring: totalsQuery }) }, async (request, reply) =>
    sendFile(reply, "pdf", "subsidy-ledger-totals", await totalsPdf(await totals(request), deps.now())),
  );

  app.post(OFFICE_LEDGER_PATHS.corrections, { onRequest: examiner, schema: write("台帳の訂正 (新しい記録として追加): entryId, yen, readers, note") }, async (request, reply) =>
    answered(reply, await correctLedger(deps.db, officeActor(request), idempotencyKeyOf(request), (request.body ?? {}) as Record<string, unknown>, deps.now())),
  );

  const disposals = (actor: CaseActor, request: FastifyRequest) => disposalsFor(deps.db, actor, (request.query as { state?: string }).state);
  app.get(OFFICE_LEDGER_PATHS.disposals, { onRequest: examiner, schema: read("財産処分の申請 (第5 1(2))", { querystring: stateQuery }) }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    return disposals(officeActor(request), request);
  });
  app.post(OFFICE_LEDGER_PATHS.decision, { onRequest: examiner, schema: write("財産処分の承認・不承認: approve, note", { params: disposalParams }) }, async (request, reply) => {
    const raw = (request.params as { disposalId: string }).disposalId;
    if (!/^\d{1,15}$/.test(raw)) throw new OqsError("E9630", raw);
    return answered(reply, await decideDisposalRequest(deps.db, officeActor(request), idempotencyKeyOf(request), Number(raw), (request.body ?? {}) as Record<string, unknown>, deps.now()));
  });
  app.get(OFFICE_LEDGER_PATHS.ownDisposals, { onRequest: administrator, schema: read("自施設の財産処分の申請", { querystring: stateQuery }) }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    return disposals(facilityActor(request), request);
  });
  app.post(OFFICE_LEDGER_PATHS.ownDisposals, { onRequest: administrator, schema: write("財産処分の申請 (耐用年数内のカードリーダー): caseId, readers, reason, plannedOn") }, async (request, reply) =>
    answered(reply, await requestDisposal(deps.db, facilityActor(request), idempotencyKeyOf(request), (request.body ?? {}) as Record<string, unknown>, deps.now())),
  );
}
