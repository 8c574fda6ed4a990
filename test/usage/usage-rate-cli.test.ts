// `onshi usage rate` as a user meets it, on an embedded data folder and on PostgreSQL (DATABASE_URL).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb, type Db } from "../../src/db/client.ts";
import { openMigrated } from "../../src/db/open.ts";
import { onshi } from "../support/cli.ts";

const CLINIC = "1310000011";
const PHARMACY = "1340000013";

async function load(db: Db) {
  await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, '中央クリニック', 'medical_clinic', 13), ($2, '中央薬局', 'pharmacy', 13)", [CLINIC, PHARMACY]);
  await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, card_pin, insurance_number, bulk_row, card_persons) values ($1, '2025-10-01', 1000, 234, 766, 50, 1100)", [CLINIC]);
  await db.query("insert into usage_receipts values ($1, '2025-10-01', 2000, 1500, now())", [CLINIC]);
  await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons) values ($1, '2025-10-01', 1, 2, 1)", [PHARMACY]);
}

/** The two ways the CLI reaches a database, each holding the data above. */
const targets: Array<{ name: string; setUp(): Promise<{ args: string[]; env: NodeJS.ProcessEnv; tearDown(): Promise<void> }> }> = [
  {
    name: "PGlite",
    async setUp() {
      const dir = await mkdtemp(join(tmpdir(), "onshi-usage-rate-"));
      const db = await openMigrated({ dataDir: join(dir, "pglite") });
      await load(db);
      await db.close();
      return { args: ["--data-dir", dir], env: { ...process.env, DATABASE_URL: "" }, tearDown: () => rm(dir, { recursive: true, force: true }) };
    },
  },
];
if (process.env.TEST_DATABASE_URL) {
  targets.push({
    name: "PostgreSQL",
    async setUp() {
      const schema = `usage_rate_cli_${process.pid}`;
      const admin = await openDb({ url: process.env.TEST_DATABASE_URL, poolSize: 1 });
      await admin.exec(`drop schema if exists ${schema} cascade; create schema ${schema}`);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.searchParams.set("options", `-c search_path=${schema}`);
      const db = await openMigrated({ url: url.toString() });
      await load(db);
      await db.close();
      return {
        args: [],
        env: { ...process.env, DATABASE_URL: url.toString() },
        async tearDown() {
          await admin.exec(`drop schema ${schema} cascade`);
          await admin.close();
        },
      };
    },
  });
}

for (const target of targets) {
  describe(`onshi usage rate (${target.name})`, () => {
    let run: (args: string[]) => ReturnType<typeof onshi>;
    let tearDown: () => Promise<void>;
    before(async () => {
      const set = await target.setUp();
      run = (args) => onshi(["usage", "rate", ...args, ...set.args], set.env);
      tearDown = set.tearDown;
    });
    after(() => tearDown());

    test("a facility's month: the figures, each basis by its Japanese name with the fraction and the percentage to 2 decimals, its rank band", async () => {
      const { code, stdout, stderr } = await run(["--facility", CLINIC, "--month", "2025-10"]);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^マイナ保険証利用率 2025年10月 {2}1310000011 中央クリニック \(医科診療所、東京都\)$/m);
      assert.match(stdout, /オンライン資格確認件数 2,000 .*一括照会 50 件は含めない/);
      assert.match(stdout, /^オンライン資格確認件数ベース +1,234 \/ 2,000 = 61\.70% +全国の医科診療所で上位10% \(1 施設中、上に 0 施設\)$/m);
      assert.match(stdout, /^レセプト件数ベース +1,100 \/ 2,000 = 55\.00%/m);
      assert.match(stdout, /^外来レセプト件数ベース +1,100 \/ 1,500 = 73\.33%/m);
    });

    test("--basis shows that basis only; a facility without receipts has its receipt rate 「不明」, not 0 %", async () => {
      const { code, stdout } = await run(["--facility", PHARMACY, "--month", "2025-10", "--basis", "receipt"]);
      assert.equal(code, 0);
      assert.match(stdout, /^レセプト件数ベース +不明$/m);
      assert.match(stdout, /レセプト件数 不明 \(うち外来 不明\) ※未登録/);
      assert.doesNotMatch(stdout, /オンライン資格確認件数ベース/);
    });

    test("--json gives exact fractions and the bands asked for", async () => {
      const { code, stdout } = await run(["--facility", CLINIC, "--month", "2025-10", "--basis", "online", "--json"]);
      assert.equal(code, 0);
      const answer = JSON.parse(stdout);
      assert.deepEqual(answer.rates, { online: { numerator: 1234, denominator: 2000 }, receipt: { numerator: 1100, denominator: 2000 }, outpatient: { numerator: 1100, denominator: 1500 } });
      assert.deepEqual(answer.bands, { online: { band: "top10", above: 0, ranked: 1 } });
      assert.equal(answer.figures.bulkRows, 50);
    });

    test("--by kind: a row per kind with facilities and the summed fractions; a month without data says so", async () => {
      const { code, stdout } = await run(["--month", "2025-10", "--by", "kind"]);
      assert.equal(code, 0);
      assert.match(stdout, /^マイナ保険証利用率 2025年10月 \(種別ごと\)$/m);
      assert.match(stdout, /^医科診療所 +1 +1 +1,234 \/ 2,000 = 61\.70% +1,100 \/ 2,000 = 55\.00% +1,100 \/ 1,500 = 73\.33%$/m);
      assert.match(stdout, /^薬局 +1 +0 +1 \/ 3 = 33\.33% +不明 +不明$/m);
      const nation = JSON.parse((await run(["--month", "2025-10", "--by", "nation", "--json"])).stdout);
      assert.deepEqual(nation.map((g: { facilities: number; rates: unknown }) => [g.facilities, g.rates]), [
        [2, { online: { numerator: 1235, denominator: 2003 }, receipt: { numerator: 1100, denominator: 2000 }, outpatient: { numerator: 1100, denominator: 1500 } }],
      ]);
      const empty = await run(["--month", "2023-01", "--by", "nation"]);
      assert.deepEqual([empty.code, empty.stdout], [0, "2023年1月のデータがありません。\n"]);
    });

    test("bad flags exit 2 with their code; an unknown facility is refused with E8944 (exit 1)", async () => {
      const cases: Array<[string[], RegExp]> = [
        [["--facility", CLINIC, "--month", "2025-13"], /^エラー: E8940 .*\(2025-13\)/],
        [["--facility", CLINIC, "--month", "2025/10"], /^エラー: E8940 /],
        [["--facility", CLINIC, "--month", "2025-10", "--basis", "count"], /^エラー: E8942 .*\(count\)/],
        [["--month", "2025-10", "--by", "city"], /^エラー: E8943 .*\(city\)/],
        [["--month", "2025-10"], /^エラー: E8945 /],
        [["--facility", CLINIC, "--by", "kind", "--month", "2025-10"], /^エラー: E8945 /],
      ];
      for (const [args, expected] of cases) {
        const { code, stderr } = await run(args);
        assert.equal(code, 2, args.join(" "));
        assert.match(stderr, expected, args.join(" "));
      }
      const unknown = await run(["--facility", "1399999999", "--month", "2025-10"]);
      assert.deepEqual([unknown.code, unknown.stdout], [1, "E8944 医療機関が見つかりません。(1399999999)\n"]);
    });
  });
}
