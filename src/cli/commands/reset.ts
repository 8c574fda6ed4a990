// `onshi reset`: deletes the embedded data folder (the PGlite database and the default OQS root),
// after asking on a terminal; --yes for scripts. Without a terminal to ask on and without --yes it
// deletes nothing, nor while another process holds the folder (E9200: it takes the folder's lock
// before asking, so that no server starts on it meanwhile). It never drops a PostgreSQL database
// (DATABASE_URL): that server may be shared by other processes and other data, so dropping it is
// left to its own tools.
import { createInterface } from "node:readline";
import { Option, type Command } from "commander";
import { join } from "node:path";
import { DEFAULT_DATA_DIR, PGLITE_FOLDER } from "../../config.ts";
import { lockFolder } from "../../db/folder-lock.ts";
import { errorMessage, type ErrorCode } from "../../errors/catalogue.ts";
import { deleteDataFolder, readDataFolder } from "../../files/data-folder.ts";
import { examples } from "../help.ts";
import { EXIT, type CliIo, type CliRun } from "../io.ts";

export function registerReset(program: Command, cli: CliRun) {
  program
    .command("reset")
    .description("組み込みデータベースのデータフォルダ (<データフォルダ>/pglite と連携フォルダ <データフォルダ>/oqs) を削除する。削除の前に確認する")
    .addOption(new Option("--data-dir <dir>", "削除するデータフォルダ").default(DEFAULT_DATA_DIR))
    .option("-y, --yes", "確認せずに削除する (スクリプト用)")
    .addHelpText("after", examples("onshi reset", "onshi reset --data-dir data --yes"))
    .action(async (flags: { dataDir: string; yes?: boolean }) => {
      const fail = (code: ErrorCode, detail: string, exitCode: number) => {
        cli.warn(`エラー: ${code} ${errorMessage(code)}\n  ${detail}`);
        cli.exitCode = exitCode;
      };
      if (cli.io.env.DATABASE_URL) {
        fail("E9252", "PostgreSQL のデータベースを作り直すには、dropdb と createdb (または psql の drop database) を使ってください。DATABASE_URL を外すと組み込みデータベースを使います。", EXIT.refused);
        return;
      }
      const folder = await readDataFolder(flags.dataDir);
      if (!folder.exists) {
        cli.print(`削除するものはありません (${folder.dir} はありません)。`);
        return;
      }
      if (folder.entries.length === 0) {
        fail("E9253", `${folder.dir} には組み込みデータベース (pglite) も連携フォルダ (oqs) もありません。--data-dir を確かめてください。`, EXIT.usage);
        return;
      }
      const listing = folder.entries.map((entry) => `  ${entry}`).join("\n");
      if (!flags.yes && !cli.io.stdin?.isTTY) {
        fail("E9251", `削除するもの:\n${listing}`, EXIT.usage);
        return;
      }
      const pglite = join(folder.dir, PGLITE_FOLDER);
      const lock = folder.entries.includes(pglite) ? await lockFolder(pglite) : undefined;
      if (!flags.yes) {
        cli.warn(`次を削除します (データベースのすべての内容と、連携フォルダの要求・応答ファイル):\n${listing}`);
        if (!(await confirm(cli.io, "削除しますか？ [y/N] "))) {
          await lock?.release();
          // The user said no: refused, not done (a script's `reset && seed` stops here).
          cli.warn("削除しませんでした。");
          cli.exitCode = EXIT.refused;
          return;
        }
      }
      // The lock file goes with the folder it is in.
      await deleteDataFolder(folder);
      cli.print(`削除しました:\n${listing}\n次の onshi serve (npm start) または onshi seed で新しく作られます。`);
    });
}

/** Asks on the terminal; only "y" or "yes" is a yes (an empty answer or the end of input is a no). */
function confirm(io: CliIo, question: string): Promise<boolean> {
  const lines = createInterface({ input: io.stdin!, output: io.stderr, terminal: false });
  return new Promise<boolean>((resolve) => {
    lines.once("close", () => resolve(false));
    lines.question(question, (answer) => {
      resolve(/^y(es)?$/i.test(answer.trim()));
      lines.close();
    });
  });
}
