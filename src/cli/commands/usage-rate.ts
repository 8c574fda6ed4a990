// `onshi usage rate`: a facility's マイナ保険証利用率 of a month on each basis, with its rank band in its
// kind nationally, or a month's rates per nation, kind, prefecture or kind × prefecture. Figures, the
// exact fraction and the percentage (2 decimals, display only); 「不明」 where a rate has no denominator.
import type { Command } from "commander";
import { FACILITY_KIND_LABELS } from "../../domain/facility-code.ts";
import { OqsError } from "../../errors/catalogue.ts";
import { prefectureName } from "../../seed/places.ts";
import {
  BASES,
  BASIS_LABELS,
  checkedMonth,
  facilityRankBand,
  facilityRates,
  groupRates,
  RANK_BANDS,
  type Basis,
  type FacilityRates,
  type GroupRates,
  type Grouping,
  type MonthFigures,
  type RankStanding,
} from "../../services/usage-rates.ts";
import { monthText } from "../../subsidy/engine.ts";
import { percentText, type Ratio } from "../../subsidy/usage-rate.ts";
import { inputError, runAdmin, type AdminFlags } from "../admin-command.ts";
import { displayWidth, examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { withDatabaseFlags } from "../options.ts";

const GROUPINGS: readonly Grouping[] = ["nation", "kind", "prefecture", "kind-prefecture"];
const GROUPING_LABELS: Record<Grouping, string> = { nation: "全国", kind: "種別ごと", prefecture: "都道府県ごと", "kind-prefecture": "種別・都道府県ごと" };

type RateFlags = AdminFlags & { facility?: string; month: string; basis?: string; by?: string };

/** What the flags ask, checked before the database is opened (a bad flag exits 2). */
export function readRateFlags(flags: RateFlags): { month: string; bases: readonly Basis[] } & ({ facility: string } | { by: Grouping }) {
  if ((flags.facility === undefined) === (flags.by === undefined)) throw new OqsError("E8945");
  const month = checkedMonth(flags.month);
  if (flags.basis !== undefined && !(BASES as readonly string[]).includes(flags.basis)) throw new OqsError("E8942", flags.basis);
  const bases = flags.basis === undefined ? BASES : [flags.basis as Basis];
  if (flags.facility !== undefined) return { month, bases, facility: flags.facility };
  if (!(GROUPINGS as readonly string[]).includes(flags.by!)) throw new OqsError("E8943", flags.by);
  return { month, bases, by: flags.by as Grouping };
}

export function registerUsageRate(usage: Command, cli: CliRun) {
  withDatabaseFlags(
    usage
      .command("rate")
      .description("マイナ保険証利用率 (オンライン資格確認件数ベース・レセプト件数ベース・外来レセプト件数ベース) を表示する。--facility か --by のどちらか一方を指定する")
      .option("--facility <code>", "医療機関コード (10桁): その医療機関の利用率と、全国の同じ種別の中の順位帯")
      .requiredOption("--month <YYYY-MM>", "診療月")
      .option("--basis <basis>", "基準: online (オンライン資格確認件数ベース), receipt (レセプト件数ベース), outpatient (外来レセプト件数ベース)。省略時はすべて")
      .option("--by <unit>", "集計の単位: nation (全国), kind (種別), prefecture (都道府県), kind-prefecture (種別・都道府県)")
      .option("--json", "JSON で出力する (率は分子と分母の分数。3つの基準すべて、順位帯は --basis のもの)")
      .addHelpText(
        "after",
        examples("onshi usage rate --facility 1310100019 --month 2025-10", "onshi usage rate --facility 1310100019 --month 2025-10 --basis receipt --json", "onshi usage rate --month 2025-10 --by prefecture"),
      ),
  ).action(async (flags: RateFlags) => {
    let asked: ReturnType<typeof readRateFlags>;
    try {
      asked = readRateFlags(flags);
    } catch (error) {
      throw inputError(error);
    }
    if ("facility" in asked) {
      const { facility, month, bases } = asked;
      await runAdmin(
        cli,
        flags,
        async (db) => {
          const rates = await facilityRates(db, facility, month);
          if (!rates) throw new OqsError("E8944", facility);
          const bands = Object.fromEntries(await Promise.all(bases.map(async (b) => [b, await facilityRankBand(db, rates, b)] as const)));
          return { ...rates, bands };
        },
        (answer) => describeFacility(answer, bases),
      );
    } else {
      const { by, month, bases } = asked;
      await runAdmin(
        cli,
        flags,
        (db) => groupRates(db, month, by),
        (groups) => describeGroups(groups, month, by, bases),
      );
    }
  });
}

const count = (n: number | null) => (n === null ? "不明" : n.toLocaleString("ja-JP"));
/** 「21 / 30 = 70.00%」, or 「不明」 with why. */
const rateText = (ratio: Ratio | null) => (ratio ? `${count(ratio.numerator)} / ${count(ratio.denominator)} = ${percentText(ratio)}` : "不明");
const padTo = (s: string, n: number) => s + " ".repeat(Math.max(0, n - displayWidth(s)));

function figureLines(f: MonthFigures): string[] {
  return [
    `  マイナ保険証の利用件数 ${count(f.cardUses)} (顔認証 ${count(f.byMethod.card_face)}、暗証番号 ${count(f.byMethod.card_pin)}、目視 ${count(f.byMethod.card_visual)})`,
    `  オンライン資格確認件数 ${count(f.onlineChecks)} (保険証の記号番号 ${count(f.byMethod.insurance_number)}、照会番号 ${count(f.byMethod.reference_number)}; 一括照会 ${count(f.bulkRows)} 件は含めない)`,
    `  マイナ保険証の利用者数 (名寄せ後) ${count(f.cardPersons)}`,
    `  レセプト件数 ${count(f.receipts)} (うち外来 ${count(f.outpatientReceipts)})${f.receipts === null ? " ※未登録" : ""}`,
  ];
}

function bandText(standing: RankStanding | null, kind: string): string {
  if (!standing) return "";
  const label = RANK_BANDS.find((b) => b.band === standing.band)!.label;
  return `  全国の${kind}で${label} (${count(standing.ranked)} 施設中、上に ${count(standing.above)} 施設)`;
}

function describeFacility(answer: FacilityRates & { bands: Partial<Record<Basis, RankStanding | null>> }, bases: readonly Basis[]): string {
  const { facility, figures } = answer;
  const kind = FACILITY_KIND_LABELS[facility.kind];
  const width = Math.max(...bases.map((b) => displayWidth(BASIS_LABELS[b])));
  return [
    `マイナ保険証利用率 ${monthText(answer.month)}  ${facility.code} ${facility.name} (${kind}、${prefectureName(facility.prefecture)})`,
    ...figureLines(figures),
    ...bases.map((b) => `${padTo(BASIS_LABELS[b], width)}  ${rateText(answer.rates[b])}${bandText(answer.bands[b] ?? null, kind)}`),
  ].join("\n");
}

function groupName(g: GroupRates): string {
  const parts = [g.kind === undefined ? undefined : FACILITY_KIND_LABELS[g.kind], g.prefecture === undefined ? undefined : prefectureName(g.prefecture)].filter((p) => p !== undefined);
  return parts.length ? parts.join("・") : "全国";
}

function describeGroups(groups: GroupRates[], month: string, by: Grouping, bases: readonly Basis[]): string {
  if (groups.length === 0) return `${monthText(month)}のデータがありません。`;
  const header = ["", "施設数", "うちレセプト登録", ...bases.map((b) => BASIS_LABELS[b])];
  const rows = groups.map((g) => [groupName(g), count(g.facilities), count(g.receiptFacilities), ...bases.map((b) => rateText(g.rates[b]))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => displayWidth(r[i]!))));
  const line = (r: string[]) => r.map((cell, i) => padTo(cell, widths[i]!)).join("  ").trimEnd();
  return [
    `マイナ保険証利用率 ${monthText(month)} (${GROUPING_LABELS[by]})`,
    line(header),
    ...rows.map(line),
    "レセプト件数ベースの分子と分母は、レセプト件数を登録した施設だけの合計です。",
  ].join("\n");
}
