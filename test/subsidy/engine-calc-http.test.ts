// POST /api/subsidy/calc: the same answers as `onshi subsidy calc`, problem bodies for refusals.
// Figures: seed 002 l.1517–1519 別表3 (3/4, 32.1万円) and l.1461–1463 別表1-1 (1/2, 105万円).
import { test } from "node:test";
import assert from "node:assert/strict";
import Fastify from "fastify";
import { registerSubsidyRoutes, SUBSIDY_CALC_PATH } from "../../src/http/routes/subsidy/calc.ts";
import { PROGRAM_IDS } from "../../src/subsidy/program-data.ts";

async function server() {
  const app = Fastify();
  await registerSubsidyRoutes(app, { now: () => new Date("2021-11-30T15:30:00Z") }); // 2021-12-01 in Japan
  return app;
}
const clinic = { kind: "medical_clinic", projects: [{ program: "fund-2020", cost: 429000, readerAppliedOn: "2021-06-01", completedOn: "2021-09-01", appliedOn: "2021-10-01" }] };

test("a profile gets { at, results }; at defaults to today in Japan", async () => {
  const app = await server();
  const res = await app.inject({ method: "POST", url: SUBSIDY_CALC_PATH, payload: clinic });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.at, "2021-12-01");
  // every program answers, in the registry's order; the clinic's fund-2020 project gets 別表3's cap
  assert.deepEqual([...new Set(body.results.map((r: { program: string }) => r.program))], [...PROGRAM_IDS]);
  assert.equal(body.results.find((r: { program: string }) => r.program === "fund-2020").amount, 321000);
  const hospital = await app.inject({ method: "POST", url: `${SUBSIDY_CALC_PATH}?at=2021-12-01&program=fund-2020`, payload: { ...clinic, kind: "hospital", readersProvided: 1, projects: [{ ...clinic.projects[0], cost: 3000000 }] } });
  assert.equal(hospital.json().results[0].amount, 1050000);
});

const refusals: [string, string, unknown, number, string, string][] = [
  ["a bad profile names the field", "", { kind: "hospital", projects: [{ program: "fund-2020", cost: -1 }] }, 400, "E9102", "projects[0].cost"],
  ["a bad date", "?at=2021-02-29", clinic, 400, "E9104", "at"],
  ["an unknown program", "?program=fund-1999", clinic, 400, "E9103", "program"],
];
for (const [name, query, payload, status, code, field] of refusals) {
  test(`refused: ${name}`, async () => {
    const res = await (await server()).inject({ method: "POST", url: `${SUBSIDY_CALC_PATH}${query}`, payload: payload as object });
    assert.equal(res.statusCode, status);
    assert.deepEqual([res.json().code, res.json().field], [code, field]);
    assert.match(res.json().message, new RegExp(field.replace(/[[\]]/g, "\\$&")));
  });
}

test("malformed JSON is a problem body E1001", async () => {
  const res = await (await server()).inject({ method: "POST", url: SUBSIDY_CALC_PATH, headers: { "content-type": "application/json" }, payload: "{ kind" });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().code, "E1001");
});
