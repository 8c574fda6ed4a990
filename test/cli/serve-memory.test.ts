// Issue 12 item 8: `onshi serve --memory` keeps nothing, its temporary 連携フォルダ included: a normal
// stop (Ctrl+C, SIGTERM) removes it. A real process, as the signals and the exit are the point.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { startServe } from "../support/onshi-bin.ts";

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  test(`serve --memory removes its temporary 連携フォルダ on ${signal}`, { timeout: 120_000 }, async () => {
    const { child, banner } = await startServe(["--memory", "--demo", "--port", "0"], { ...process.env, DATABASE_URL: "", LOG_LEVEL: "warn" });
    try {
      const root = /連携フォルダ:\s+(\S+)\s+\(--memory/.exec(banner)?.[1];
      assert.ok(root && existsSync(root), `a temporary folder in the banner: ${banner}`);
      const exited = once(child, "exit");
      child.kill(signal);
      const [code] = await exited;
      assert.equal(code, 0);
      assert.equal(existsSync(root), false, `${root} removed`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    }
  });
}
