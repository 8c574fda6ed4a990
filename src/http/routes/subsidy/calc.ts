// POST /api/subsidy/calc: the subsidy engine over HTTP — the body is a facility profile
// (src/subsidy/facility-profile.schema.json), `?at=YYYY-MM-DD` and `?program=ID` as on the CLI.
// The answer is `{ at, results }`; a refusal is a problem body `{ code, message, field }` with
// the code's status (E9102–E9104 → 400), malformed JSON E1001, as onshi's other JSON routes.
// Public rules over the caller's own facts: no token needed, nothing stored.
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { ERROR_CODES, errorMessage, type ErrorCode } from "../../../errors/catalogue.ts";
import { calculate, dateInJapan } from "../../../subsidy/engine.ts";
import { loadPrograms, PROGRAM_IDS } from "../../../subsidy/program-data.ts";
import { isIsoDate, ProfileError, validateProfile } from "../../../subsidy/profile.ts";
import { answerWithErrorBodies } from "../../error-body.ts";
import { violatedField } from "../../framework-errors.ts";

export const SUBSIDY_CALC_PATH = "/api/subsidy/calc";

/**
 * The profile's fields for the request schema: each field's type (or enum) and description from the
 * published JSON Schema (draft 2020-12, which Fastify's Ajv does not compile whole). The nested
 * rules are validateProfile's, which names the field and the rule in Japanese as the CLI does.
 */
function profileBodySchema() {
  const published = JSON.parse(readFileSync(new URL("../../../subsidy/facility-profile.schema.json", import.meta.url), "utf8")) as {
    required: string[];
    properties: Record<string, Record<string, unknown>>;
  };
  const fields = Object.entries(published.properties).map(([name, { type, enum: values, description }]) => [
    name,
    { ...(type ? { type } : {}), ...(values ? { enum: values } : {}), ...(description ? { description } : {}) },
  ]);
  return { type: "object", required: published.required, properties: Object.fromEntries(fields), description: "施設プロフィール (src/subsidy/facility-profile.schema.json)" };
}

export async function registerSubsidyRoutes(app: FastifyInstance, deps: { now: () => Date }): Promise<void> {
  const programs = loadPrograms();
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    scope.post(
      SUBSIDY_CALC_PATH,
      {
        // A violation of the schemas below is answered in this route's shape (field named) by the handler.
        attachValidation: true,
        schema: {
          summary: "(onshi 独自) 施設プロフィールから補助金・支援金の対象と金額を、理由と根拠つきで計算する",
          tags: ["補助金"],
          querystring: {
            type: "object",
            properties: {
              at: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "基準日 YYYY-MM-DD (既定: 今日, 日本時間)" },
              program: { type: "string", enum: [...PROGRAM_IDS], description: "1つのプログラムだけ計算する" },
            },
          },
          body: profileBodySchema(),
          response: {
            200: {
              type: "object",
              properties: {
                at: { type: "string", description: "基準日" },
                results: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      program: { type: "string" },
                      project: { type: "integer", description: "projects の何番目か (事業ごとの結果)" },
                      eligible: { type: ["boolean", "null"], description: "対象か (null は事実・値が不明)" },
                      amount: { type: ["integer", "null"], description: "金額 (円)" },
                      reasons: { type: "array", items: { type: "string" } },
                      sources: { type: "array", items: { type: "string" } },
                    },
                    additionalProperties: true,
                  },
                },
              },
            },
            "4xx": { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, field: { type: "string" } } },
          },
        },
      },
      async (request, reply) => {
        const refuse = (code: ErrorCode, field: string, detail: string) =>
          reply.code(ERROR_CODES[code].http).type("application/json; charset=utf-8").send({ code, message: errorMessage(code, `${field}: ${detail}`), field });
        const query = (request.query ?? {}) as { at?: string; program?: string };
        // Fastify checks the body before the query: a bad body is answered by validateProfile below.
        const invalid = request.validationError;
        if (invalid?.validationContext === "querystring") {
          return violatedField(invalid.validation, "at") === "program"
            ? refuse("E9103", "program", `${String(query.program)} (${PROGRAM_IDS.join(", ")})`)
            : refuse("E9104", "at", String(query.at));
        }
        const at = query.at ?? dateInJapan(deps.now());
        // The schema holds the form; the calendar is checked here (2021-02-29 has the form).
        if (!isIsoDate(at)) return refuse("E9104", "at", at);
        let profile;
        try {
          profile = validateProfile(request.body);
        } catch (error) {
          if (error instanceof ProfileError) return refuse("E9102", error.field, error.rule);
          throw error;
        }
        // validateProfile holds the schema's rules and more (a test keeps them in step); should they drift, the schema still refuses.
        if (invalid) return refuse("E9102", violatedField(invalid.validation, "(全体)"), "型が不正です");
        return reply.type("application/json; charset=utf-8").send(calculate(profile, at, programs, query.program));
      },
    );
  });
}
