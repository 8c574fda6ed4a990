// POST /api/subsidy/calc: the subsidy engine over HTTP — the body is a facility profile
// (src/subsidy/facility-profile.schema.json), `?at=YYYY-MM-DD` and `?program=ID` as on the CLI.
// The answer is `{ at, results }`; a refusal is a problem body `{ code, message, field }` with
// the code's status (E9102–E9104 → 400), malformed JSON E1001, as onshi's other JSON routes.
// Public rules over the caller's own facts: no token needed, nothing stored.
import type { FastifyInstance } from "fastify";
import { ERROR_CODES, errorMessage, type ErrorCode } from "../../../errors/catalogue.ts";
import { calculate, dateInJapan } from "../../../subsidy/engine.ts";
import { loadPrograms, PROGRAM_IDS } from "../../../subsidy/program-data.ts";
import { isIsoDate, ProfileError, validateProfile } from "../../../subsidy/profile.ts";
import { answerWithErrorBodies } from "../../error-body.ts";

export const SUBSIDY_CALC_PATH = "/api/subsidy/calc";

export async function registerSubsidyRoutes(app: FastifyInstance, deps: { now: () => Date }): Promise<void> {
  const programs = loadPrograms();
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    scope.post(
      SUBSIDY_CALC_PATH,
      {
        schema: {
          summary: "(onshi 独自) 施設プロフィールから補助金・支援金の対象と金額を、理由と根拠つきで計算する",
          tags: ["補助金"],
          querystring: {
            type: "object",
            properties: {
              at: { type: "string", description: "基準日 YYYY-MM-DD (既定: 今日, 日本時間)" },
              program: { type: "string", enum: [...PROGRAM_IDS], description: "1つのプログラムだけ計算する" },
            },
          },
          body: { type: "object", description: "施設プロフィール (src/subsidy/facility-profile.schema.json)" },
        },
      },
      async (request, reply) => {
        const refuse = (code: ErrorCode, field: string, detail: string) =>
          reply.code(ERROR_CODES[code].http).type("application/json; charset=utf-8").send({ code, message: errorMessage(code, `${field}: ${detail}`), field });
        const query = (request.query ?? {}) as { at?: string; program?: string };
        const at = query.at ?? dateInJapan(deps.now());
        if (!isIsoDate(at)) return refuse("E9104", "at", at);
        if (query.program !== undefined && !(PROGRAM_IDS as readonly string[]).includes(query.program)) {
          return refuse("E9103", "program", `${query.program} (${PROGRAM_IDS.join(", ")})`);
        }
        let profile;
        try {
          profile = validateProfile(request.body);
        } catch (error) {
          if (error instanceof ProfileError) return refuse("E9102", error.field, error.rule);
          throw error;
        }
        return reply.type("application/json; charset=utf-8").send(calculate(profile, at, programs, query.program));
      },
    );
  });
}
