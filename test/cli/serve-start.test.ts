// What `onshi serve` says as it starts: which clock is in force, and each demo card's state at
// that clock, which the next tap must answer; a port that is taken fails at once.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_CARDS } from "../../src/seed/demo-cards.ts";
import { onshi } from "../support/cli.ts";
import { startServe } from "../support/onshi-bin.ts";

/** The state a banner line states: the code it names, else registered or not. */
function statedOutcome(label: string): string {
  const code = /\((E7\d{3})\)/.exec(label)?.[1];
  if (code) return code;
  if (label.startsWith("利用登録済み")) return "registered";
  if (label.startsWith("未登録")) return "unregistered";
  throw new Error(`the banner states no state: ${label}`);
}

/** What a PIN tap of the card answers (onshi reader tap, as the front desk's simulator runs it). */
async function tapOutcome(url: string, cardId: string): Promise<string> {
  const tap = await onshi(["reader", "tap", "--url", url, "--card", cardId, "--pin", "1234", "--json"]);
  const answer = JSON.parse(tap.stdout);
  if (answer.error) return answer.error.code === "E7031" ? "unregistered" : answer.error.code;
  if (answer.warning?.code === "E7050") return "E7050";
  return answer.registered ? "registered" : "unregistered";
}

describe("onshi serve's start banner", () => {
  // 2026-04-01: the README's states (card 3 in its grace). 2030-06-01: card 1 in its grace, cards 3 and 5 beyond it.
  for (const clock of [
    { date: "2026-04-01", args: ["--now", "2026-04-01"], env: {}, source: "コマンドラインの --now" },
    { date: "2030-06-01", args: [], env: { ONSHI_NOW: "2030-06-01" }, source: "環境変数 ONSHI_NOW" },
  ]) {
    test(`at ${clock.date} (${clock.source}) each demo card's stated state is what a tap answers`, async () => {
      const server = await startServe(["--demo", "--memory", "--port", "0", ...clock.args], { ...process.env, DATABASE_URL: "", ...clock.env });
      try {
        assert.match(server.banner, new RegExp(`時計:\\s+${clock.date} から進む時計 \\(${clock.source}; 現在 ${clock.date} 09:00 日本時間\\)`));
        assert.match(server.banner, new RegExp(`状態は時計の ${clock.date} のもの`));
        const stated = new Map([...server.banner.matchAll(/^ {4}(DE\d{14}) {2}.+? {2}(.+)$/gm)].map((m) => [m[1]!, statedOutcome(m[2]!)]));
        assert.deepEqual([...stated.keys()], DEMO_CARDS.map((c) => c.cardId));
        const tapped = new Map<string, string>();
        for (const card of DEMO_CARDS) tapped.set(card.cardId, await tapOutcome(server.url, card.cardId));
        assert.deepEqual(tapped, stated);
        // The clocks were chosen so that the states differ between them.
        const expected = clock.date === "2026-04-01" ? ["registered", "unregistered", "E7050", "E7007", "registered", "registered", "registered", "registered"] : ["E7050", "unregistered", "E7008", "E7007", "E7008", "registered", "registered", "registered"];
        assert.deepEqual([...stated.values()], expected);
      } finally {
        server.child.kill("SIGKILL");
        await once(server.child, "exit");
      }
    });
  }

  test("a port that is taken fails at once, before the database is opened (E9254 names the port and --port, exit 2)", async () => {
    const holder = createServer().listen({ port: 0, host: "127.0.0.1" });
    await once(holder, "listening");
    const port = (holder.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), "onshi-port-"));
    try {
      const refused = await onshi(["serve", "--port", String(port), "--data-dir", dir], { ...process.env, DATABASE_URL: "" });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, new RegExp(`E9254 待ち受けるポートが使用中です。--port \\(または環境変数 PORT\\) で別のポートを指定するか.*\\(127\\.0\\.0\\.1:${port}\\)`));
      assert.equal(existsSync(join(dir, "pglite")), false, "no database was opened");
    } finally {
      holder.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
