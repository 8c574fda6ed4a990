// Issue 10 item 5: the card simulator (it answers for any card with no patient present) is a
// development tool. Its routes exist only when the server is started with --demo or --simulator
// (otherwise a 404 like any unknown URL), need a token, list only what placing a card needs (no
// address, security code or PIN), and the start banner says in Japanese that they are on.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { type IssuedCard } from "../../src/card/issue.ts";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { DEMO_PIN } from "../../src/seed/demo-cards.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { startServe } from "../support/onshi-bin.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const ADDRESS = "東京都千代田区千代田1-1";
const FACE = { name: "診療　太郎", address: ADDRESS, birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01", securityCode: "8642" };
const LISTING = "/onshi-api/simulator/cards";

for (const database of testDatabases()) {
  describe(`the card simulator is off by default, on ${database.name}`, () => {
    let db: Db;
    let oqsRoot: string;
    let card: IssuedCard;
    const apps: FastifyInstance[] = [];
    const server = async (simulator?: boolean) => {
      const app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" }, tokens: new TokenService(() => T0), faceFiles: faceFolder(join(oqsRoot, "face")), simulator });
      apps.push(app);
      return { app, token: (await issueTokens(app))[FACILITY.code]! };
    };

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-simulator-"));
      card = await issueCard(db, await openAuthority(db, T0), { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: DEMO_PIN }, T0);
    });
    after(async () => {
      for (const app of apps) await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    test("without the flag the routes do not exist: 404, the same answer as any unknown URL", async () => {
      const { app, token } = await server();
      const unknown = await app.inject({ method: "GET", url: "/onshi-api/no-such-route", headers: { authorization: token } });
      const shape = (res: typeof unknown) => ({ status: res.statusCode, body: { ...res.json(), url: undefined } });
      for (const [method, url] of [["GET", LISTING], ["POST", `${LISTING}/${card.cardId}/answer`], ["POST", `${LISTING}/${card.cardId}/portal-answer`], ["POST", `${LISTING}/${card.cardId}/home-answer`]] as const) {
        const res = await app.inject({ method, url, headers: { authorization: token }, payload: method === "POST" ? { nonce: "0".repeat(64), method: "visual", pin: "1234" } : undefined });
        assert.deepEqual(shape(res), shape(unknown), `${method} ${url}`);
      }
      const paths = Object.keys((await app.inject({ method: "GET", url: "/docs/json" })).json().paths);
      assert.deepEqual(paths.filter((p) => p.includes("simulator")), [], "not in the OpenAPI document either");
    });

    test("with it, a token is needed (401 E2002) for the listing and the answer", async () => {
      const { app } = await server(true);
      for (const [method, url] of [["GET", LISTING], ["POST", `${LISTING}/${card.cardId}/answer`]] as const) {
        const res = await app.inject({ method, url, payload: method === "POST" ? { nonce: "0".repeat(64), method: "visual" } : undefined });
        assert.equal(res.statusCode, 401, `${method} ${url}`);
        assert.equal(res.json().code, "E2002");
      }
    });

    test("the listing shows what placing a card needs, and no address, security code or PIN", async () => {
      const { app, token } = await server(true);
      const res = await app.inject({ method: "GET", url: LISTING, headers: { authorization: token } });
      assert.equal(res.statusCode, 200);
      const listed = (res.json().cards as Record<string, any>[]).find((c) => c.cardId === card.cardId)!;
      assert.deepEqual(Object.keys(listed).sort(), ["cardId", "certificateExpiry", "demo", "face", "locks", "registered", "revoked"]);
      assert.deepEqual(listed.face, { name: FACE.name, birthdate: FACE.birthdate });
      assert.ok(!res.body.includes(ADDRESS), "no address");
      assert.ok(!res.body.includes(FACE.securityCode), "no security code");
      assert.doesNotMatch(res.body, /pin"?\s*:\s*"|securityCode|address/i, "no PIN, security code or address field");
    });
  });
}

/** `onshi serve` as a user starts it: its banner, then a request to its listing. */
async function serve(flags: string[]): Promise<{ banner: string; listing: number }> {
  const { child, banner, url } = await startServe(["--memory", "--port", "0", ...flags], { ...process.env, DATABASE_URL: "" });
  try {
    return { banner, listing: (await fetch(`${url}${LISTING}`)).status };
  } finally {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
}

test("onshi serve: off unless asked, and the banner says when it is on (not for production)", async () => {
  const [plain, simulator] = await Promise.all([serve([]), serve(["--simulator"])]);
  assert.equal(plain.listing, 404);
  assert.match(plain.banner, /カードのシミュレータ: 無効/);
  assert.doesNotMatch(plain.banner, /シミュレータが有効/);
  assert.equal(simulator.listing, 401, "on, and behind a token");
  assert.match(simulator.banner, /カードのシミュレータが有効です.*本番環境では使わないでください/);
});
