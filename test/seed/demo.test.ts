// The demo data set answers every documented lookup as the README says, through the real 個別照会
// service, whether alone or next to a seeded population; loading it twice changes nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { facilityCodeProblem } from "../../src/domain/facility-code.ts";
import { formatInsurerNumber } from "../../src/domain/insurer-number.ts";
import { answerQualificationCheck } from "../support/messages.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { hashCredential, verifyCredential } from "../../src/seed/credential.ts";
import { DEMO_DATE, DEMO_FACILITIES, DEMO_OFFICE, DEMO_PERSONS, loadDemo, type DemoLookup } from "../../src/seed/demo.ts";
import { findActiveOfficeAccount } from "../../src/store/office-account-store.ts";
import { seedPopulation } from "../../src/seed/load.ts";
import { testDatabases } from "../support/databases.ts";

const TABLES = ["facilities", "insurers", "persons", "qualifications", "elderly_certificates", "limit_certificates", "specific_disease_certificates"];

async function counts(db: Db): Promise<number[]> {
  return Promise.all(TABLES.map(async (t) => (await db.query<{ n: number }>(`select count(*)::int as n from ${t}`))[0]!.n));
}

type Body = { QualificationValidity?: string; ResultList?: { ResultOfQualificationConfirmation: { Name: string }[] } };

async function lookUp(db: Db, l: DemoLookup): Promise<Body> {
  const answer = await answerQualificationCheck(
    { db, facilities: new FacilityDirectory(db), now: () => new Date(`${l.date}T09:00:00+09:00`), characterCode: "0" },
    {
      XmlMsg: {
        MessageHeader: { QualificationConfirmationDate: l.date.replaceAll("-", ""), MedicalInstitutionCode: DEMO_FACILITIES[0].code },
        MessageBody: {
          QualificationConfirmSearchInfo: {
            InsurerNumber: formatInsurerNumber(l.insurerNumber),
            ...(l.symbol === null ? {} : { InsuredCardSymbol: l.symbol }),
            InsuredIdentificationNumber: l.number,
            ...(l.branch === null ? {} : { InsuredBranchNumber: l.branch }),
            Birthdate: l.birthdate.replaceAll("-", ""),
            LimitApplicationCertificateRelatedConsFlg: "1",
          },
        },
      },
    },
  );
  assert.equal(answer.error, undefined, l.label);
  return (answer.message.XmlMsg as { MessageBody: Body }).MessageBody;
}

async function assertDocumentedAnswers(db: Db): Promise<void> {
  for (const l of DEMO_PERSONS) {
    const body = await lookUp(db, l);
    assert.equal(body.QualificationValidity, l.expected, `${l.label}: ${l.name}`);
    const names = (body.ResultList?.ResultOfQualificationConfirmation ?? []).map((r) => r.Name).sort();
    assert.deepEqual(names, l.name === null ? [] : l.name.split(" / ").sort(), l.label);
  }
}

test("the demo documents every outcome on DEMO_DATE, with fixed dates", () => {
  assert.equal(DEMO_DATE, "2026-04-01");
  const outcomes = new Set(DEMO_PERSONS.filter((l) => l.date === DEMO_DATE).map((l) => l.expected));
  assert.deepEqual(outcomes, new Set(["1", "2", "3", "4", "5"]));
  const labels = DEMO_PERSONS.map((l) => l.label).join("\n");
  for (const topic of ["国保", "限度額", "特定疾病", "高齢受給者", "家族", "75歳", "通称"]) assert.match(labels, new RegExp(topic));
  assert.ok(DEMO_PERSONS.some((l) => l.insurerNumber.length === 6), "a 6-digit 国保 insurer");
});

test("demo facilities have valid codes of their kind and documented credentials", async () => {
  assert.deepEqual(DEMO_FACILITIES.map((f) => f.kind), ["hospital", "medical_clinic", "pharmacy"]);
  for (const f of DEMO_FACILITIES) {
    assert.equal(facilityCodeProblem(f.code), undefined, f.code);
    assert.equal(f.code[2], f.kind === "pharmacy" ? "4" : "1", "点数表番号");
  }
  const stored = hashCredential("demo-hospital");
  assert.match(stored, /^[0-9a-f]{32}:[0-9a-f]{64}$/);
  assert.ok(await verifyCredential("demo-hospital", stored), "await verifyCredential(\"demo-hospital\", stored)");
  assert.ok(!(await verifyCredential("demo-clinic", stored)), "!(await verifyCredential(\"demo-clinic\", stored))");
});

for (const database of testDatabases()) {
  describe(`demo on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
    });
    after(() => db.close());

    test("loads once; a second load does nothing", async () => {
      assert.equal(await loadDemo(db), true);
      const loaded = await counts(db);
      assert.equal(await loadDemo(db), false);
      assert.deepEqual(await counts(db), loaded);
    });

    test("stores each facility's credential as a scrypt hash of the documented one", async () => {
      for (const f of DEMO_FACILITIES) {
        const [row] = await db.query<{ credential_hash: string; kind: string }>("select credential_hash, kind from facilities where medical_institution_code = $1", [f.code]);
        assert.equal(row!.kind, f.kind);
        assert.ok(await verifyCredential(f.credential, row!.credential_hash), f.code);
      }
    });

    test("every documented lookup gets its documented answer", () => assertDocumentedAnswers(db));

    test("holds the documented office accounts, which sign in with their passwords", async () => {
      for (const a of DEMO_OFFICE) {
        const found = await findActiveOfficeAccount(db, a.loginId);
        assert.equal(found?.account.role, a.role, a.loginId);
        assert.ok(await verifyCredential(a.password, found!.passwordHash), `${a.loginId}'s documented password`);
      }
    });

    test("still does after a population is seeded next to it", async () => {
      await seedPopulation(db, { persons: 2000, seed: 5 });
      await assertDocumentedAnswers(db);
    });
  });

  describe(`demo after a population on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await seedPopulation(db, { persons: 2000, seed: 5 });
    });
    after(() => db.close());

    test("loads with ids after the population's and answers as documented", async () => {
      assert.equal(await loadDemo(db), true);
      const [min] = await db.query<{ n: number }>(
        "select min(person_id)::int as n from qualifications where insurer_number = '01130012' and insured_identification_number = '8001'",
      );
      assert.ok(min!.n > 2000, "min!.n > 2000");
      await assertDocumentedAnswers(db);
    });
  });
}
