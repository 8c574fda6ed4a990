// `npx onshi reader tap` as a user runs it: the bin in a child process, against a server
// started in this process on port 0 with the demo data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const BIN = new URL("../../bin/onshi.js", import.meta.url).pathname;

async function onshi(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

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
