// Cancellation, return and 延滞金 on the office's routes (docs/subsidy-office.md 「取消し・返還・延滞金」):
// an examiner cancels, orders the return, records payments and runs the overdue sweep, each a write
// under its Idempotency-Key; the statement of a facility as JSON and PDF, for an examiner any
// facility's (an unknown code is E9600), for the facility's administrator (/terminal/subsidy) its
// own, the path naming no facility. Roles are checked in onRequest, before a body is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { OqsError } from "../../../errors/catalogue.ts";
import { idempotent, type CaseActor } from "../../../services/subsidy-office.ts";
import { returnStatementPdf } from "../../../services/subsidy-return-pdf.ts";
import { cancelDecision, orderReturn, recordReturnPayment, returnStatement, sweepOverdueReturns, type ReturnStatement } from "../../../services/subsidy-returns.ts";
import { dateInJapan } from "../../../subsidy/engine.ts";
import { errorBodySchema } from "../../error-body.ts";
import { officeActor, requireOfficeRole } from "../../office-session.ts";
import { requireSubsidyAdministrator, staffSession } from "../../staff-session.ts";
import type { OfficeRouteDeps } from "./deps.ts";
import { FACILITY_SUBSIDY_API } from "./facility-cases.ts";
import { caseIdOf, idempotencyKeyOf } from "./case-view.ts";

export const OFFICE_RETURNS_PATHS = {
  cancel: "/office/api/cases/:caseId/cancel",
  order: "/office/api/cases/:caseId/return-order",
  payments: "/office/api/cases/:caseId/return-payments",
  sweep: "/office/api/returns/sweep",
  statement: "/office/api/facilities/:code/return-statement",
  ownStatement: `${FACILITY_SUBSIDY_API}/return-statement`,
} as const;

const answer = { type: "object", additionalProperties: true };
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const caseParams = { type: "object", required: ["caseId"], properties: { caseId: { type: "string", maxLength: 20 } } };
const atQuery = { type: "object", properties: { at: { type: "string", maxLength: 20 } } };
const writeSchema = (summary: string) => ({ hide: true, summary, params: caseParams, body: { type: "object" }, response: { 200: answer, ...errors } });

