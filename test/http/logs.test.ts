// Issue 12 item 6: the server's log. One line a person reads per answered request and per request
// file (time, facility, route or kind, result code, milliseconds), JSON lines with --log-format
// json, a file moved to error/ at warn with its reason, and nothing secret in any line: no PIN,
// token, credential, card number or person's name across a login, a card check with a PIN and a
// 個別照会 (over HTTP and as a file), logged at debug, the most detailed level onshi writes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { startGateway, type Gateway } from "../../src/gateway/gateway.ts";
import { serverLogger, textLine } from "../../src/http/log-output.ts";
import { RequestLog } from "../../src/http/request-log.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { DEMO_CARDS, DEMO_PIN } from "../../src/seed/demo-cards.ts";
import { DEMO_FACILITIES, DEMO_KEY, loadDemo } from "../../src/seed/demo.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { Captured, onshi } from "../support/cli.ts";
import { testDatabases } from "../support/databases.ts";
import { checkRequestXml, encodeRequest, waitForFile } from "../gateway/requests.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
const HOSPITAL = DEMO_FACILITIES[0];
const CARD = DEMO_CARDS[0]!;
const TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}`;

test("an answer's line: time, level, facility, route, result code, HTTP status, milliseconds, then the message", () => {
  const json = JSON.stringify({ level: 30, time: "2026-04-01T00:30:00.123Z", pid: 1, hostname: "h", reqId: "req-1", facility: HOSPITAL.code, kind: "POST /oqs-api-pro/MSA01030/ILI01030SV01/search", result: "E1005", status: 400, ms: 12, msg: "応答しました" });
  assert.match(textLine(json), new RegExp(`^${TIME} INFO  ${HOSPITAL.code} POST /oqs-api-pro/MSA01030/ILI01030SV01/search E1005 400 12ms 応答しました\n$`));
  const file = JSON.stringify({ level: 40, time: 0, facility: HOSPITAL.code, kind: "OQSsiquc01", file: "OQSsiquc01req_1.xml", result: "E1002", ms: 3, msg: "要求ファイルを error に移しました", reason: "XMLの形式が不正です。" });
  assert.match(textLine(file), new RegExp(`^${TIME} WARN  ${HOSPITAL.code} OQSsiquc01 OQSsiquc01req_1.xml E1002 3ms 要求ファイルを error に移しました reason=XMLの形式が不正です。\n$`));
  const failure = JSON.stringify({ level: 50, time: 0, msg: "boom", err: { message: "boom", stack: "Error: boom\n    at x" } });
  assert.match(textLine(failure), /^.* ERROR boom\n {4}Error: boom\n {8}at x\n$/, "a failure's stack follows, indented");
  const outage = JSON.stringify({ level: 40, time: 0, msg: "データベースに接続できません (E9002)", err: "Error: connect ECONNREFUSED" });
  assert.match(textLine(outage), /^.* WARN  データベースに接続できません \(E9002\)\n {4}Error: connect ECONNREFUSED\n$/, "or its text");
});

test("the README's example lines are lines the server writes", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const block = /\*\*Logs\*\*[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1]?.split("\n").filter(Boolean);
  assert.ok(block?.length === 2, "the README shows two example lines");
  const stamp = (line: string) => line.replace(new RegExp(`^${TIME}`), "TIME");
  const search = { level: 30, time: 0, facility: HOSPITAL.code, kind: "POST /oqs-api-pro/MSA01030/ILI01030SV01/search", result: "OK", status: 200, ms: 12, msg: "応答しました" };
  assert.equal(stamp(block[0]!), stamp(textLine(JSON.stringify(search)).trimEnd()));
  const file = "OQSsiquc01req_202604010002.xml";
  const moved = { level: 40, time: 0, facility: HOSPITAL.code, kind: "OQSsiquc01", file, result: "E1002", ms: 8, msg: "要求ファイルを error に移しました", movedTo: `error/${file}`, reason: "XMLの形式が不正です。(4行目 1列: …)" };
  assert.equal(stamp(block[1]!), stamp(textLine(JSON.stringify(moved)).trimEnd()));
});

test("the level: info shows answers but not debug lines; silent shows nothing", async () => {
  for (const [level, lines] of [["info", 1], ["debug", 2], ["silent", 0]] as const) {
    const out = new Captured();
    const app = Fastify({ logger: serverLogger(level, "text", out), logController: new RequestLog() });
    app.get("/ping", async () => "pong");
    await app.inject({ method: "GET", url: "/ping?token=secret" });
    await app.close();
    const text = out.text();
    assert.equal(text.split("\n").filter(Boolean).length, lines, `${level}: ${text}`);
    if (lines > 0) assert.match(text, new RegExp(`${TIME} INFO  - GET /ping OK 200 \\d+ms 応答しました`));
    assert.ok(!text.includes("secret"), "no query string");
  }
});

test("onshi serve refuses an unknown LOG_LEVEL (exit 2) and names the levels", async () => {
  const { code, stderr } = await onshi(["serve", "--memory", "--port", "0"], { ...process.env, LOG_LEVEL: "loud", DATABASE_URL: "" });
  assert.equal(code, 2);
  assert.match(stderr, /LOG_LEVEL が不正です: loud \(trace, debug, info, warn, error, fatal, silent のいずれか\)/);
});

for (const database of testDatabases()) {
  describe(`the server's log across a login, a card check with a PIN and a 個別照会, on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let gateway: Gateway;
    let root: string;
    const json = new Captured();
    const secrets: Record<string, string> = { PIN: DEMO_PIN, credential: HOSPITAL.credential, "card number": CARD.cardId, "card holder": CARD.name };
    let lines: Record<string, unknown>[] = [];
    let text = "";

    before(async () => {
      db = await database.open();
      await loadDemo(db);
      root = await mkdtemp(join(tmpdir(), "onshi-logs-"));
      const oqs = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" as const };
      app = await buildServer({ oqs, tokens: new TokenService(() => NOW, 600), faceFiles: faceFolder(join(root, "face")), simulator: true, logger: serverLogger("debug", "json", json) });
      gateway = await startGateway({ root, ctx: oqs, facility: HOSPITAL.code, logger: app.log, settleMs: 100 });

      const login = await app.inject({ method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload: { MedicalInstitutionCode: HOSPITAL.code, Credential: HOSPITAL.credential } });
      const { idToken, refreshToken } = login.json().result;
      Object.assign(secrets, { idToken, "refresh token": refreshToken });
      const authorization = idToken as string;
      const post = async (url: string, payload: object) => (await app.inject({ method: "POST", url, payload, headers: { authorization } })).json();

      const search = await post("/oqs-api-pro/MSA01030/ILI01030SV01/search", {
        XmlMsg: {
          MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: HOSPITAL.code },
          MessageBody: { QualificationConfirmSearchInfo: { ...DEMO_KEY, Birthdate: "19680229", LimitApplicationCertificateRelatedConsFlg: "1" } },
        },
      });
      const person = search.XmlMsg.MessageBody.ResultList[0].ResultOfQualificationConfirmation;
      Object.assign(secrets, { "person's name": person.Name, "person's kana": person.NameKana });

      const { nonce } = await post("/onshi-api/reader/challenge", {});
      const { answer } = await post(`/onshi-api/simulator/cards/${CARD.cardId}/answer`, { nonce, method: "pin", pin: DEMO_PIN });
      const { session } = await post("/onshi-api/reader/verify", { answer });
      assert.ok(session, "the PIN check passed");
      Object.assign(secrets, { "reader session": session });
      await post("/onshi-api/reader/complete", { session, consent: {} });

      const good = "OQSsiquc01req_202604010001.xml";
      const bad = "OQSsiquc01req_202604010002.xml";
      await writeFile(join(root, "req", good), encodeRequest(checkRequestXml(HOSPITAL.code, { ...DEMO_KEY, Birthdate: "19680229", LimitApplicationCertificateRelatedConsFlg: "1" }), "UTF-8"));
      await writeFile(join(root, "req", bad), '<?xml version="1.0" encoding="UTF-8"?>\n<XmlMsg>\n<MessageHeader>\n</XmlMsg>\n');
      await waitForFile(join(root, "res", good.replace("req", "res")));
      await waitForFile(join(root, "error", `${bad}.reason.txt`));
      await waitForFile(join(root, "error", bad));
      // The warn line is written once the file has moved.
      await new Promise((resolve) => setTimeout(resolve, 50));
      lines = json.text().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      text = lines.map((line) => textLine(JSON.stringify(line))).join("");
    });
    after(async () => {
      await gateway.close();
      await app.close();
      await db.close();
      await rm(root, { recursive: true, force: true });
    });

    test("--log-format json: every line is a JSON object with a level, an ISO time and a message", () => {
      assert.ok(lines.length >= 10, `${lines.length} lines`);
      for (const line of lines) {
        assert.equal(typeof line.level, "number");
        assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(typeof line.msg, "string");
      }
    });

    test("one line per answered request, with the facility once known, the route as registered and the result code", () => {
      const answered = text.split("\n").filter((line) => / INFO  .*応答しました$/.test(line) && !line.includes("OQSsiquc01req"));
      assert.equal(answered.length, 6, answered.join("\n"));
      assert.match(answered[0]!, new RegExp(`^${TIME} INFO  ${HOSPITAL.code} POST /oqs-api-pro/MSA12020/ILI12020SV01/auth OK 200 \\d+ms 応答しました$`));
      assert.match(answered[1]!, new RegExp(`INFO  ${HOSPITAL.code} POST /oqs-api-pro/MSA01030/ILI01030SV01/search OK 200 \\d+ms`));
      assert.match(answered[3]!, new RegExp(`INFO  ${HOSPITAL.code} POST /onshi-api/simulator/cards/:cardId/answer OK 200 \\d+ms`), "the route's pattern, not the card's number");
    });

    test("one line per request file; a file moved to error/ is logged at warn with its reason", () => {
      assert.match(text, new RegExp(`${TIME} INFO  ${HOSPITAL.code} OQSsiquc01 OQSsiquc01req_202604010001.xml OK \\d+ms 要求ファイルに応答しました\n`));
      const warn = new RegExp(`${TIME} WARN  ${HOSPITAL.code} OQSsiquc01 OQSsiquc01req_202604010002.xml E1002 \\d+ms 要求ファイルを error に移しました movedTo=error/OQSsiquc01req_202604010002.xml reason=XMLの形式が不正です。\\(4行目 \\d+列: 要素 MessageHeader \\(3行目\\) の終了タグの位置に XmlMsg の終了タグがあります\\)`);
      assert.match(text, warn);
    });

    test("debug adds a line as each request arrives", () => {
      assert.match(text, new RegExp(`${TIME} DEBUG 受信しました route=POST /onshi-api/reader/verify remoteAddress=127.0.0.1 bytes=\\d+`));
    });

    test("no line holds a PIN, a token, the credential, a card's number or a person's name (text and JSON)", async () => {
      const raw = json.text();
      for (const [what, secret] of Object.entries(secrets)) {
        assert.ok(secret && secret.length >= 4, what);
        for (const [format, log] of [["text", text], ["json", raw]] as const) {
          // Four digits may be a duration or a length by chance: the PIN is looked for outside those.
          const searched = what === "PIN" ? log.replace(/"?(ms|bytes)"?[=:]"?\d+|\d+ms/g, "") : log;
          assert.ok(!new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(searched), `${what} in the ${format} log`);
        }
      }
      assert.match(await readFile(join(root, "error", "OQSsiquc01req_202604010002.xml.reason.txt"), "utf8"), /ja: XMLの形式が不正です。\(4行目/);
    });
  });
}
