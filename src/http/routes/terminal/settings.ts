// GET /terminal/api/settings/medical-subsidy (the facility's 医療費助成情報 and who changed it, for
// every role) and POST (利用する / 利用しない, the facility's administrator only: E8602). The
// change is recorded with the staff account as who made it; 利用する accepts the PMH terms.
import type { FastifyInstance } from "fastify";
import type { Db } from "../../../db/client.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { medicalSubsidyUseOf, setMedicalSubsidyUse } from "../../../services/medical-subsidy-use.ts";
import type { StaffSessions } from "../../../services/staff.ts";
import { errorBodySchema } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";
import { requireStaffSession, staffSession } from "../../staff-session.ts";

interface Deps {
  db: Db;
  now: () => Date;
  staff: StaffSessions;
}

export const MEDICAL_SUBSIDY_SETTING_PATH = "/terminal/api/settings/medical-subsidy";
const answer = { type: "object", additionalProperties: true };

export function registerSettingsRoutes(app: FastifyInstance, deps: Deps): void {
  const session = requireStaffSession(deps.staff);

  app.get(
    MEDICAL_SUBSIDY_SETTING_PATH,
    { onRequest: session, schema: { hide: true, summary: "医療費助成情報 (環境設定) と変更の記録", response: { 200: answer, 401: errorBodySchema } } },
    async (request) => medicalSubsidyUseOf(deps.db, staffSession(request).account.facilityCode),
  );

  app.post(
    MEDICAL_SUBSIDY_SETTING_PATH,
    {
      onRequest: session,
      // Who may change it is decided before the body is read.
      preParsing: async (request, _reply, payload) => {
        if (!staffSession(request).account.administrator) throw new OqsError("E8602");
        return payload;
      },
      bodyLimit: 1024,
      schemaErrorFormatter: codedViolation("E8601"),
      schema: {
        hide: true,
        summary: "医療費助成情報を 利用する / 利用しない に変更する (管理者のみ)",
        body: { type: "object", required: ["use"], additionalProperties: false, properties: { use: { type: "boolean" } } },
        response: { 200: answer, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      const { account } = staffSession(request);
      const { use } = request.body as { use: boolean };
      return setMedicalSubsidyUse(deps.db, { facilityCode: account.facilityCode, inUse: use, by: `${account.displayName} (${account.loginId})` }, deps.now());
    },
  );
}
