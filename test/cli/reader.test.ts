// `npx onshi reader tap` as a user runs it (the bin's run(), in process), against a server
// started in this process on port 0 with the demo data and a temporary OQS root, on each database.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { DEMO_DATE, loadDemo } from "../../src/seed/demo.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { saveCertificates } from "../../src/store/medical-subsidy-store.ts";
import { testDatabases } from "../support/databases.ts";
import { onshi } from "../support/cli.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";

const NOW = new Date(`${DEMO_DATE}T09:30:00+09:00`);
// The demo cards (src/seed/demo-cards.ts, README): all with PIN 1234.
const TARO = "DE00000000000001"; // 山田　太郎, registered
const HANAKO = "DE00000000000002"; // 山田　花子, not registered
const ICHIRO = "DE00000000000003"; // 鈴木　一郎, certificate in the 3-month grace
const KENICHI = "DE00000000000005"; // 佐藤　健一, registered
const YU = "DE00000000000006"; // 中村　優, registered

test("reader tap refuses bad flags with exit 2 and names the flag", async () => {
  for (const [args, flag] of [
    [["--pin", "1234"], "--card"],
    [["--card", "0123456789ABCDEF"], "--pin, --face, --visual"],
    [["--card", "0123456789ABCDEF", "--pin", "1234", "--visual"], "--pin, --visual"],
    [["--card", "0123456789ABCDEF", "--face", "maybe"], "--face"],
    [["--card", "0123456789ABCDEF", "--pin", "1234", "--consent", "pharmacists,x-ray"], "--consent"],
    [["--card", "0123456789ABCDEF", "--pin", "1234", "--prescription", "fax"], "--prescription"],
    [["--card", "0123456789ABCDEF", "--pin", "1234", "--facility", "1310000004"], "--credential"],
    [["--card", "0123456789ABCDEF", "--pin", "1234", "--url", "not a url"], "--url"],
    [["--card", "0123456789ABCDEF", "--pin", "1234", "--colour"], "--colour"],
  ] as const) {
    const { code, stderr } = await onshi(["reader", "tap", ...args]);
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.ok(stderr.includes(flag), `${args.join(" ")} should name ${flag}: ${stderr}`);
  }
});

test("reader tap --help lists the consent categories it accepts", async () => {
  const { code, stdout } = await onshi(["reader", "tap", "--help"]);
  assert.equal(code, 0);
  for (const name of ["pharmacists", "specificHealthCheckups", "diagnosis", "operation", "limitCertificate", "specificDiseases", "medicalSubsidy", "none"]) {
    assert.ok(stdout.includes(name), name);
  }
});

test("reader tap says when the server cannot be reached (exit 1)", async () => {
  const { code, stderr } = await onshi(["reader", "tap", "--card", "0123456789ABCDEF", "--pin", "1234", "--url", "http://127.0.0.1:9"]);
  assert.equal(code, 1);
  assert.match(stderr, /サーバに接続できません: http:\/\/127\.0\.0\.1:9\//);
});

test("reader tap against a server (--url, or PORT as serve takes it) without the simulator says how to turn it on (exit 1)", async () => {
  const db = await testDatabases()[0]!.open();
  await loadDemo(db);
  const oqsRoot = await mkdtemp(join(tmpdir(), "onshi-reader-tap-off-"));
  const app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW), faceFiles: faceFolder(join(oqsRoot, "face")) });
  try {
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    // The server named by --url, or as onshi serve takes it, by PORT on 127.0.0.1.
    const port = new URL(url).port;
    for (const [args, env] of [[["--url", url], process.env], [[], { ...process.env, PORT: port }]] as const) {
      const { code, stderr } = await onshi(["reader", "tap", ...args, "--card", TARO, "--pin", "1234"], env);
      assert.equal(code, 1);
      assert.match(stderr, /カードのシミュレータが無効です。サーバを onshi serve --demo または --simulator で起動してください/);
    }
  } finally {
    await app.close();
    await db.close();
    await rm(oqsRoot, { recursive: true, force: true });
  }
});

