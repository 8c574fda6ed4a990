// The subsidy office's routes: the office accounts' JSON under /office/api (vendor, examiner) and
// the facility's under /terminal/subsidy (its administrator). One scope whose errors are error
// bodies; every route but sign-in takes a session and a role in onRequest, before the body is read.
// Each part of the office registers its routes here with the same deps.
import type { FastifyInstance } from "fastify";
import { OfficeSessions } from "../../../services/office-accounts.ts";
import { StaffSessions } from "../../../services/staff.ts";
import { answerWithErrorBodies } from "../../error-body.ts";
import type { ServerDeps } from "../../server-deps.ts";
import type { OfficeRouteDeps } from "./deps.ts";
import { registerFacilityCaseRoutes } from "./facility-cases.ts";
import { registerOfficeLedgerRoutes } from "./ledger.ts";
import { registerExamRoutes } from "./exam.ts";
import { registerOfficeReturnRoutes } from "./returns.ts";
import { registerOfficeSignInRoutes } from "./sign-in.ts";
import { registerVendorRoutes } from "./vendor.ts";

export const OFFICE_API = "/office/api";

export async function registerOfficeRoutes(app: FastifyInstance, server: ServerDeps): Promise<void> {
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    const { db, now } = server.oqs;
    const deps: OfficeRouteDeps = { db, now, office: new OfficeSessions(db, now), staff: new StaffSessions(db, now), secure: server.tls !== undefined };
    registerOfficeSignInRoutes(scope, deps);
    registerFacilityCaseRoutes(scope, deps);
    registerOfficeLedgerRoutes(scope, deps);
    registerExamRoutes(scope, deps);
    registerOfficeReturnRoutes(scope, deps);
    registerVendorRoutes(scope, deps);
  });
}
