// Every command's help and exit codes, as a user meets them (run(), in process): help in Japanese
// with examples and the required options marked, commander's usage errors in Japanese, and one
// exit-code rule for all (README "Exit codes"): 0 done, 1 refused or an error answer, 2 usage or input error.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { onshiProgram } from "../../src/cli/main.ts";
import { CliRun } from "../../src/cli/io.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { Captured, onshi } from "../support/cli.ts";
import { checkRequestXml, encodeRequest } from "../gateway/requests.ts";

/** Every command of the full program, as the words a user types after `onshi`. */
async function commandPaths(): Promise<{ path: string[]; command: Command }[]> {
  const program = await onshiProgram(new CliRun({ stdout: new Captured(), stderr: new Captured(), env: {} }));
  const walk = (command: Command, path: string[]): { path: string[]; command: Command }[] => [
    { path, command },
    ...command.commands.flatMap((sub) => walk(sub, [...path, sub.name()])),
  ];
  return walk(program, []).slice(1);
}

const ENGLISH = /Usage:|Options:|Commands:|Arguments:|display help|\[options\]|\[command\]|default:|choices:|error:/;

describe("help and exit codes of every command", () => {
  let dir: string;
  let commands: { path: string[]; command: Command }[];
  const env = { ...process.env, DATABASE_URL: "" };
  const run = (args: string[]) => onshi(args, env);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-help-"));
    commands = await commandPaths();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("onshi --help lists every command, in Japanese, with examples and the exit codes", async () => {
    const { code, stdout } = await run(["--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /^使い方: onshi \[オプション\] \[コマンド\]/);
    assert.doesNotMatch(stdout, ENGLISH);
    for (const { path } of commands.filter((c) => c.path.length === 1)) assert.match(stdout, new RegExp(`^  ${path[0]} `, "m"));
    assert.match(stdout, /例:\n {2}\$ onshi /);
    assert.match(stdout, /終了コード: 0 成功, 1 拒否またはエラーの応答, 2 使い方・入力の誤り/);
    const help = await run(["help", "check"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^使い方: onshi check /);
  });

  test("onshi --version prints the package's version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    assert.deepEqual(await run(["--version"]), await run(["-V"]));
    assert.equal((await run(["--version"])).stdout, `${version}\n`);
  });

  test("each command's --help is Japanese, has examples, and marks its required options", async () => {
    for (const { path, command } of commands) {
      const { code, stdout, stderr } = await run([...path, "--help"]);
      const name = `onshi ${path.join(" ")}`;
      assert.equal(code, 0, `${name}: ${stderr}`);
      assert.ok(stdout.startsWith(`使い方: ${name} `), `${name}:\n${stdout}`);
      assert.doesNotMatch(stdout, ENGLISH, name);
      assert.match(stdout, /\n例:\n {2}\$ onshi /, `${name} shows examples`);
      for (const option of command.options.filter((o) => o.mandatory)) {
        assert.ok(stdout.split("\n")[0]!.includes(option.flags), `${name}: ${option.flags} in the usage line`);
        assert.match(stdout, new RegExp(`^ +${option.flags} +【必須】`, "m"), `${name}: ${option.flags} marked 必須`);
      }
    }
  });

  test("an unknown option is a usage error of every command: exit 2, in Japanese, naming the command's help", async () => {
    for (const { path, command } of commands) {
      // Commander reports a missing required option first: give them.
      const required = command.options.filter((o) => o.mandatory).flatMap((o) => [o.long!, "x"]);
      const { code, stderr } = await run([...path, ...required, "--no-such-option"]);
      assert.equal(code, 2, path.join(" "));
      assert.equal(stderr, `エラー: 不明なオプションです: --no-such-option\n(使い方: onshi ${path.join(" ")} --help)\n`, path.join(" "));
    }
  });

  test("commander's usage errors are in Japanese and exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [[], /^使い方: onshi /],
      [["sreve"], /^エラー: 不明なコマンドです: sreve\n\(もしかして: serve\)\n\(使い方: onshi --help\)\n$/],
      [["cards"], /^使い方: onshi cards /],
      [["reader", "tap", "--pin", "1234"], /^エラー: 必須のオプション --card <id> を指定してください\n/],
      [["reader", "tap", "--card"], /^エラー: オプション --card <id> の値を指定してください\n/],
      [["reader", "tap", "--card", "X", "--face", "maybe"], /^エラー: オプション --face <result> に maybe は指定できません \(選択肢: ok, fail\)\n/],
      [["reader", "tap", "--card", "X", "--fcae", "ok"], /^エラー: 不明なオプションです: --fcae\n\(もしかして: --face\)\n/],
      [["files", "validate"], /^エラー: 引数 <file> を指定してください\n\(使い方: onshi files validate --help\)\n$/],
      [["subsidy", "readings", "extra"], /^エラー: 引数が多すぎます \(0 個まで、指定は 1 個\)\n/],
    ];
    for (const [args, expected] of cases) {
      const { code, stderr } = await run(args);
      assert.equal(code, 2, args.join(" "));
      assert.match(stderr, expected, args.join(" "));
      assert.doesNotMatch(stderr, ENGLISH, args.join(" "));
    }
  });

  test("every command follows the exit-code rule: 0 done, 1 refused or an error answer, 2 usage or input error", async () => {
    const data = ["--data-dir", join(dir, "data")];
    // A visit inside the 医療券 window (3–30 days from today, Japan time): the refusal is then the office's.
    const tenDaysAhead = new Date(Date.now() + 9 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    const clean = join(dir, "OQSsiquc01req_202604010001.xml");
    const bad = join(dir, "OQSsiquc01req_202604010002.xml");
    const key = { InsurerNumber: "01130012", InsuredCardSymbol: "4410", InsuredIdentificationNumber: "8001", InsuredBranchNumber: "00", Birthdate: "19800515", LimitApplicationCertificateRelatedConsFlg: "0" };
    await writeFile(clean, encodeRequest(checkRequestXml("1310100019", key), "UTF-8"));
    await writeFile(bad, encodeRequest(checkRequestXml("1310100019", { ...key, Birthdate: "19801301" }), "UTF-8"));
    const demoKey = ["--demo", "--facility", "1310100019", "--insurer", "01130012", "--symbol", "4410", "--number", "8001", "--branch", "00", "--date", "20260401", ...data];
    const late = ["--principal", "1000000", "--received", "2021-04-01", "--deadline", "2022-03-31"];
    const readerReturn = ["--reader-cost", "300000", "--provided", "2021-04-01", "--cancelled", "2023-04-01"];
    const clinic = new URL("../../docs/examples/subsidy/clinic.json", import.meta.url).pathname;
    const receipts = join(dir, "receipts.csv");
    await writeFile(receipts, "month,receipts,outpatientReceipts\n2026-01,1200,1100\n2026-02,1150,1080\n");
    const batch = join(dir, "batch.csv");
    await writeFile(batch, "facilityCode,program,facilityKind,cost,completedOn\n1310100019,fund-2020,hospital,2000000,2021-08-31\n");
    // One row per command: [what to type, the exit code], at least one usage error each.
    const table: Record<string, [string[], 0 | 1 | 2][]> = {
      serve: [[["--port", "x", "--memory"], 2]],
      seed: [
        [["--persons", "3", "--json", ...data], 0],
        [["--persons", "x", ...data], 2],
      ],
      simulate: [
        [["--facilities", "20", "--from", "2024-06", "--to", "2024-07", "--json", ...data], 0],
        [["--facilities", "20", "--from", "2024-06", "--to", "2024-07", ...data], 1], // E8925: simulated facilities exist
        [["--from", "2024-07", "--to", "2024-06", ...data], 2], // E8921
      ],
      check: [
        [[...demoKey, "--birthdate", "19800515"], 0],
        [[...demoKey, "--birthdate", "19800516"], 0], // 該当資格なし is an answer, not an error
        [[...demoKey, "--birthdate", "19801301"], 1], // E3005
        [["--insurer", "01130012", ...data], 2],
        [["--request", join(dir, "absent.xml"), ...data], 2],
      ],
      "files validate": [
        [[clean], 0],
        [[clean, bad], 1],
        [[], 2],
      ],
      "cards issue": [[["--person", "x", "--certificate-expiry", "2030-12-31", ...data], 2]],
      "cards list": [
        [data, 0],
        [["--data-dir"], 2],
      ],
      "cards revoke": [
        [["0000000000000000", ...data], 1],
        [data, 2],
      ],
      "cards reset": [
        [["0000000000000000", ...data], 1],
        [data, 2],
      ],
      "reader tap": [
        [["--card", "DE00000000000001", "--pin", "1234", "--url", "http://127.0.0.1:9"], 1], // nothing listens: refused at 認証
        [["--card", "DE00000000000001"], 2],
      ],
      "usage notice": [
        [["--facility", "1310100019", "--month", "2026-02", ...data], 0],
        [["--facility", withCheckDigit("131099999"), "--month", "2026-02", ...data], 1], // not registered: E8971
        [["--facility", "1310100019", "--month", "2026-13", ...data], 2], // E8970
      ],
      "subsidy late-interest": [
        [late, 0],
        [[...late, "--principal", "x"], 2],
      ],
      "subsidy reader-return": [
        [readerReturn, 0],
        [readerReturn.slice(2), 2],
      ],
      "subsidy calc": [
        [[clinic, "--at", "2025-06-01"], 0],
        [[clinic, "--at", "2025-13-01"], 2],
      ],
      "subsidy readings": [
        [[], 0],
        [["extra"], 2],
      ],
      "facilities cert issue": [
        [[withCheckDigit("131099999"), "--out", join(dir, "certs"), ...data], 1], // not registered: E2001
        [["1310100019", ...data], 2],
      ],
      "facilities cert revoke": [
        [["0123456789abcdef", ...data], 1], // E2030
        [data, 2],
      ],
      "facilities list": [
        [data, 0],
        [["--data-dir"], 2],
      ],
      "facilities add": [
        [[withCheckDigit("271234567"), "--name", "なにわ医院", "--kind", "medical_clinic", ...data], 0],
        [[withCheckDigit("271234567"), "--name", "なにわ医院", "--kind", "medical_clinic", ...data], 1], // E9247: registered already
        [[withCheckDigit("271234567"), "--name", "なにわ医院", "--kind", "pharmacy", ...data], 2], // E9248
      ],
      "facilities medical-subsidy": [
        [[withCheckDigit("271234567"), "--use", "--by", "山田", ...data], 0],
        [[withCheckDigit("271234567"), ...data], 0], // shows the setting and its record
        [[withCheckDigit("131099999"), ...data], 1], // E2001: not registered
        [[withCheckDigit("271234567"), "--use", "--stop", "--by", "山田", ...data], 2], // E8601
        [[withCheckDigit("271234567"), "--stop", ...data], 2], // E8600: who changes it is not named
      ],
      "disaster declare": [
        [["--name", "令和8年4月大雨", "--municipalities", "011002", "--from", "2026-04-01", "--to", "2026-04-07", "--by", "山田", ...data], 0],
        [["--name", "令和8年4月大雨", "--municipalities", "011003", "--from", "2026-04-01", "--to", "2026-04-07", "--by", "山田", ...data], 2], // E8201
      ],
      "disaster extend": [
        [["999", "--to", "2026-05-01", "--by", "山田", ...data], 1], // E8206
        [["x", "--to", "2026-05-01", "--by", "山田", ...data], 2],
      ],
      "disaster end": [
        [["999", "--by", "山田", ...data], 1], // E8206
        [["1", "--by", "山田", "--at", "2026-13-01", ...data], 2], // E8203
      ],
      "disaster list": [
        [["--all", ...data], 0],
        [["--data-dir"], 2],
      ],
      "welfare issue": [
        [["--office", "12131017", "--recipient", "1000017", "--facility", "0110113719", "--visit", "2099-01-01", ...data], 1], // E8709: more than 30 days ahead
        [["--office", "12479994", "--recipient", "1000017", "--facility", "0110113719", "--visit", tenDaysAhead, ...data], 1], // E8715: no such office
        [["--office", "12131017", "--recipient", "1000018", "--facility", "0110113719", "--visit", tenDaysAhead, ...data], 2], // E8703
        [["--office", "01130012", "--recipient", "1000017", "--facility", "0110113719", "--visit", tenDaysAhead, ...data], 2], // E8702
      ],
      "welfare credential": [
        [["--office", "12131017", ...data], 0], // 千代田区福祉事務所 of the catalogue an earlier row loaded
        [["--office", "12479994", ...data], 1], // E8715: no such office
        [["--office", "12131018", ...data], 2], // E8702
      ],
      "staff add": [
        [["--facility", withCheckDigit("271234567"), "--login", "kanri", "--role", "doctor", "--admin", ...data], 0],
        [["--facility", withCheckDigit("271234567"), "--login", "kanri", "--role", "nurse", ...data], 1], // E2110: the login id is taken
        [["--facility", withCheckDigit("271234567"), "--login", "Kanri!", "--role", "doctor", ...data], 2], // E2107
        [["--facility", withCheckDigit("271234567"), "--login", "jimu", "--role", "janitor", ...data], 2], // E2109
      ],
      "staff list": [
        [["--facility", withCheckDigit("271234567"), ...data], 0],
        [["--facility"], 2],
      ],
      "staff disable": [
        [["--facility", withCheckDigit("271234567"), "--login", "kanri", ...data], 0],
        [["--facility", withCheckDigit("271234567"), "--login", "kanri", ...data], 1], // E2111: disabled already
        [["--facility", withCheckDigit("271234567"), ...data], 2],
      ],
      "office account add": [
        [["--login", "shiharai1", "--role", "examiner", ...data], 0],
        [["--login", "shiharai1", "--role", "vendor", ...data], 1], // E9653: the login id is taken
        [["--login", "Shiharai!", "--role", "examiner", ...data], 2], // E2107
        [["--login", "vendor1", "--role", "janitor", ...data], 2], // E9652
      ],
      "office account list": [
        [[...data], 0],
        [["--data-dir"], 2],
      ],
      "office account disable": [
        [["--login", "shiharai1", ...data], 0],
        [["--login", "shiharai1", ...data], 1], // E9654: disabled already
        [[...data], 2],
      ],
      "office apply": [
        [["--facility", "1310100019", "--office", "nobody", "--program", "fund-2020", "--profile", clinic, ...data], 1], // E9654: no such office account
        [["--facility", "1310100019", "--program", "fund-2020", "--profile", clinic, ...data], 2], // no one to act as
        [["--facility", "1310100019", "--system", "--program", "fund-2020", "--profile", join(dir, "absent.json"), ...data], 2], // E9101
      ],
      "office show": [
        [["--facility", "1310100019", ...data], 0],
        [["--case", "999", ...data], 1], // E9500
        [[...data], 2],
      ],
      "office act": [
        [["--system", "--case", "999", "--action", "decide", ...data], 1], // E9500
        [["--system", "--case", "999", "--action", "fall_overdue", ...data], 2], // onshi office returns takes it
        [["--system", "--case", "x", "--action", "decide", ...data], 2], // E9512
      ],
      "office ledger": [
        [["--facility", "1310100019", ...data], 0],
        [["--facility", "9999999999", ...data], 1], // E9620
        [[...data], 2],
      ],
      "office totals": [
        [["--from-year", "2021", ...data], 0],
        [["--from-year", "21", ...data], 2], // E9624
        [["--program", "no-such", ...data], 2], // E9624
      ],
      "office returns cancel": [
        [["--office", "nobody", "--case", "999", "--reason", "目的外使用", ...data], 1], // E9654: no such office account
        [["--system", "--case", "999", "--yen", "x", "--reason", "目的外使用", ...data], 2], // E9512
      ],
      "office returns order": [
        [["--system", "--case", "999", "--deadline", "2099-01-01", "--reason", "返還命令", ...data], 1], // E9500
        [["--system", "--case", "999", "--reason", "返還命令", ...data], 2], // no --deadline
      ],
      "office returns pay": [
        [["--system", "--case", "999", "--paid-on", "2026-01-05", "--yen", "1000", ...data], 1], // E9502: a payment is recorded by an account
        [["--system", "--case", "999", "--paid-on", "2026-01-05", "--yen", "-1", ...data], 2], // E9512
      ],
      "office returns sweep": [
        [[...data], 0],
        [["--on", "2026-02-30", ...data], 1], // E9599
        [["--on"], 2],
      ],
      "office returns statement": [
        [["--facility", "0000000000", ...data], 1], // E9600
        [[...data], 2], // no --facility
      ],
      "office periods": [
        [[], 0],
        [["--program"], 2],
      ],
      "office vendor register": [
        [["--office", "nobody", "1310100019", ...data], 1], // E9654: no such office account
        [["--office", "nobody", ...data], 2], // no code to register
      ],
      "office vendor list": [
        [["--office", "nobody", ...data], 1], // E9654
        [[...data], 2], // --office is required
      ],
      "office batch": [
        [[batch, "--office", "nobody", ...data], 1], // E9654
        [[join(dir, "absent.jsonl"), "--office", "nobody", ...data], 2], // E9101
        [[batch, "--office", "nobody", "--mode", "some", ...data], 2],
      ],
      "pmh participants": [
        [["--prefecture", "東京都", "--at", "2026-04-01"], 0],
        [["--type", "こども", "--json"], 0],
        [["--at", "2026-02-30"], 2], // E8400
        [["--prefecture", "東京"], 2], // E8401
        [["--type", "foo"], 2], // E8402
      ],
      "pmh credential": [
        [["132012", ...data], 0],
        [["132012", "--credential", "hachioji-credential", "--json", ...data], 0], // issued again: replaces the first
        [["132013", ...data], 2], // E8550: check digit
        [["132012", "--credential", "short", ...data], 2], // E8552
      ],
      "persons find": [
        [["--kana", "ヤマダ", ...data], 0],
        [["--kana", "yamada", ...data], 2], // E9241
      ],
      "usage rate": [
        [["--month", "2025-10", "--by", "kind", ...data], 0], // no data that month: said, not refused
        [["--facility", withCheckDigit("271234567"), "--month", "2025-10", ...data], 0],
        [["--facility", withCheckDigit("131099999"), "--month", "2025-10", ...data], 1], // E8944: not registered
        [["--month", "2025-10", ...data], 2], // E8945: neither --facility nor --by
        [["--month", "2025-10", "--by", "city", ...data], 2], // E8943
      ],
      "usage receipts": [
        [["--facility", "1310100019", receipts, ...data], 0], // the demo hospital, loaded by check's row
        [["--facility", "1310100019", receipts, "--json", ...data], 0], // the same again: unchanged
        [["--facility", "9999999999", receipts, ...data], 1], // E8909
        [["--facility", "1310100019", join(dir, "absent.csv"), ...data], 2],
      ],
      "usage profile": [
        [["--facility", "1310100019", "--at", "2025-11-01", ...data], 0], // the demo hospital, loaded by check's row
        [["--facility", "9999999999", ...data], 1], // E8944
        [["--facility", "1310100019", "--at", "2025-11-31", ...data], 2], // E9104
      ],
      "audit verify": [
        [data, 0], // an empty chain is intact; a broken one exits 1 (test/audit/verify.test.ts)
        [["--from", "2026-13-01", ...data], 2], // E9400
      ],
      reset: [
        [["--data-dir", join(dir, "never-made"), "--yes"], 0], // nothing to delete
        [data, 2], // E9251: no terminal to ask on, no --yes
      ],
    };
    const leaves = commands.filter((c) => c.command.commands.length === 0).map((c) => c.path.join(" "));
    assert.deepEqual(Object.keys(table).sort(), leaves.sort(), "a row for every command");
    for (const [name, rows] of Object.entries(table)) {
      assert.ok(rows.some(([, expected]) => expected === 2), `${name}: a usage error`);
      for (const [args, expected] of rows) {
        const { code, stdout, stderr } = await run([...name.split(" "), ...args]);
        assert.equal(code, expected, `onshi ${name} ${args.join(" ")}\n${stdout}${stderr}`);
        if (expected === 2) assert.match(stderr, /^(エラー: |使い方: )/m, `onshi ${name} ${args.join(" ")}: says why`);
      }
    }
  });
});
