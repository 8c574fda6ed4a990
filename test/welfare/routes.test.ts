// The 医療券 route on each database: the office authenticated before the body is read, the ticket
// recorded for the authenticated office only, every refusal a coded Japanese body with nothing
// stored, and the lockout after repeated wrong credentials.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { WELFARE_PATHS } from "../../src/http/routes/welfare/medical-tickets.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY } from "../support/fixture.ts";
import { OFFICE, OTHER_OFFICE, OTHER_RECIPIENT, RECIPIENT, loadWelfareFixture } from "./support.ts";

const NOW = new Date("2026-12-01T00:00:00Z"); // 09:00 JST
type Json = Record<string, any>;
const basic = (office: string, credential: string) => `Basic ${Buffer.from(`${office}:${credential}`).toString("base64")}`;

for (const database of testDatabases()) {
  describe(`the 医療券 route on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    const count = async () => Number((await db.query<{ n: number }>("select count(*)::int as n from medical_tickets"))[0]!.n);
    const post = async (authorization: string | undefined, payload: unknown) => {
      const res = await app.inject({
        method: "POST",
        url: WELFARE_PATHS.medicalTickets,
        headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
        payload: typeof payload === "string" ? payload : JSON.stringify(payload),
      });
      return { status: res.statusCode, body: res.json() as Json, headers: res.headers };
    };
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status, `HTTP ${status} for ${code}`);
      assert.match(res.body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
      assert.equal(res.body.issueNumber, undefined, "no ticket with a refusal");
    };
    const ticket = { recipientNumber: RECIPIENT.number, facilityCode: FACILITY.code, visitDate: "2026-12-10" };

    before(async () => {
      db = await database.open();
      await loadWelfareFixture(db);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW) });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("the office records a 医療券 for its recipient", async () => {
      const res = await post(basic(OFFICE.number, OFFICE.credential), { ...ticket, injuryNames: ["腰痛症"] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.ticketType, "医療券");
      assert.equal(res.body.treatmentMonth, "202612");
      assert.equal(res.body.validTo, "2026-12-31");
      assert.deepEqual(res.body.injuryNames, ["腰痛症"]);
      const [row] = await db.query<{ ticket_id: number; public_expense_number: string }>("select ticket_id, public_expense_number from medical_tickets");
      assert.equal(String(row!.ticket_id), res.body.issueNumber);
      assert.equal(row!.public_expense_number, OFFICE.number);
    });

    test("no credential, a malformed one, a wrong one and an unknown office are one answer, before the body", async () => {
      const before = await count();
      for (const authorization of [undefined, "Bearer x", "Basic", "Basic !!!", basic(OFFICE.number, "wrong-credential"), basic("12479994", OFFICE.credential), basic(FACILITY.code, "test-credential"), `Basic ${"A".repeat(2000)}`]) {
        const res = await post(authorization, ticket);
        refused(res, "E8700", 401);
        assert.equal(res.headers.connection, "close", String(authorization));
      }
      // A body that is not JSON at all is not even looked at without the office's credential.
      refused(await post(undefined, "{not json"), "E8700", 401);
      assert.equal(await count(), before);
    });

    test("an office cannot reach another office's recipient: answered as a number nobody holds", async () => {
      const other = await post(basic(OFFICE.number, OFFICE.credential), { ...ticket, recipientNumber: OTHER_RECIPIENT.number });
      const nobody = await post(basic(OFFICE.number, OFFICE.credential), { ...ticket, recipientNumber: "9999996" });
      refused(other, "E8704", 404);
      assert.deepEqual(other.body, nobody.body);
      assert.equal((await post(basic(OTHER_OFFICE.number, OTHER_OFFICE.credential), { ...ticket, recipientNumber: OTHER_RECIPIENT.number })).status, 200);
    });

    test("each kind of bad body is its code, and nothing is stored", async () => {
      const before = await count();
      const auth = basic(OFFICE.number, OFFICE.credential);
      const cases: [unknown, string, number][] = [
        ["{not json", "E1001", 400],
        [[ticket], "E8714", 400],
        [{ ...ticket, extra: 1 }, "E8714", 400],
        [{ facilityCode: FACILITY.code, visitDate: "2026-12-10" }, "E8714", 400],
        [{ ...ticket, recipientNumber: "1234567" }, "E8703", 400],
        [{ ...ticket, facilityCode: "1234" }, "E8705", 400],
        [{ ...ticket, visitDate: "2026-13-01" }, "E8707", 400],
        [{ ...ticket, visitDate: "2026-12-02" }, "E8708", 422],
        [{ ...ticket, visitDate: "2027-01-05" }, "E8709", 422],
        [{ ...ticket, visitDate: "2026-12-20" }, "E8710", 409],
        [{ ...ticket, treatmentType: "dispensing" }, "E8711", 400],
        [{ ...ticket, injuryNames: ["a", "b", "c", "d"] }, "E8712", 400],
        [{ ...ticket, selfPayAmount: "100" }, "E8713", 400],
        [{ ...ticket, facilityCode: "0110113727" }, "E8706", 404],
      ];
      for (const [payload, code, status] of cases) refused(await post(auth, payload), code, status);
      const big = await post(auth, { ...ticket, injuryNames: ["x".repeat(10_000)] });
      refused(big, "E1011", 413);
      assert.equal(await count(), before);
    });

    test("repeated wrong credentials lock the number out (E8701, Retry-After), even for the right one", async () => {
      let last;
      for (let i = 0; i < 6; i++) last = await post(basic(OTHER_OFFICE.number, `wrong-credential-${i}`), ticket);
      refused(last!, "E8701", 429);
      assert.match(String(last!.headers["retry-after"]), /^[0-9]+$/);
      refused(await post(basic(OTHER_OFFICE.number, OTHER_OFFICE.credential), ticket), "E8701", 429);
    });
  });
}
