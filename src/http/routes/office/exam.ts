// Examination and decision (docs/subsidy-office.md 「審査と交付決定」): the examiner's JSON under
// /office/api/exam (queue, case, decision, sending back, payment, a notice's PDF), each behind
// requireOfficeRole(examiner) before any body is read; and the facility's decision notices under
// /terminal/subsidy/api/notices for its administrator (another facility's notice is answered as
// none, E9566). Every write takes an Idempotency-Key.
import type { FastifyInstance, FastifyReply } from "fastify";
import { errorBodySchema } from "../../error-body.ts";
import { officeActor, requireOfficeRole } from "../../office-session.ts";
import { facilityActor, requireSubsidyAdministrator } from "../../staff-session.ts";
import { loadPrograms } from "../../../subsidy/program-data.ts";
import type { OfficeAnswer } from "../../../services/subsidy-office.ts";
import {
  decideCase,
  examinerQueue,
  examView,
  facilityNotices,
  noticePdf,
  readableNotice,
  recordPayment,
  sendBackCase,
  type ExamContext,
} from "../../../services/subsidy-exam.ts";
import type { StoredNotice } from "../../../store/subsidy-exam-store.ts";
import { caseIdOf, idempotencyKeyOf } from "./case-view.ts";
import type { OfficeRouteDeps } from "./deps.ts";
import { FACILITY_SUBSIDY_API } from "./facility-cases.ts";

export const EXAM_API = "/office/api/exam";
export const FACILITY_NOTICES_API = `${FACILITY_SUBSIDY_API}/notices`;
/** A decision, a reason and a version: a few kilobytes at most. */
const WRITE_BODY_LIMIT_BYTES = 8 * 1024;

const answer = { type: "object", additionalProperties: true };
const refusals = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };

const send = <T>(reply: FastifyReply, result: OfficeAnswer<T>) => reply.header("cache-control", "no-store").code(result.status).send(result.body);

function sendPdf(reply: FastifyReply, notice: StoredNotice, pdf: Buffer) {
  return reply
    .header("cache-control", "no-store")
    .header("content-disposition", `attachment; filename="decision-notice-${notice.caseId}-${notice.seq}.pdf"`)
    .type("application/pdf")
    .send(pdf);
}

/** A notice as a list shows it: what it is, its number and date, its case. */
const noticeSummary = (n: StoredNotice) => ({ noticeId: n.noticeId, caseId: n.caseId, kind: n.kind, noticeNumber: n.noticeNumber, issuedOn: n.issuedOn, title: n.content.title });

export function registerExamRoutes(app: FastifyInstance, deps: OfficeRouteDeps): void {
  const ctx: ExamContext = { db: deps.db, now: deps.now, programs: loadPrograms() };
  const examiner = requireOfficeRole(deps.office, "examiner");
  const administrator = requireSubsidyAdministrator(deps.staff);
  /** The path's notice id; anything but a positive whole number is no notice (E9566, as one not yours). */
  const noticeIdOf = (params: unknown) => {
    const raw = (params as { noticeId: string }).noticeId;
    return /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  };

  app.get(
    `${EXAM_API}/queue`,
    {
      onRequest: examiner,
      schema: { hide: true, summary: "審査待ち一覧 (申請中、古い順)", querystring: { type: "object", properties: { after: { type: "string", maxLength: 20 }, limit: { type: "string", maxLength: 5 } } }, response: { 200: answer, ...refusals } },
    },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      return examinerQueue(deps.db, request.query as { after?: string; limit?: string });
    },
  );

  app.get(
    `${EXAM_API}/cases/:caseId`,
    { onRequest: examiner, schema: { hide: true, summary: "審査画面: 申請と算定 (申請日で再計算)", response: { 200: answer, ...refusals } } },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      return examView(ctx, caseIdOf(request), officeActor(request));
    },
  );

  const writes = [
    { path: "decision", summary: "交付決定 (accept / reduce)", run: decideCase },
    { path: "send-back", summary: "差戻し (理由)", run: sendBackCase },
    { path: "payment", summary: "支払の記録 (支払日)", run: recordPayment },
  ] as const;
  for (const write of writes) {
    app.post(
      `${EXAM_API}/cases/:caseId/${write.path}`,
      { onRequest: examiner, bodyLimit: WRITE_BODY_LIMIT_BYTES, schema: { hide: true, summary: write.summary, response: { 200: answer, ...refusals } } },
      async (request, reply) => send(reply, await write.run(ctx, officeActor(request), caseIdOf(request), request.body, idempotencyKeyOf(request))),
    );
  }

  app.get(
    `${EXAM_API}/notices/:noticeId/pdf`,
    { onRequest: examiner, schema: { hide: true, summary: "交付決定通知書 (PDF)", response: refusals } },
    async (request, reply) => {
      const notice = await readableNotice(deps.db, noticeIdOf(request.params), null);
      return sendPdf(reply, notice, await noticePdf(notice));
    },
  );

  app.get(
    FACILITY_NOTICES_API,
    { onRequest: administrator, schema: { hide: true, summary: "自施設の交付決定通知書の一覧 (新しい順)", response: { 200: answer, ...refusals } } },
    async (request, reply) => {
      const facilityCode = facilityActor(request).facilityCode!;
      reply.header("cache-control", "no-store");
      return { facilityCode, notices: (await facilityNotices(deps.db, facilityCode)).map(noticeSummary) };
    },
  );

  app.get(
    `${FACILITY_NOTICES_API}/:noticeId`,
    { onRequest: administrator, schema: { hide: true, summary: "交付決定通知書 (JSON)", response: { 200: answer, ...refusals } } },
    async (request, reply) => {
      const notice = await readableNotice(deps.db, noticeIdOf(request.params), facilityActor(request).facilityCode!);
      reply.header("cache-control", "no-store");
      return { ...noticeSummary(notice), content: notice.content };
    },
  );

  app.get(
    `${FACILITY_NOTICES_API}/:noticeId/pdf`,
    { onRequest: administrator, schema: { hide: true, summary: "交付決定通知書 (PDF)", response: refusals } },
    async (request, reply) => {
      const notice = await readableNotice(deps.db, noticeIdOf(request.params), facilityActor(request).facilityCode!);
      return sendPdf(reply, notice, await noticePdf(notice));
    },
  );
}
