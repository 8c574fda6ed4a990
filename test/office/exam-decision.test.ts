// What an examiner may decide (src/subsidy/decision.ts) at each boundary, and the decision notice's
// content (様式3 as read from 第9 and 第5 1, src/subsidy/decision-notice.ts), without a database.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OqsError } from "../../src/errors/catalogue.ts";
import { decisionNotice, noticeClauses, noticeNumber } from "../../src/subsidy/decision-notice.ts";
import { ceilingOf, decisionOf, type DecisionBasis, type DecisionInput } from "../../src/subsidy/decision.ts";

const application = (over: Partial<DecisionBasis> = {}): DecisionBasis => ({
  kind: "application",
  requestedYen: 321_000,
  requestedReaders: null,
  stored: { eligible: true, amount: 321_000 },
  recomputed: { eligible: true, amount: 321_000 },
  ...over,
});
const readerRequest = (over: Partial<DecisionBasis> = {}): DecisionBasis => ({
  kind: "reader_request",
  requestedYen: null,
  requestedReaders: 3,
  stored: { eligible: true, amount: 0, readersFree: 3 },
  recomputed: { eligible: true, amount: 0, readersFree: 3 },
  ...over,
});

function refusal(basis: DecisionBasis, input: DecisionInput): string {
  try {
    decisionOf(basis, input);
  } catch (error) {
    assert.ok(error instanceof OqsError, `a coded refusal, not ${String(error)}`);
    return error.code;
  }
  return "decided";
}

describe("the decision on an application", () => {
  test("accept decides the engine's amount, capped by the amount applied for", () => {
    assert.deepEqual(decisionOf(application(), { outcome: "accept" }), { decidedYen: 321_000, decidedReaders: null, reduced: false, reason: null });
    assert.equal(decisionOf(application({ requestedYen: 300_000 }), { outcome: "accept" }).decidedYen, 300_000, "never more than applied for");
    assert.equal(decisionOf(application({ requestedYen: null }), { outcome: "accept" }).decidedYen, 321_000, "no amount applied for: the engine's");
    assert.equal(decisionOf(application({ recomputed: { eligible: true, amount: 400_000 } }), { outcome: "accept" }).decidedYen, 321_000, "a higher recomputation grants nothing more");
  });

  const table: [string, Partial<DecisionBasis>, DecisionInput, string][] = [
    ["reduce by 1 yen, with a reason", {}, { outcome: "reduce", yen: 320_999, reason: "見積書と異なる" }, "decided"],
    ["reduce to 1 yen", {}, { outcome: "reduce", yen: 1, reason: "x" }, "decided"],
    ["reduce to the ceiling itself", {}, { outcome: "reduce", yen: 321_000, reason: "x" }, "E9567"],
    ["reduce above the ceiling", {}, { outcome: "reduce", yen: 321_001, reason: "x" }, "E9560"],
    ["reduce to 0", {}, { outcome: "reduce", yen: 0, reason: "x" }, "E9564"],
    ["reduce to a fraction", {}, { outcome: "reduce", yen: 1.5, reason: "x" }, "E9564"],
    ["reduce without an amount", {}, { outcome: "reduce", reason: "x" }, "E9564"],
    ["reduce without a reason", {}, { outcome: "reduce", yen: 300_000 }, "E9503"],
    ["reduce with a blank reason", {}, { outcome: "reduce", yen: 300_000, reason: "  " }, "E9503"],
    ["accept what the engine found ineligible", { stored: { eligible: false, amount: 0 } }, { outcome: "accept" }, "E9561"],
    ["accept what the engine could not tell", { stored: { eligible: null, amount: null } }, { outcome: "accept" }, "E9561"],
    ["reduce what the engine could not compute", { stored: { eligible: true, amount: null } }, { outcome: "reduce", yen: 1000, reason: "x" }, "E9561"],
    ["accept a case with no calculation", { stored: null }, { outcome: "accept" }, "E9561"],
    ["accept when the engine now gives 1 yen less", { recomputed: { eligible: true, amount: 320_999 } }, { outcome: "accept" }, "E9568"],
    ["accept when the engine now cannot tell", { recomputed: { eligible: null, amount: null } }, { outcome: "accept" }, "E9568"],
    ["accept when the application has no project to recompute", { recomputed: null }, { outcome: "accept" }, "E9568"],
    ["reduce when the engine now gives less", { recomputed: { eligible: true, amount: 300_000 } }, { outcome: "reduce", yen: 300_000, reason: "算定の訂正" }, "decided"],
  ];
  for (const [name, over, input, expected] of table) {
    test(`${name}: ${expected}`, () => assert.equal(refusal(application(over), input), expected));
  }

  test("the ceiling a page shows says why accepting is refused", () => {
    assert.deepEqual(ceilingOf(application()), { yen: 321_000, readers: null, acceptRefusal: null });
    assert.deepEqual(ceilingOf(application({ recomputed: { eligible: true, amount: 1 } })), { yen: 321_000, readers: null, acceptRefusal: "E9568" });
    assert.deepEqual(ceilingOf(application({ stored: { eligible: null, amount: null } })), { yen: null, readers: null, acceptRefusal: "E9561" });
  });
});

