// Registering a 医療機関等 (onshi facilities add) on each database: the code and kind checked, the
// credential given or generated, and either one logs in to the WebAPI.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { checkNewFacility, registerFacility, type NewFacility } from "../../src/services/facility-registration.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { listFacilities } from "../../src/store/facility-store.ts";
import { testDatabases } from "../support/databases.ts";

const AUTH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
const CLINIC = withCheckDigit("271234567"); // 大阪府, 医科
const PHARMACY = withCheckDigit("274234567"); // 大阪府, 調剤

for (const database of testDatabases()) {
  describe(`facilities add on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    before(async () => {
      db = await database.open();
      const now = () => new Date("2026-04-01T09:00:00+09:00");
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now, characterCode: "0" }, tokens: new TokenService(now, 600) });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const login = (code: string, credential: string) => app.inject({ method: "POST", url: AUTH, payload: { MedicalInstitutionCode: code, Credential: credential } });

    test("a generated credential is shown once and logs in; a given one is not shown and logs in; both are listed", async () => {
      const clinic = await registerFacility(db, { code: CLINIC, name: " なにわ医院 ", kind: "medical_clinic", municipality: "大阪市北区" });
      assert.deepEqual({ ...clinic, credential: undefined }, { code: CLINIC, name: "なにわ医院", kind: "medical_clinic", prefecture: 27, municipality: "大阪市北区", municipalityCode: "271276", credential: undefined });
      assert.match(clinic.credential!, /^[A-Za-z0-9_-]{24}$/);
      assert.equal((await login(CLINIC, clinic.credential!)).statusCode, 200);
      assert.equal((await login(CLINIC, "not-the-credential")).statusCode, 401);

      const pharmacy = await registerFacility(db, { code: PHARMACY, name: "なにわ薬局", kind: "pharmacy", credential: "pharmacy-credential-1" });
      assert.equal("credential" in pharmacy, false);
      assert.equal((await login(PHARMACY, "pharmacy-credential-1")).statusCode, 200);

      assert.deepEqual(
        (await listFacilities(db)).map((f) => [f.code, f.name, f.kind, f.prefecture, f.municipalityCode, f.hasCredential]),
        [[CLINIC, "なにわ医院", "medical_clinic", 27, "271276", true], [PHARMACY, "なにわ薬局", "pharmacy", 27, null, true]],
        "the 市区町村 named is located by its 全国地方公共団体コード; none named, none known",
      );
    });

    test("a code registered already is refused (E9247) and keeps its credential", async () => {
      const first = await registerFacility(db, { code: withCheckDigit("131234567"), name: "東京医院", kind: "hospital" });
      await assert.rejects(registerFacility(db, { code: first.code, name: "別の医院", kind: "hospital", credential: "another-credential" }), (e: unknown) => e instanceof OqsError && e.code === "E9247");
      assert.equal((await login(first.code, first.credential!)).statusCode, 200);
      assert.equal((await login(first.code, "another-credential")).statusCode, 401);
    });
  });
}

test("bad codes, kinds, names and credentials are refused with their code before any database work", () => {
  const good: NewFacility = { code: CLINIC, name: "なにわ医院", kind: "medical_clinic" };
  const cases: [Partial<NewFacility>, string, RegExp][] = [
    [{ code: "271234567" }, "E9246", /10桁/],
    [{ code: "271234567８" }, "E9246", /数字以外/],
    [{ code: withCheckDigit("481234567") }, "E9246", /都道府県番号/],
    [{ code: CLINIC.slice(0, 9) + ((Number(CLINIC.at(-1)) + 1) % 10) }, "E9246", /検証番号/],
    [{ kind: "pharmacy" }, "E9248", /pharmacy, 点数表番号 1/],
    [{ kind: "dental_clinic" }, "E9248", /点数表番号 1/],
    [{ kind: "clinic" as NewFacility["kind"] }, "E9248", /clinic/],
    [{ name: "  " }, "E9249", /名称/],
    [{ name: "あ".repeat(101) }, "E9249", /名称/],
    [{ credential: "short" }, "E9250", /12〜128/],
    [{ credential: "has a space in it" }, "E9250", /12〜128/],
  ];
  for (const [change, code, message] of cases) {
    assert.throws(
      () => checkNewFacility({ ...good, ...change }),
      (error: unknown) => error instanceof OqsError && error.code === code && message.test(error.message),
      JSON.stringify(change),
    );
  }
  // A hospital may have a 歯科 code (its dental department's).
  assert.doesNotThrow(() => checkNewFacility({ code: withCheckDigit("133234567"), name: "東京病院歯科", kind: "hospital" }));
});
