// `onshi serve`: the server on the configured database, announcing what it serves.
import type { Command } from "commander";
import { Option } from "commander";
import { clockFrom } from "../../clock.ts";
import { databaseOptions, describeDatabase } from "../../config.ts";
import { openMigrated } from "../../db/open.ts";
import { buildServer } from "../../http/server.ts";
import { TokenService } from "../../http/tokens.ts";
import type { CharacterCode } from "../../oqs/response-builder.ts";
import { loadDemo, DEMO_FACILITIES } from "../../seed/demo.ts";
import { FacilityDirectory } from "../../store/facility-directory.ts";
import { withDatabaseFlags } from "../options.ts";

interface ServeFlags {
  port: string;
  host: string;
  demo?: boolean;
  now?: string;
  dataDir?: string;
  memory?: boolean;
  tokenLifetime: string;
}

export function registerServe(program: Command) {
  withDatabaseFlags(
    program
      .command("serve")
      .description("WebAPI サーバを起動する")
      .addOption(new Option("--port <port>", "待ち受けるポート").default(process.env.PORT ?? "8080"))
      .addOption(new Option("--host <host>", "待ち受けるアドレス").default(process.env.HOST ?? "127.0.0.1"))
      .option("--demo", "デモデータ (README の人物と医療機関) を読み込む")
      .option("--now <datetime>", "この日時から時計を進める (例: 2026-04-01)")
      .addOption(new Option("--token-lifetime <seconds>", "idToken の有効秒数").default("3600")),
  ).action(async (flags: ServeFlags) => {
    const port = Number(flags.port);
    const lifetime = Number(flags.tokenLifetime);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw Object.assign(new Error(`--port が不正です: ${flags.port}`), { exitCode: 2 });
    if (!Number.isInteger(lifetime) || lifetime <= 0) throw Object.assign(new Error(`--token-lifetime が不正です: ${flags.tokenLifetime}`), { exitCode: 2 });
    const now = clockFrom(flags.now);
    const options = databaseOptions(flags);
    const db = await openMigrated(options);
    if (flags.demo) await loadDemo(db);
    const characterCode: CharacterCode = "0";
    const app = await buildServer({
      oqs: { db, facilities: new FacilityDirectory(db), now, characterCode },
      tokens: new TokenService(now, lifetime, process.env.ONSHI_TOKEN_SECRET),
      logger: { level: process.env.LOG_LEVEL ?? "warn" },
    });
    const address = await app.listen({ port, host: flags.host });
    const stop = async () => {
      await app.close();
      await db.close();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    console.log(`onshi を起動しました。
  データベース: ${describeDatabase(options)}
  WebAPI 認証:   POST ${address}/oqs-api-pro/MSA12020/ILI12020SV01/auth
  個別照会:      POST ${address}/oqs-api-pro/MSA01030/ILI01030SV01/search
  OpenAPI:       ${address}/docs  (JSON: ${address}/docs/json)`);
    if (flags.demo) {
      console.log("  デモ医療機関 (医療機関コード / 認証情報):");
      for (const f of DEMO_FACILITIES) console.log(`    ${f.code}  ${f.credential}  ${f.name}`);
    }
    console.log("停止するには Ctrl+C を押してください。");
  });
}
