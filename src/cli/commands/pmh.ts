// `onshi pmh participants`: the 医療費助成 (PMH) participation registry on the command line, filtered
// by 都道府県 and programme type, and with --at whether each entity takes part on that date (はい /
// いいえ / 不明, with the reason). Pure data: no database. A bad flag exits 2 with its E84xx code.
// `onshi pmh credential`: a 地方公共団体's credential for the 受給者証 upload route, issued as
// `onshi facilities add` issues a facility's for the WebAPI.
import type { Command } from "commander";
import {
  countAt,
  participationOn,
  PMH_LEVEL_LABELS,
  PMH_PROGRAMMES,
  PMH_REGISTRY,
  pmhDate,
  pmhParticipants,
  pmhPrefecture,
  pmhProgramme,
  type Participation,
  type PmhEntity,
  type PmhProgramme,
} from "../../domain/pmh-participation.ts";
import { checkMunicipalityCredential, issueMunicipalityCredential } from "../../services/municipality-credentials.ts";
import { inputError, runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";

const ANSWER_LABELS = { yes: "はい", no: "いいえ", unknown: "不明" } as const;

interface ParticipantsFlags {
  prefecture?: string;
  type?: string;
  at?: string;
  json?: boolean;
}

interface Query {
  prefecture?: string;
  programme?: PmhProgramme;
  at?: string;
}

/** Checks the flags before anything is listed, so that a bad one is a usage error (exit 2). */
function readQuery(flags: ParticipantsFlags): Query {
  try {
    return {
      ...(flags.prefecture === undefined ? {} : { prefecture: pmhPrefecture(flags.prefecture) }),
      ...(flags.type === undefined ? {} : { programme: pmhProgramme(flags.type) }),
      ...(flags.at === undefined ? {} : { at: pmhDate(flags.at) }),
    };
  } catch (error) {
    throw inputError(error);
  }
}

const place = (e: PmhEntity) => (e.level === "prefecture" ? e.name : `${e.prefecture} ${e.name}`);

/** The programme's count at each level, and that which entities take it is not in the list. */
function programmeLine(p: PmhProgramme): string {
  const counts = (["prefecture", "municipality"] as const)
    .map((level) => {
      const c = countAt(p, level);
      return c === undefined ? undefined : `${PMH_LEVEL_LABELS[level]} ${c.count}${c.fromR7 ? " 【R7～】" : ""}`;
    })
    .filter((s) => s !== undefined);
  return `${p.name} (${p.fullName}, ${p.kind}): 参加する団体の数 ${counts.join("、")} — どの団体かは一覧にない`;
}

function describe(entities: PmhEntity[], query: Query, answers: Map<string, Participation>): string {
  const r = PMH_REGISTRY;
  const municipalities = entities.filter((e) => e.level === "municipality").length;
  const lines = [
    `医療費助成 (PMH) の参加・参加予定団体: ${r.publisher}「${r.title}」`,
    `都道府県 ${entities.length - municipalities}、市区町村 ${municipalities}${query.prefecture === undefined && query.programme === undefined ? ` (一覧が名前を挙げる数。集計は ${r.cumulative.R7.municipalities})` : ""}`,
  ];
  if (query.programme) lines.push(programmeLine(query.programme));
  if (query.at) {
    const tally = (["yes", "no", "unknown"] as const).map((a) => `${ANSWER_LABELS[a]} ${[...answers.values()].filter((p) => p.answer === a).length}`);
    lines.push(`${query.at} に参加しているか${query.programme ? ` (${query.programme.name})` : ""}: ${tally.join("、")}`);
  }
  lines.push("");
  for (const e of entities) {
    const answer = answers.get(e.code);
    const reads = e.textReads === undefined ? "" : ` (一覧の表記: ${e.textReads})`;
    lines.push(`${e.code}  ${PMH_LEVEL_LABELS[e.level]}  ${place(e)}${reads}${answer ? `  [${ANSWER_LABELS[answer.answer]}] ${answer.reason}` : ""}`);
  }
  return lines.join("\n");
}

export function registerPmh(program: Command, cli: CliRun) {
  const pmh = program
    .command("pmh")
    .description("医療費助成 (PMH): マイナ保険証を受給者証として使う仕組みに参加する都道府県・市区町村")
    .addHelpText("after", examples("onshi pmh participants --prefecture 東京都", "onshi pmh participants --type こども --at 2026-04-01", "onshi pmh credential 132012"));
  registerCredential(pmh, cli);

  pmh
    .command("participants")
    .description("参加・参加予定の都道府県・市区町村 (令和7年10月時点の一覧) を、全国地方公共団体コードとともに表示する")
    .option("--prefecture <name>", "都道府県で絞り込む (例: 東京都)")
    .option("--type <type>", `制度の種類で絞り込む: その種類を数える階層の団体 (${PMH_PROGRAMMES.map((p) => p.name).join("、")}、または英語のキー)`)
    .option("--at <date>", "その日に参加しているか (はい / いいえ / 不明) を理由とともに示す (YYYY-MM-DD)")
    .option("--json", "JSON で出力する")
    .addHelpText(
      "after",
      examples(
        "onshi pmh participants --prefecture 東京都",
        "onshi pmh participants --type こども --at 2026-04-01",
        "onshi pmh participants --prefecture 宮崎県 --at 2024-03-23 --json",
      ),
    )
    .action((flags: ParticipantsFlags) => {
      const query = readQuery(flags);
      const entities = pmhParticipants({
        ...(query.prefecture === undefined ? {} : { prefecture: query.prefecture }),
        ...(query.programme === undefined ? {} : { programme: query.programme.key }),
      });
      const answers = new Map(query.at === undefined ? [] : entities.map((e) => [e.code, participationOn(e, query.at!, query.programme?.key)]));
      if (!flags.json) return cli.print(describe(entities, query, answers));
      cli.print(
        JSON.stringify(
          {
            source: { title: PMH_REGISTRY.title, publisher: PMH_REGISTRY.publisher, asOf: PMH_REGISTRY.asOf },
            ...(query.programme ? { programme: query.programme } : {}),
            ...(query.at ? { at: query.at } : {}),
            count: entities.length,
            entities: entities.map((e) => ({ ...e, ...(answers.has(e.code) ? { participation: answers.get(e.code) } : {}) })),
          },
          null,
          2,
        ),
      );
    });
}

function registerCredential(pmh: Command, cli: CliRun) {
  withAdminFlags(
    pmh
      .command("credential <code>")
      .description("地方公共団体 (全国地方公共団体コード6桁) に受給者証登録の認証情報を発行する。省略すると生成して一度だけ表示する。再発行すると前の認証情報は使えなくなる")
      .option("--credential <credential>", "認証情報 (12〜128 文字。省略すると生成する)")
      .addHelpText("after", examples("onshi pmh credential 132012          # 八王子市", "onshi pmh credential 130001 --json   # 東京都")),
  ).action(async (code: string, flags: AdminFlags & { credential?: string }) => {
    try {
      checkMunicipalityCredential(code, flags.credential);
    } catch (error) {
      throw inputError(error);
    }
    await runAdmin(
      cli,
      flags,
      (db, now) => issueMunicipalityCredential(db, code, now, flags.credential),
      (r) =>
        `認証情報を発行しました: ${r.municipalityCode}` +
        (r.credential === undefined ? "" : `\n  認証情報: ${r.credential}\n  (この一度だけ表示します。保存されるのはハッシュだけで、あとから表示することはできません)`),
    );
  });
}
