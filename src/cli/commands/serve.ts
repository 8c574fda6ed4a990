// `onshi serve`: the server on the configured database, announcing what it serves.
import { rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import type { Command } from "commander";
import { Option } from "commander";
import { clockFrom } from "../../clock.ts";
import { jstDate, jstTimestamp, yyyymmddToIso } from "../../domain/dates.ts";
import { databaseOptions, describeDatabase } from "../../config.ts";
import { charsetOf } from "../../codec/xml.ts";
import { announceServer, newAdminToken } from "../../db/folder-lock.ts";
import { openMigrated } from "../../db/open.ts";
import { isDatabaseUnavailable } from "../../db/unavailable.ts";
import { startGateway } from "../../gateway/gateway.ts";
import { faceFolder } from "../../gateway/face-file.ts";
import { chooseOqsRoot, oqsFolders } from "../../gateway/oqs-folders.ts";
import { buildServer } from "../../http/server.ts";
import { LOG_FORMATS, LOG_LEVELS, serverLogger, type LogFormat, type LogLevel } from "../../http/log-output.ts";
import { asPortTaken, tryPort } from "../../http/port.ts";
import { openFacilityTls } from "../../http/tls.ts";
import { BULK_RESULT_PATH, BULK_UPLOAD_PATH } from "../../http/routes/oqs/bulk.ts";
import { BULK_REGISTRATION_RESULT_PATH, BULK_REGISTRATION_UPLOAD_PATH } from "../../http/routes/oqs/reference-numbers.ts";
import { TokenService } from "../../http/tokens.ts";
import type { CharacterCode } from "../../oqs/response-builder.ts";
import { loadDemo, DEMO_DATE, DEMO_FACILITIES } from "../../seed/demo.ts";
import { DEMO_CARDS, DEMO_PIN, demoCardState } from "../../seed/demo-cards.ts";
import { CARD_USERS_PATH, CARD_USERS_STREAM_PATH } from "../../http/routes/cards/card-users.ts";
import { SIMULATOR_CARDS_PATH } from "../../http/routes/cards/simulator.ts";
import { READER_PATHS } from "../../http/routes/card-reader/card-reader-routes.ts";
import { SUBSIDY_CALC_PATH } from "../../http/routes/subsidy/calc.ts";
import { CARD_USERS_PAGE, READER_PAGE, registerWebPages } from "../../web/plugin.ts";
import { bulkSettingsFromEnv } from "../../services/bulk-settings.ts";
import { BulkWorker } from "../../services/bulk-worker.ts";
import { usageRecordingFromEnv } from "../../services/usage-recording.ts";
import { FacilityDirectory } from "../../store/facility-directory.ts";
import { examples } from "../help.ts";
import { withDatabaseFlags } from "../options.ts";
import { usageError, type CliRun } from "../io.ts";

interface ServeFlags {
  port: string;
  host: string;
  demo?: boolean;
  simulator?: boolean;
  now?: string;
  dataDir?: string;
  memory?: boolean;
  tokenLifetime: string;
  oqsRoot?: string;
  facility?: string;
  characterCode: CharacterCode;
  tls?: boolean;
  credentialLogin?: boolean;
  logFormat: LogFormat;
}

export function registerServe(program: Command, cli: CliRun) {
  withDatabaseFlags(
    program
      .command("serve")
      .description("WebAPI サーバを起動する (連携フォルダ、カードリーダーと受付の画面、OpenAPI も同じサーバ)")
      .addHelpText(
        "after",
        examples(
          "onshi serve --demo                       # デモデータで http://127.0.0.1:8080 に起動する (npm start と同じ)",
          "onshi serve --demo --memory --port 3000  # 保存しないデータベースで、ポート 3000 に起動する",
        ),
      )
      .addOption(new Option("--port <port>", "待ち受けるポート").default(cli.io.env.PORT ?? "8080"))
      .addOption(new Option("--host <host>", "待ち受けるアドレス").default(cli.io.env.HOST ?? "127.0.0.1"))
      .option("--demo", "デモデータ (README の人物と医療機関) を読み込む (カードのシミュレータも有効にする)")
      .option("--simulator", "カードのシミュレータ (開発用: 患者なしで任意のカードに応答する) を有効にする。本番では使わないこと")
      .addOption(new Option("--now <datetime>", "この日時から時計を進める (例: 2026-04-01)").env("ONSHI_NOW"))
      .addOption(new Option("--token-lifetime <seconds>", "idToken の有効秒数").default("3600"))
      .option("--tls", "HTTPS で待ち受け、医療機関等の TLS クライアント証明書で認証する (証明書は onshi facilities cert issue)")
      .option("--credential-login", "医療機関コードと認証情報による認証を受け付ける (既定: --tls なしでは有効、--tls では無効)")
      .option("--no-credential-login", "医療機関コードと認証情報による認証を受け付けない (--tls のとき)")
      .addOption(new Option("--oqs-root <dir>", "連携フォルダ (req / res / face) の場所 (既定: <データフォルダ>/oqs)").env("ONSHI_OQS_ROOT"))
      .addOption(
        new Option("--facility <code>", "連携フォルダ (端末) の医療機関コード。ほかの医療機関コードの要求ファイルは E4005 (既定: --demo ではデモ病院、それ以外は連携フォルダに応答しない)").env(
          "ONSHI_FACILITY",
        ),
      )
      .addOption(
        new Option("--character-code <code>", "応答の文字コード (CharacterCodeIdentifier: 0 UTF-8, 1 Shift_JIS)")
          .choices(["0", "1"])
          .default("0")
          .env("ONSHI_CHARACTER_CODE"),
      )
      .addOption(new Option("--log-format <format>", "ログの形式 (text: 1行ずつ読める形, json: JSON Lines)。レベルは環境変数 LOG_LEVEL (既定 info, debug で詳しく)").choices(LOG_FORMATS).default("text")),
  ).action(async (flags: ServeFlags, command: Command) => {
    const port = Number(flags.port);
    const lifetime = Number(flags.tokenLifetime);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port が不正です: ${flags.port}`);
    if (!Number.isInteger(lifetime) || lifetime <= 0) throw usageError(`--token-lifetime が不正です: ${flags.tokenLifetime}`);
    // Certificates are the real system's way; the code-and-credential login is for local use.
    const credentialLogin = flags.credentialLogin ?? !flags.tls;
    if (!credentialLogin && !flags.tls) throw usageError("--no-credential-login には --tls が必要です (認証の手段がなくなります)");
    const logLevel = (cli.io.env.LOG_LEVEL ?? "info").toLowerCase() as LogLevel;
    if (!LOG_LEVELS.includes(logLevel)) throw usageError(`LOG_LEVEL が不正です: ${cli.io.env.LOG_LEVEL} (${LOG_LEVELS.join(", ")} のいずれか)`);
    const now = clockFrom(flags.now);
    await tryPort(flags.host, port);
    const options = databaseOptions(flags, cli.io.env);
    const db = await openMigrated(options);
    if (flags.demo) await loadDemo(db);
    const characterCode = flags.characterCode;
    const bulk = bulkSettingsFromEnv(cli.io.env);
    const recordUsage = usageRecordingFromEnv(cli.io.env);
    const oqs = { db, facilities: new FacilityDirectory(db), now, characterCode, bulk, recordUsage };
    // A terminal belongs to one facility. The demo's folders are the demo hospital's; otherwise
    // there is no facility to guess, and the folders wait (unanswered, nothing lost) for --facility.
    const terminal = flags.facility ?? (flags.demo ? DEMO_FACILITIES[0].code : undefined);
    if (flags.facility !== undefined && !(await oqs.facilities.exists(flags.facility))) {
      await db.close();
      throw usageError(`--facility の医療機関コードが登録されていません: ${flags.facility}`);
    }
    const oqsRoot = await chooseOqsRoot(flags);
    const simulator = Boolean(flags.demo || flags.simulator);
    // Holding an embedded database's folder, the server runs the command line's operations for the token it names in the folder's lock.
    const adminToken = options.dataDir === undefined ? undefined : newAdminToken();
    const tls = flags.tls ? await openFacilityTls(db, flags.host, credentialLogin) : undefined;
    const app = await buildServer({
      oqs,
      tokens: new TokenService(now, lifetime, cli.io.env.ONSHI_TOKEN_SECRET),
      faceFiles: faceFolder(oqsFolders(oqsRoot.root).face),
      logger: serverLogger(logLevel, flags.logFormat, cli.io.stdout),
      simulator,
      tls,
      adminToken,
    });
    const gateway = terminal === undefined ? undefined : await startGateway({ root: oqsRoot.root, ctx: oqs, facility: terminal, logger: app.log });
    const folders = gateway?.folders ?? oqsFolders(oqsRoot.root);
    // The web pages (start page, 受付画面, カードリーダー) are served by the same server; this command composes them.
    await registerWebPages(app, {
      oqs: { root: folders.root, gateway: terminal === undefined ? undefined : { facility: terminal, req: folders.req, res: folders.res, face: folders.face } },
      demo: flags.demo ? { now } : undefined,
    });
    const address = await app.listen({ port, host: flags.host, listenTextResolver: (at) => `${at} で待ち受けています` }).catch(async (error: unknown) => {
      await gateway?.close();
      await db.close();
      if (oqsRoot.temporary) await rm(oqsRoot.root, { recursive: true, force: true });
      throw asPortTaken(error, flags.host, port);
    });
    if (adminToken !== undefined && options.dataDir !== undefined) {
      await announceServer(options.dataDir, { url: localUrl(app.server.address() as AddressInfo, tls !== undefined), adminToken, ca: tls?.ca });
    }
    // Finishes the 一括照会 left unfinished by the last run, and answers new ones in the background.
    // An outage is logged as a warning per retry (the worker backs off to one try in 5 s), not a stack trace.
    const onError = (error: unknown) =>
      isDatabaseUnavailable(error) ? app.log.warn({ err: String(error) }, "一括照会の処理: データベースに接続できません (E9002)") : app.log.error({ err: error }, "一括照会の処理でエラーが発生しました");
    const bulkWorker = new BulkWorker({ db, now, settings: bulk, recordUsage, onError });
    bulkWorker.start();
    const stop = async () => {
      await gateway?.close();
      await app.close();
      await bulkWorker.stop();
      await db.close();
      // A --memory run keeps nothing: its temporary 連携フォルダ goes with it.
      if (oqsRoot.temporary) await rm(oqsRoot.root, { recursive: true, force: true });
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    cli.print(`onshi を起動しました。  ${address}/ (はじめのページ)
  時計:          ${describeClock(now(), flags.now === undefined ? undefined : command.getOptionValueSource("now"), flags.now)}
  データベース: ${describeDatabase(options)}
  WebAPI 認証:   POST ${address}/oqs-api-pro/MSA12020/ILI12020SV01/auth
    ${flags.tls ? "TLS クライアント証明書: 有効 (onshi facilities cert issue CODE --out DIR で発行; サーバ証明書は同じ認証局の onshi-ca.crt で確認)" : "TLS: 無効 (--tls で HTTPS とクライアント証明書による認証)"}
    医療機関コードと認証情報: ${credentialLogin ? `有効${flags.tls ? " (--no-credential-login で無効)" : ""}` : "無効 (--credential-login で有効)"}
  個別照会:      POST ${address}/oqs-api-pro/MSA01030/ILI01030SV01/search
  照会番号登録:  POST ${address}/onshi-api/reference-numbers  (一括: ${BULK_REGISTRATION_UPLOAD_PATH} → ${BULK_REGISTRATION_RESULT_PATH})
  一括照会:      POST ${address}${BULK_UPLOAD_PATH} → ${BULK_RESULT_PATH} (上限 ${bulk.rowLimit} 件/ファイル, 結果は ${bulk.retentionDays} 日保存)
  カードリーダー: POST ${address}${READER_PATHS.challenge} → ${READER_PATHS.verify} → (${READER_PATHS.registration}) → ${READER_PATHS.complete}
  カードのシミュレータ: ${
    simulator
      ? `GET ${address}${SIMULATOR_CARDS_PATH}, POST ${SIMULATOR_CARDS_PATH}/:cardId/answer\n  ※ カードのシミュレータが有効です (開発用)。患者がいなくても任意のカードに応答します。本番環境では使わないでください。`
      : "無効 (--demo または --simulator で有効)"
  }
  利用者リスト:  GET ${address}${CARD_USERS_PATH}  (ライブ: ${CARD_USERS_STREAM_PATH}, server-sent events)
  補助金の計算:  POST ${address}${SUBSIDY_CALC_PATH}?at=YYYY-MM-DD  (本文は施設プロフィール, docs/subsidy.md)
  画面:          カードリーダー ${address}${READER_PAGE}   受付 (利用者リスト) ${address}${CARD_USERS_PAGE}
  OpenAPI:       ${address}/docs  (JSON: ${address}/docs/json)
  連携フォルダ:  ${folders.root}${oqsRoot.temporary ? "  (--memory のため一時フォルダ。--oqs-root で固定できます)" : ""}
    ${
      terminal === undefined
        ? "端末の医療機関: 未設定のため要求ファイルに応答しません (req に残ります)。--facility CODE で指定してください"
        : `端末の医療機関: ${terminal}${flags.facility ? "" : ` (--demo の既定: ${DEMO_FACILITIES[0].name}。--facility で変更)`}。ほかの医療機関コードの要求ファイルは E4005 で拒否します`
    }
    要求 req: ${folders.req}
    応答 res: ${folders.res}  (文字コード ${charsetOf(characterCode)})
    顔認証 face: ${folders.face}
    読めない要求の退避先 error: ${folders.error}`);
    if (flags.demo) {
      cli.print("  デモ医療機関 (医療機関コード / 認証情報):");
      for (const f of DEMO_FACILITIES) cli.print(`    ${f.code}  ${f.credential}  ${f.name}`);
      const today = now();
      cli.print(`  デモのマイナンバーカード (暗証番号 ${DEMO_PIN}; 状態は時計の ${yyyymmddToIso(jstDate(today))} のもの。README の表は --now ${DEMO_DATE} のもの):`);
      for (const c of DEMO_CARDS) cli.print(`    ${c.cardId}  ${c.name}  ${demoCardState(c, today)}`);
    }
    cli.print("停止するには Ctrl+C を押してください。");
  });
}

/** Where a command on this machine reaches the server: a wildcard address through the loopback. */
function localUrl({ address, family, port }: AddressInfo, tls: boolean): string {
  const host = address === "0.0.0.0" ? "127.0.0.1" : address === "::" ? "::1" : address;
  return `${tls ? "https" : "http"}://${family === "IPv6" ? `[${host}]` : host}:${port}`;
}

/** Which clock is in force: the real one, or --now's and where --now came from. */
function describeClock(now: Date, source: string | undefined, value: string | undefined): string {
  const at = jstTimestamp(now).replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2}).*/, "$1-$2-$3 $4:$5");
  if (source === undefined) return `実時間 (現在 ${at} 日本時間)`;
  const from = source === "env" ? "環境変数 ONSHI_NOW" : "コマンドラインの --now";
  return `${value} から進む時計 (${from}; 現在 ${at} 日本時間)。資格・カードの状態はこの時計の日付で決まります`;
}
