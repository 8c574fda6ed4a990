// The terminal page's 「利用率のお知らせ」 (/terminal/api/usage-notices…): the months whose notice is
// issued, one notice as JSON, and its PDF, for the signed-in staff member's facility only (every
// role: the notice is the facility's, not a patient's). The facility is in the path so that a
// notice has one address; any code but the session's is answered as a facility that does not
// exist (E8971, the same status and body). The month is checked first (E8970), whoever's it is.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../../../db/client.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { dateInJapan } from "../../../subsidy/engine.ts";
import { addMonths } from "../../../subsidy/usage-rate.ts";
import { latestNoticeMonth } from "../../../subsidy/usage-notice.ts";
import { checkedNoticeMonth, usageNotice, type UsageNotice } from "../../../services/usage-notice.ts";
import { usageNoticePdf } from "../../../services/usage-notice-pdf.ts";
import type { StaffSessions } from "../../../services/staff.ts";
import { errorBodySchema } from "../../error-body.ts";
import { requireStaffSession, staffSession } from "../../staff-session.ts";

interface Deps {
  db: Db;
  now: () => Date;
  staff: StaffSessions;
}

export const USAGE_NOTICES_PATH = "/terminal/api/usage-notices";
/** The months the screen offers: the latest issued notice and the 23 before it (two years). */
export const NOTICE_MONTHS_OFFERED = 24;

const answer = { type: "object", additionalProperties: true };
const params = { type: "object", required: ["code", "month"], properties: { code: { type: "string", maxLength: 20 }, month: { type: "string", maxLength: 20 } } };

export function registerUsageNoticeRoutes(app: FastifyInstance, deps: Deps): void {
  const session = requireStaffSession(deps.staff);

  /** The session's facility's notice of the path's month, or the refusal (E8970, E8971, E8972). */
  async function notice(request: FastifyRequest): Promise<UsageNotice> {
    const { code, month } = request.params as { code: string; month: string };
    checkedNoticeMonth(month);
    if (code !== staffSession(request).account.facilityCode) throw new OqsError("E8971", code);
    return usageNotice(deps.db, code, month, deps.now());
  }

  app.get(
    USAGE_NOTICES_PATH,
    { onRequest: session, schema: { hide: true, summary: "利用率のお知らせが発行されている診療月 (新しい順)", response: { 200: answer, 401: errorBodySchema } } },
    async (request, reply) => {
      const latest = latestNoticeMonth(dateInJapan(deps.now()));
      reply.header("cache-control", "no-store");
      return { facilityCode: staffSession(request).account.facilityCode, months: Array.from({ length: NOTICE_MONTHS_OFFERED }, (_, i) => addMonths(latest, -i)) };
    },
  );

  app.get(
    `${USAGE_NOTICES_PATH}/:code/:month`,
    { onRequest: session, schema: { hide: true, summary: "利用率のお知らせ (JSON)", params, response: { 200: answer, 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema } } },
    async (request, reply) => {
      const shown = await notice(request);
      reply.header("cache-control", "no-store");
      return shown;
    },
  );

  app.get(
    `${USAGE_NOTICES_PATH}/:code/:month/pdf`,
    { onRequest: session, schema: { hide: true, summary: "利用率のお知らせ (PDF)", params, response: { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema } } },
    async (request, reply) => {
      const shown = await notice(request);
      return reply
        .header("cache-control", "no-store")
        .header("content-disposition", `attachment; filename="usage-notice-${shown.facility.code}-${shown.month}.pdf"`)
        .type("application/pdf")
        .send(await usageNoticePdf(shown));
    },
  );
}