for (const database of testDatabases()) {
  describe(`reader tap against a server on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let oqsRoot: string;
    let url: string;

    before(async () => {
      db = await database.open();
      await loadDemo(db);
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-reader-tap-"));
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW), faceFiles: faceFolder(join(oqsRoot, "face")), simulator: true });
      url = await app.listen({ port: 0, host: "127.0.0.1" });
    });
    after(async () => {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    const tap = (...args: string[]) => onshi(["reader", "tap", "--url", url, ...args]);

    test("a face check: the summary names the person, the method, the consent chosen and the face file, which is written", async () => {
      const { code, stdout, stderr } = await tap("--card", TARO, "--face", "ok", "--consent", "pharmacists,limitCertificate", "--prescription", "electronic");
      assert.equal(code, 0, stderr);
      assert.match(stdout, /受付完了: 山田　太郎 \(生年月日 1980-05-15\)/);
      assert.match(stdout, /本人確認: 顔認証/);
      assert.match(stdout, /同意: 薬剤情報 ○ \/ 特定健診情報 × \/ 診療情報 × \/ 手術情報 × \/ 限度額情報 ○ \/ 特定疾病情報 ×/);
      assert.match(stdout, /処方箋: 電子処方箋/);
      assert.match(stdout, /照会番号: 0012345/);
      const faceFile = /結果ファイル: (OQSsiquc01res_face_1310100019[0-9a-f]{20}_20260401093000\.xml)/.exec(stdout)?.[1];
      assert.ok(faceFile, stdout);
      const body = (decodeXml(await readFile(join(oqsRoot, "face", faceFile))).tree.XmlMsg as any).MessageBody;
      assert.equal(body.PrescriptionIssueSelect, "1");
      assert.equal([body.ResultList.ResultOfQualificationConfirmation].flat()[0].Name, "山田　太郎");
    });

    test("a PIN check with --json and the reader's defaults for consent", async () => {
      const { code, stdout, stderr } = await tap("--card", KENICHI, "--pin", "1234", "--json");
      assert.equal(code, 0, stderr);
      const outcome = JSON.parse(stdout);
      assert.equal(outcome.method, "pin");
      assert.equal(outcome.facility, "1310100019");
      assert.deepEqual(outcome.holder, { name: "佐藤　健一", birthdate: "1968-02-29" });
      // The reader's defaults at the demo hospital: every category it offers (診療・手術 included).
      assert.deepEqual(outcome.consent, { pharmacists: true, specificHealthCheckups: true, diagnosis: true, operation: true, limitCertificate: true, specificDiseases: true });
      assert.equal(outcome.user.name, "佐藤　健一");
      assert.equal(outcome.user.faceFile, outcome.faceFile);
      assert.ok((await readdir(join(oqsRoot, "face"))).includes(outcome.faceFile), "(await readdir(join(oqsRoot, \"face\"))).includes(outcome.faceFile)");
    });

    test("a wrong PIN: exit 1 with E7010 and the tries left, in text and in JSON", async () => {
      const text = await tap("--card", YU, "--pin", "0000");
      assert.equal(text.code, 1);
      assert.match(text.stderr, /拒否 E7010 \(カード\): 暗証番号が正しくありません。 \(残り 2 回\)/);
      const json = await tap("--card", YU, "--pin", "9999", "--json");
      assert.equal(json.code, 1);
      assert.deepEqual(JSON.parse(json.stdout).error, { step: "カード", code: "E7010", message: "暗証番号が正しくありません。", remaining: 1 });
      // The right PIN before the lock resets the count (the card is usable again).
      assert.equal((await tap("--card", YU, "--pin", "1234")).code, 0);
    });

    test("an unregistered card: refused without --register (E7031), registered and completed with it", async () => {
      const refused = await tap("--card", HANAKO, "--pin", "1234");
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /拒否 E7031 \(受付\)/);
      assert.match(refused.stderr, /--register/);
      const registered = await tap("--card", HANAKO, "--pin", "1234", "--register", "--consent", "none");
      assert.equal(registered.code, 0, registered.stderr);
      assert.match(registered.stdout, /受付完了: 山田　花子/);
      assert.match(registered.stdout, /保険証利用登録: 今回登録しました/);
      assert.match(registered.stdout, /同意: 薬剤情報 × \/ 特定健診情報 ×/);
      const again = await tap("--card", HANAKO, "--face", "ok", "--register");
      assert.match(again.stdout, /保険証利用登録: 登録済み/);
    });

    test("a card in the 3-month grace: the warning, and no consent asked", async () => {
      const { code, stdout, stderr } = await tap("--card", ICHIRO, "--visual", "--consent", "pharmacists", "--prescription", "paper");
      assert.equal(code, 0, stderr);
      assert.match(stdout, /警告 E7050: 電子証明書の有効期限が切れています。/);
      assert.match(stdout, /同意: 確認なし \(資格確認のみ\)/);
      assert.doesNotMatch(stdout, /処方箋/);
    });

    test("at the demo clinic (医療費助成 利用する) the summary lists the 受給者証 the check carried, only with consent", async () => {
      const [person] = await db.query<{ person_id: number }>("select person_id from persons where name = '山田　太郎'");
      await saveCertificates(db, [{
        issuerCode: "130001", historyKey: "reader-tap-nanbyo", personId: Number(person!.person_id), programme: "intractableDisease", orgCertificateTypeId: null,
        insurerNumber: "54136015", recipientNumber: "0000018", certificationName: "特定医療費（指定難病）受給者証", certificationSubKey: null, segment: null,
        incomeSegment: null, additionalConditions: null, designatedMedicalInstitutions: [], alwaysReimbursement: false, maxCopayment: { monthly: 10_000 },
        validFrom: "2025-10-01", validTo: "2026-09-30", isDeleted: false, certificationDetail: [],
      }], NOW);
      const clinic = ["--facility", "1310123458", "--credential", "demo-clinic"];
      const agreed = await tap("--card", TARO, "--face", "ok", ...clinic, "--consent", "pharmacists,medicalSubsidy");
      assert.equal(agreed.code, 0, agreed.stderr);
      assert.match(agreed.stdout, /医療費助成 ○/);
      assert.match(agreed.stdout, /医療費助成: 特定医療費（指定難病）受給者証 公費負担者番号 54136015 受給者番号 0000018 上限 月 10,000円 \(2025-10-01〜2026-09-30\)/);
      const refused = await tap("--card", TARO, "--face", "ok", ...clinic, "--consent", "pharmacists");
      assert.equal(refused.code, 0, refused.stderr);
      assert.match(refused.stdout, /医療費助成 ×/);
      assert.doesNotMatch(refused.stdout, /医療費助成:/);
    });

    test("refusals from the server: an unknown card, a consent the reader does not offer, a wrong credential", async () => {
      const unknown = await tap("--card", "0000000000000000", "--visual");
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /E7014/);
      // The demo hospital's reader offers 診療・手術 too; 医療費助成 (PMH) it does not.
      const unoffered = await tap("--card", TARO, "--face", "ok", "--consent", "medicalSubsidy");
      assert.equal(unoffered.code, 1);
      assert.match(unoffered.stderr, /拒否 E8001 \(受付\)/);
      const credential = await tap("--card", TARO, "--visual", "--facility", "1310100019", "--credential", "wrong");
      assert.equal(credential.code, 1);
      assert.match(credential.stderr, /拒否 E2006 \(認証\)/);
    });
  });
}
