// `onshi persons find`: who is in the database, by what the front desk knows (カナ, birth date, the
// card's keys), printing the keys a 資格確認 is asked with; one page at most, saying when more matched.
import type { Command } from "commander";
import { isoToYyyymmdd } from "../../domain/dates.ts";
import { DEFAULT_FIND_LIMIT, MAX_FIND_LIMIT, findPersons, readPersonQuery, type PersonPage, type PersonQuery, type TypedCriteria } from "../../services/person-search.ts";
import type { PersonMatch } from "../../store/person-search-store.ts";
import { inputError, runAdmin } from "../admin-command.ts";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { withDatabaseFlags } from "../options.ts";

type FindFlags = TypedCriteria & { json?: boolean; dataDir?: string; memory?: boolean };

export function registerPersons(program: Command, cli: CliRun) {
  const persons = program.command("persons").description("被保険者の検索").addHelpText("after", examples("onshi persons find --kana ヤマダ --birthdate 19800515"));
  withDatabaseFlags(
    persons
      .command("find")
      .description("氏名カナ・生年月日・保険者番号・記号・番号・枝番で被保険者を探し、資格確認に使うキーを表示する (条件はすべて満たすものだけ)")
      .option("--kana <kana>", "氏名カナの先頭 (例: ヤマダ, ﾔﾏﾀﾞ ﾀ, やまだ　たろう)")
      .option("--birthdate <date>", "生年月日 (YYYYMMDD または YYYY-MM-DD)")
      .option("--insurer <number>", "保険者番号")
      .option("--symbol <symbol>", "被保険者証記号")
      .option("--number <number>", "被保険者証番号")
      .option("--branch <branch>", "枝番 (2桁)")
      .option("--limit <n>", `表示する件数 (1〜${MAX_FIND_LIMIT})`, String(DEFAULT_FIND_LIMIT))
      .option("--json", "JSON で出力する")
      .addHelpText("after", examples("onshi persons find --kana ﾔﾏﾀﾞ --birthdate 1980-05-15", "onshi persons find --insurer 01130012 --number 8001 --json")),
  ).action(async (flags: FindFlags) => {
    let query: PersonQuery;
    try {
      query = readPersonQuery(flags);
    } catch (error) {
      throw inputError(error);
    }
    await runAdmin(cli, flags, (db) => findPersons(db, query), describePage);
  });
}

function describePage(page: PersonPage): string {
  if (page.matches.length === 0) return "該当する人はいません。";
  const lines = page.matches.map(describeMatch);
  if (page.more) lines.push(`ほかにも該当があります (先頭 ${page.limit} 件を表示)。条件を加えるか、--limit (最大 ${MAX_FIND_LIMIT}) で増やしてください。`);
  return lines.join("\n");
}

/** One qualification: the keys in the form `onshi check` takes them, then who it is. */
function describeMatch(m: PersonMatch): string {
  const keys = `保険者番号 ${m.insurerNumber}  記号 ${m.symbol ?? "-"}  番号 ${m.number}  枝番 ${m.branch ?? "-"}  生年月日 ${isoToYyyymmdd(m.birthdate)}`;
  const lost = m.disqualificationDate === null ? "" : `  資格喪失 ${m.disqualificationDate}`;
  return `${keys}  ${m.name} (${m.nameKana})  ${m.personalFamilyClassification === 1 ? "本人" : "家族"}${lost}  [person_id ${m.personId}]`;
}
