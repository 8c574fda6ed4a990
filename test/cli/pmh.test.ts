// `onshi pmh participants` as a user runs it: the listing and its filters, the answer for a date with
// its reason, JSON for scripts, and each bad flag refused with its E84xx code and exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { onshi } from "../support/cli.ts";

interface Listing {
  count: number;
  at?: string;
  programme?: { key: string };
  entities: { code: string; level: string; name: string; prefecture: string; participation?: { answer: string; reason: string } }[];
}

const json = async (...args: string[]) => {
  const { code, stdout, stderr } = await onshi(["pmh", "participants", ...args, "--json"]);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as Listing;
};

test("the whole list: 41 prefectures and the 585 municipalities named, with their codes", async () => {
  const { code, stdout } = await onshi(["pmh", "participants"]);
  assert.equal(code, 0);
  assert.match(stdout, /都道府県 41、市区町村 585 \(一覧が名前を挙げる数。集計は 584\)/);
  assert.match(stdout, /^132012 {2}市区町村 {2}東京都 八王子市$/m);
  assert.match(stdout, /^113638 {2}市区町村 {2}埼玉県 長瀞町 \(一覧の表記: 長瀬町\)$/m);
  assert.equal((await json()).count, 626);
});

test("filters by prefecture and programme type, and answers for a date with the reason", async () => {
  const tokyo = await json("--prefecture", "東京都", "--at", "2026-04-01");
  assert.equal(tokyo.count, 32);
  const hachioji = tokyo.entities.find((e) => e.name === "八王子市")!;
  assert.equal(hachioji.participation?.answer, "yes", hachioji.participation?.reason);
  const before = await json("--prefecture", "東京都", "--at", "2026-03-31");
  assert.equal(before.entities.find((e) => e.name === "八王子市")?.participation?.answer, "no", "starts 2026-04-01");
  assert.equal(before.entities.find((e) => e.name === "江東区")?.participation?.answer, "yes", "listed: by the end of R7");

  const children = await json("--type", "こども", "--at", "2026-04-01");
  assert.equal(children.programme?.key, "children");
  assert.ok(children.entities.every((e) => e.level === "municipality"), "こども is counted for municipalities");
  assert.deepEqual(
    children.entities.filter((e) => e.participation?.answer === "yes").map((e) => e.name),
    ["八王子市"],
    "only 八王子市's こども is known from a public source; the others are unknown",
  );
  const { stdout } = await onshi(["pmh", "participants", "--type", "children", "--prefecture", "北海道"]);
  assert.match(stdout, /こども \(こども医療費助成, 地方単独医療費助成\): 参加する団体の数 市区町村 523 — どの団体かは一覧にない/);
  assert.match(stdout, /都道府県 0、市区町村 66/);
});

test("each bad flag exits 2 with its code", async () => {
  const cases: [string[], string][] = [
    [["--at", "2026-02-30"], "E8400"],
    [["--at", "tomorrow"], "E8400"],
    [["--prefecture", "トウキョウ"], "E8401"],
    [["--type", "こども医療"], "E8402"],
  ];
  for (const [args, code] of cases) {
    const result = await onshi(["pmh", "participants", ...args]);
    assert.equal(result.code, 2, args.join(" "));
    assert.match(result.stderr, new RegExp(`^エラー: ${code} `), args.join(" "));
    assert.equal(result.stdout, "", "nothing listed");
  }
});
