// The terminal page's routes (/terminal/api/…): staff sign-in and sign-out, today's card users
// with consents in force, a patient's medical information by the staff member's role, and the
// qualification check, 災害時医療情報閲覧 (disaster.ts), the 環境設定 医療費助成情報 (settings.ts), the 利用率の推移 (usage.ts) and the 利用率のお知らせ (usage-notice.ts). One scope whose errors are error bodies; every route but sign-in takes a
// staff session (requireStaffSession, before the body is read) and answers for its facility only.
import type { FastifyInstance } from "fastify";
import { StaffSessions } from "../../../services/staff.ts";
import { answerWithErrorBodies } from "../../error-body.ts";
import type { ServerDeps } from "../../server-deps.ts";
import { registerSignInRoutes } from "./sign-in.ts";
import { registerPatientRoutes } from "./patients.ts";
import { registerDisasterRoutes } from "./disaster.ts";
import { registerMedicalRoutes } from "./medical.ts";
import { registerSettingsRoutes } from "./settings.ts";
import { registerUsageChartRoutes } from "./usage.ts";
import { registerUsageNoticeRoutes } from "./usage-notice.ts";

export const TERMINAL_API = "/terminal/api";

export async function registerTerminalRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    const staff = new StaffSessions(deps.oqs.db, deps.oqs.now);
    registerSignInRoutes(scope, { facilities: deps.oqs.facilities, now: deps.oqs.now, staff, secure: deps.tls !== undefined });
    registerPatientRoutes(scope, { db: deps.oqs.db, now: deps.oqs.now, staff, recordUsage: deps.oqs.recordUsage });
    registerDisasterRoutes(scope, { db: deps.oqs.db, now: deps.oqs.now, staff });
    registerMedicalRoutes(scope, { db: deps.oqs.db, now: deps.oqs.now, staff });
    registerSettingsRoutes(scope, { db: deps.oqs.db, now: deps.oqs.now, staff });
    registerUsageChartRoutes(scope, { db: deps.oqs.db, now: deps.oqs.now, staff });
    registerUsageNoticeRoutes(scope, { db: deps.oqs.db, now: deps.oqs.now, staff });
  });
}
