// GET /terminal/api/patients (today's card users with consents in force), GET
// /terminal/api/patients/:sequence (one of them), POST /terminal/api/qualification-check (資格確認
// by the insurance key, for every role: the clerk's work). All for the session's facility only.
import type { FastifyInstance } from "fastify";
import type { Db } from "../../../db/client.ts";
import { jstDate } from "../../../domain/dates.ts";
import { mayCheckQualification } from "../../../domain/staff.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { searchErrorBody } from "../../../oqs/response-builder.ts";
import { readSearch, searchBody } from "../../../services/qualification-check.ts";
import type { StaffSessions } from "../../../services/staff.ts";
import { recordCheck } from "../../../services/usage-recording.ts";
import { dateInJapan } from "../../../subsidy/engine.ts";
import { findPatient, todaysPatients } from "../../../services/terminal-patients.ts";
import { errorBodySchema } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";
import { requireStaffSession, staffSession } from "../../staff-session.ts";

interface Deps {
  db: Db;
  now: () => Date;
  staff: StaffSessions;
  recordUsage?: boolean;
}

// The page's own API (a session cookie, not an idToken): hidden from the WebAPI's OpenAPI document (docs/terminal.md lists it).
const answer = { type: "object", additionalProperties: true };
export const sequenceParams = { type: "object", required: ["sequence"], properties: { sequence: { type: "string", pattern: "^[0-9]{1,15}$" } } };

export function registerPatientRoutes(app: FastifyInstance, deps: Deps): void {
  const session = requireStaffSession(deps.staff);

  app.get(
    "/terminal/api/patients",
    { onRequest: session, schema: { hide: true, summary: "本日の利用者のうち、閲覧の同意が有効な患者", response: { 200: answer, 401: errorBodySchema } } },
    async (request) => {
      const { account } = staffSession(request);
      const now = deps.now();
      return { date: jstDate(now), patients: await todaysPatients(deps.db, account.facilityCode, now) };
    },
  );

  app.get(
    "/terminal/api/patients/:sequence",
    {
      onRequest: session,
      // A number that is not one finds nobody, as an unknown one does.
      schemaErrorFormatter: () => new OqsError("E2106"),
      schema: { hide: true, summary: "患者 (利用者リストの番号で)", params: sequenceParams, response: { 200: answer, 401: errorBodySchema, 404: errorBodySchema } },
    },
    async (request) => {
      const { account } = staffSession(request);
      const { personId: _, ...patient } = await findPatient(deps.db, account.facilityCode, Number((request.params as { sequence: string }).sequence), deps.now());
      return patient;
    },
  );

  app.post(
    "/terminal/api/qualification-check",
    {
      onRequest: session,
      bodyLimit: 4 * 1024,
      schemaErrorFormatter: codedViolation("E1005"),
      schema: {
        hide: true,
        summary: "資格確認 (保険者番号・記号・番号・枝番・生年月日)",
        description: "個別照会と同じ結果 (QualificationValidity, ResultList) を返す。検索条件の誤りは ProcessingResultCode (E3xxx)。",
        body: { type: "object", properties: {}, additionalProperties: { type: "string", maxLength: 64 } },
        response: { 200: answer, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      const { account } = staffSession(request);
      if (!mayCheckQualification(account.role)) throw new OqsError("E2105");
      const reading = readSearch(request.body);
      if (!reading.ok) return searchErrorBody(reading.problems[0]!.code, reading.problems[0]!.element!);
      const now = deps.now();
      // The terminal's 資格確認 is a 個別照会 over onshi's HTTP API: counted as the WebAPI's (docs/usage.md).
      const usage = { facilityCode: account.facilityCode, day: dateInJapan(now), method: "insurance_number", transport: "webapi", count: 1 } as const;
      return searchBody(deps.db, reading.search, jstDate(now), account.facilityCode, recordCheck(deps, usage, true));
    },
  );
}