/** A body field of the type asked for, or E9601 naming it (absent is undefined). */
function field<T>(body: unknown, name: string, type: "string" | "number" | "boolean"): T | undefined {
  const value = (body as Record<string, unknown>)[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw new OqsError("E9601", name);
  return value as T;
}
const required = <T>(value: T | undefined, name: string): T => {
  if (value === undefined) throw new OqsError("E9601", name);
  return value;
};

const sendPdf = async (reply: FastifyReply, statement: ReturnStatement) =>
  reply
    .header("cache-control", "no-store")
    .header("content-disposition", `attachment; filename="return-statement-${statement.facility.code}-${statement.at}.pdf"`)
    .type("application/pdf")
    .send(await returnStatementPdf(statement));

export function registerOfficeReturnRoutes(app: FastifyInstance, deps: OfficeRouteDeps): void {
  const examiner = requireOfficeRole(deps.office, "examiner");
  const administrator = requireSubsidyAdministrator(deps.staff);

  /** Runs a write once per Idempotency-Key (the route and case are part of the request). */
  async function write(request: FastifyRequest, reply: FastifyReply, route: string, run: (tx: typeof deps.db, actor: CaseActor, now: Date) => Promise<unknown>) {
    const actor = officeActor(request);
    const now = deps.now();
    const done = await idempotent(deps.db, actor, idempotencyKeyOf(request), { route, params: request.params, body: request.body }, now, async (tx) => ({
      status: 200,
      body: JSON.parse(JSON.stringify(await run(tx, actor, now))) as unknown,
    }));
    reply.code(done.status).header("cache-control", "no-store");
    return done.body;
  }

  app.post(OFFICE_RETURNS_PATHS.cancel, { onRequest: examiner, schema: writeSchema("交付決定の取消し (第10): 全部または一部") }, (request, reply) =>
    write(request, reply, "cancel", (tx, actor, now) => {
      const b = request.body ?? {};
      return cancelDecision(
        tx,
        caseIdOf(request),
        actor,
        {
          whole: required(field<boolean>(b, "whole", "boolean"), "whole"),
          yen: field<number>(b, "yen", "number"),
          readers: field<number>(b, "readers", "number"),
          ground: required(field<string>(b, "ground", "string"), "ground"),
          expectedVersion: field<number>(b, "expectedVersion", "number"),
        },
        now,
      );
    }),
  );

  app.post(OFFICE_RETURNS_PATHS.order, { onRequest: examiner, schema: writeSchema("返還命令 (第11): 期限、補助金とカードリーダーの残額") }, (request, reply) =>
    write(request, reply, "return-order", (tx, actor, now) => {
      const b = request.body ?? {};
      return orderReturn(
        tx,
        caseIdOf(request),
        actor,
        {
          deadline: required(field<string>(b, "deadline", "string"), "deadline"),
          readerCost: field<number>(b, "readerCost", "number"),
          ground: required(field<string>(b, "ground", "string"), "ground"),
          expectedVersion: field<number>(b, "expectedVersion", "number"),
        },
        now,
      );
    }),
  );

  app.post(OFFICE_RETURNS_PATHS.payments, { onRequest: examiner, schema: writeSchema("返還の納付の記録 (第12: 期限後は延滞金へ先に充当)") }, (request, reply) =>
    write(request, reply, "return-payment", (tx, actor, now) => {
      const b = request.body ?? {};
      return recordReturnPayment(tx, caseIdOf(request), actor, { paidOn: required(field<string>(b, "paidOn", "string"), "paidOn"), yen: required(field<number>(b, "yen", "number"), "yen") }, now);
    }),
  );

  app.post(
    OFFICE_RETURNS_PATHS.sweep,
    { onRequest: examiner, schema: { hide: true, summary: "期限を過ぎた返還を延滞中にする (既定: 今日)", body: { type: "object" }, response: { 200: answer, ...errors } } },
    (request, reply) =>
      write(request, reply, "sweep", async (tx, _actor, now) => {
        const day = field<string>(request.body ?? {}, "day", "string") ?? dateInJapan(now);
        return { day, moved: await sweepOverdueReturns(tx, day, now) };
      }),
  );

  const statementOf = (request: FastifyRequest, code: string) => returnStatement(deps.db, code, (request.query as { at?: string }).at ?? dateInJapan(deps.now()));
  const codeParams = { type: "object", required: ["code"], properties: { code: { type: "string", maxLength: 20 } } };
  const getSchema = (summary: string, params?: object) => ({ hide: true, summary, querystring: atQuery, ...(params ? { params } : {}), response: { 200: answer, ...errors } });

  app.get(OFFICE_RETURNS_PATHS.statement, { onRequest: examiner, schema: getSchema("施設の返還・延滞金の明細 (JSON)", codeParams) }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    return statementOf(request, (request.params as { code: string }).code);
  });
  app.get(`${OFFICE_RETURNS_PATHS.statement}/pdf`, { onRequest: examiner, schema: { ...getSchema("施設の返還・延滞金の明細 (PDF)", codeParams), response: errors } }, async (request, reply) =>
    sendPdf(reply, await statementOf(request, (request.params as { code: string }).code)),
  );
  app.get(OFFICE_RETURNS_PATHS.ownStatement, { onRequest: administrator, schema: getSchema("自施設の返還・延滞金の明細 (JSON)") }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    return statementOf(request, staffSession(request).account.facilityCode);
  });
  app.get(`${OFFICE_RETURNS_PATHS.ownStatement}/pdf`, { onRequest: administrator, schema: { ...getSchema("自施設の返還・延滞金の明細 (PDF)"), response: errors } }, async (request, reply) =>
    sendPdf(reply, await statementOf(request, staffSession(request).account.facilityCode)),
  );
}
