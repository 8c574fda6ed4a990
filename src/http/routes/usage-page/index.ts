// The public /usage/ page's data (published statistics, no sign-in): GET /usage/api/national
// ?from&to (the nation's rate by month on both bases, and each kind's, as charts and numbers) and
// GET /usage/api/prefectures?month (every prefecture's rates of the month with each kind's). Only
// group totals are answered, never a facility's. A national month reads every facility's records,
// so answers are kept a minute and one computation serves the callers asking meanwhile: a burst
// of requests does not become a burst of national queries.
import type { FastifyInstance } from "fastify";
import type { Db } from "../../../db/client.ts";
import { nationalRateCharts, prefectureRates } from "../../../services/usage-charts.ts";
import { latestUsageMonth } from "../../../store/usage-latest-store.ts";
import { answerWithErrorBodies, errorBodySchema } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";
import { KIND_VIEWS, lineView, ratesView, requestedMonth, requestedSpan } from "./views.ts";

export const USAGE_PAGE_PATHS = { national: "/usage/api/national", prefectures: "/usage/api/prefectures" } as const;
/** Months of the national chart when none are asked for. */
const DEFAULT_MONTHS = 24;
const KEEP_MS = 60_000;
/** Distinct questions kept at once (each is a span or a month: a few kilobytes to some tens). */
const KEEP_ENTRIES = 64;

const answerSchema = (properties: Record<string, unknown>) => ({ 200: { type: "object", properties }, 400: errorBodySchema, 503: errorBodySchema });
const month = { type: "string", description: "YYYY-MM" };
/** A line: its legend label, owner, basis, and each month's rate ({ numerator, denominator, text } or null). */
const lines = { type: "array", items: { type: "object", properties: { label: { type: "string" }, owner: { type: "string" }, basis: { type: "string", enum: ["online", "receipt"] }, points: { type: "array" } } } };
const chart = { type: "object", properties: { lines, svg: { type: "string", description: "グラフ (SVG)" } } };

/** Answers kept for KEEP_MS by question; a failed computation is not kept. */
export class Kept {
  private readonly entries = new Map<string, { at: number; answer: Promise<unknown> }>();
  constructor(private readonly now: () => Date) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const at = this.now().getTime();
    const kept = this.entries.get(key);
    if (kept && at - kept.at < KEEP_MS) return kept.answer as Promise<T>;
    const answer = compute();
    this.entries.delete(key);
    this.entries.set(key, { at, answer });
    answer.catch(() => this.entries.get(key)?.answer === answer && this.entries.delete(key));
    if (this.entries.size > KEEP_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return answer;
  }
}

export async function registerUsagePageRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }): Promise<void> {
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    const kept = new Kept(deps.now);
    const latest = () => kept.get("latest", () => latestUsageMonth(deps.db));

    scope.get(
      USAGE_PAGE_PATHS.national,
      {
        // The query's types are the documented ones; a name given twice (an array) is E8990 as in requestedSpan.
        schemaErrorFormatter: codedViolation("E8990"),
        schema: {
          tags: ["マイナ保険証利用率"],
          summary: "全国のマイナ保険証利用率の推移 (件数ベース・レセプト件数ベース、施設の種類別)",
          description: "from・to (YYYY-MM) の各月の全国と種類別の利用率 (正確な分数と表示用の百分率、不明は null) と、そのグラフ (SVG)。省略時は記録のある最新の月までの24か月。公表統計として認証なしで答える。",
          querystring: { type: "object", properties: { from: { type: "string", examples: ["2024-04"] }, to: { type: "string", examples: ["2026-03"] } } },
          response: answerSchema({ from: month, to: month, nation: chart, kinds: chart }),
        },
      },
      async (request) => {
        const { from, to } = requestedSpan(request.query as Record<string, unknown>, await latest(), deps.now(), DEFAULT_MONTHS);
        return kept.get(`national ${from} ${to}`, async () => {
          const charts = await nationalRateCharts(deps.db, from, to);
          return {
            from: charts.months[0],
            to: charts.months.at(-1),
            nation: { lines: charts.nation.lines.map(lineView), svg: charts.nation.svg },
            kinds: { lines: charts.kinds.lines.map(lineView), svg: charts.kinds.svg },
          };
        });
      },
    );

    scope.get(
      USAGE_PAGE_PATHS.prefectures,
      {
        // The query's types are the documented ones; a name given twice (an array) is E8990 as in requestedSpan.
        schemaErrorFormatter: codedViolation("E8990"),
        schema: {
          tags: ["マイナ保険証利用率"],
          summary: "都道府県別のマイナ保険証利用率 (月)",
          description: "month (YYYY-MM) の都道府県ごとの利用率と種類別の利用率。件数ベースの高い順 (不明は最後)。省略時は記録のある最新の月。",
          querystring: { type: "object", properties: { month: { type: "string", examples: ["2026-03"] } } },
          response: answerSchema({
            month,
            kinds: { type: "array", items: { type: "object", properties: { kind: { type: "string" }, label: { type: "string" } } } },
            rows: { type: "array", items: { type: "object", properties: { prefecture: { type: "integer" }, name: { type: "string" }, facilities: { type: "integer" }, rates: { type: "object" }, kinds: { type: "object" } } } },
          }),
        },
      },
      async (request) => {
        const month = requestedMonth(request.query as Record<string, unknown>, await latest(), deps.now());
        return kept.get(`prefectures ${month}`, async () => ({
          month,
          kinds: KIND_VIEWS,
          rows: (await prefectureRates(deps.db, month)).map((r) => ({
            prefecture: r.prefecture,
            name: r.name,
            facilities: r.facilities,
            rates: ratesView(r.rates),
            kinds: Object.fromEntries(Object.entries(r.kinds).map(([kind, rates]) => [kind, ratesView(rates)])),
          })),
        }));
      },
    );
  });
}