describe("the decision on a reader provision request", () => {
  test("accept provides the readers requested, no more than the row's free readers", () => {
    assert.deepEqual(decisionOf(readerRequest(), { outcome: "accept" }), { decidedYen: null, decidedReaders: 3, reduced: false, reason: null });
    assert.equal(decisionOf(readerRequest({ stored: { eligible: true, amount: 0, readersFree: 2 } }), { outcome: "accept" }).decidedReaders, 2);
    assert.equal(decisionOf(readerRequest({ stored: null }), { outcome: "accept" }).decidedReaders, 3, "no calculation: the readers requested");
  });
  const table: [string, Partial<DecisionBasis>, DecisionInput, string][] = [
    ["fewer readers with a reason", {}, { outcome: "reduce", readers: 2, reason: "設置場所が2か所" }, "decided"],
    ["as many readers as requested", {}, { outcome: "reduce", readers: 3, reason: "x" }, "E9567"],
    ["more readers than requested", {}, { outcome: "reduce", readers: 4, reason: "x" }, "E9562"],
    ["no readers", {}, { outcome: "reduce", readers: 0, reason: "x" }, "E9564"],
    ["fewer readers without a reason", {}, { outcome: "reduce", readers: 2 }, "E9503"],
    ["a request for no readers", { requestedReaders: 0 }, { outcome: "accept" }, "E9561"],
    ["a request the engine found ineligible", { stored: { eligible: false, amount: 0 } }, { outcome: "accept" }, "E9561"],
    ["a request the engine now finds ineligible", { recomputed: { eligible: false, amount: 0 } }, { outcome: "accept" }, "E9568"],
  ];
  for (const [name, over, input, expected] of table) {
    test(`${name}: ${expected}`, () => assert.equal(refusal(readerRequest(over), input), expected));
  }
});

describe("the decision notice (様式3)", () => {
  const base = {
    noticeNumber: noticeNumber(12, 2, "2021-03-01"),
    issuedOn: "2021-03-01",
    facility: { code: "1312345678", name: "テスト診療所" },
    program: { id: "fund-2020", name: "医療情報化支援基金" },
    kind: "application" as const,
    appliedOn: "2021-02-01",
    requestedYen: 321_000,
    requestedReaders: null,
    decidedYen: 321_000,
    decidedReaders: 1,
    sources: ["engine source"],
  };

  test("names the facility, the programme, the readers and the amount, with 第5 1's six conditions and 第10–第12 as notes", () => {
    const notice = decisionNotice(base);
    assert.equal(notice.title, "補助金交付決定通知書");
    assert.equal(notice.noticeNumber, "支基補第2021-12-2号");
    assert.equal(notice.addressee, "テスト診療所 殿");
    assert.match(notice.body, /2021年2月1日付けで申請のあった医療情報化支援基金の補助金の交付について/);
    const items = Object.fromEntries(notice.items.map((i) => [i.label, i.value]));
    assert.equal(items["医療機関等"], "テスト診療所（医療機関コード 1312345678）");
    assert.equal(items["交付決定額"], "321,000円");
    assert.equal(items["提供を受けた顔認証付きカードリーダー"], "1台");
    assert.equal(items["申請額"], undefined, "the amount applied for is shown only when the decision differs");
    assert.equal(notice.conditions.length, 6, "第5 1(1)–(6)");
    assert.match(notice.conditions[4]!.text, /年度の終了後５年間/);
    assert.match(notice.conditions[4]!.source, /l\.1263–1279 第5 1\(5\)/);
    assert.deepEqual(notice.notes.map((n) => n.ref.replace(/（.*/, "")), ["実施要領第10 決定の取消し", "実施要領第11 返還", "実施要領第12 延滞金"]);
    assert.match(notice.sources[0]!, /l\.1367–1377 第9/);
    assert.ok(notice.sources.includes("engine source"), "the engine's sources follow");
  });

  test("a reduction shows the amount applied for and the reason", () => {
    const notice = decisionNotice({ ...base, decidedYen: 300_000, reason: "領収書の金額" });
    const items = Object.fromEntries(notice.items.map((i) => [i.label, i.value]));
    assert.equal(items["交付決定額"], "300,000円");
    assert.equal(items["申請額"], "321,000円");
    assert.equal(items["申請と異なる決定の理由"], "領収書の金額");
  });

  test("a reader provision request is a 提供決定 of readers", () => {
    const notice = decisionNotice({ ...base, kind: "reader_request", requestedYen: null, decidedYen: 0, requestedReaders: 3, decidedReaders: 2, reason: "2か所" });
    assert.equal(notice.title, "顔認証付きカードリーダー提供決定通知書");
    const items = Object.fromEntries(notice.items.map((i) => [i.label, i.value]));
    assert.equal(items["提供する顔認証付きカードリーダー"], "2台");
    assert.equal(items["申請台数"], "3台");
    assert.equal(items["交付決定額"], undefined);
  });

  test("a later programme's notice borrows no condition of the 2020 fund", () => {
    const notice = decisionNotice({ ...base, program: { id: "reader-expansion-2024", name: "顔認証付きカードリーダー増設支援" } });
    assert.deepEqual(notice.conditions, []);
    assert.deepEqual(notice.notes, []);
    assert.doesNotMatch(notice.body, /条件/);
    assert.deepEqual(noticeClauses("support-2024-h1").conditions, []);
  });
});
