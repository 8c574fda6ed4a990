// GET /onshi-api/usage/rates?month=YYYY-MM[&basis=…]: the caller's own マイナ保険証利用率 of a month on
// each basis, its rank band within its kind nationally, and the nation's and its kind's rates for
// context (onshi's own path). The idToken is checked before the query is read; the answer is bound
// to the token's facility: a `facility` naming another one is answered as an unknown facility
// (E8944, the same body). A month without records is answered as no data (zeros, rates null).
import type { FastifyInstance } from "fastify";
import type { Db } from "../../../db/client.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { BASES, BASIS_LABELS, checkedMonth, facilityRankBand, facilityRates, groupRates, RANK_BANDS, type Basis, type GroupRates, type Rates } from "../../../services/usage-rates.ts";
import { authenticatedFacility, authenticateFirst } from "../../authenticate-first.ts";
import { answerWithErrorBodies, errorBodySchema, tokenHeaders } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";
import type { TokenService } from "../../tokens.ts";
import { Kept } from "../usage-page/index.ts";
import { queryOf, rateView } from "../usage-page/views.ts";

export const USAGE_RATES_PATH = "/onshi-api/usage/rates";

const rateSchema = {
  type: ["object", "null"],
  description: "正確な分数 (numerator / denominator) と表示用の百分率 (小数2桁)。分母が 0 またはレセプト件数が未登録なら null (不明)",
  properties: { numerator: { type: "integer" }, denominator: { type: "integer" }, text: { type: "string" } },
} as const;
const ratesSchema = { type: "object", properties: Object.fromEntries(BASES.map((b) => [b, { ...rateSchema, description: `${BASIS_LABELS[b]}。${rateSchema.description}` }])) } as const;
const groupSchema = {
  type: ["object", "null"],
  description: "その月に記録のある施設の合計 (分子と分母をそれぞれ合計)。記録がなければ null",
  properties: { facilities: { type: "integer" }, receiptFacilities: { type: "integer", description: "レセプト件数を登録した施設 (レセプト件数ベースの合計はこの施設だけ)" }, rates: ratesSchema },
} as const;

const ratesOfBases = (rates: Rates, bases: readonly Basis[]) => Object.fromEntries(bases.map((b) => [b, rateView(rates[b])]));
const groupView = (group: GroupRates | undefined, bases: readonly Basis[]) =>
  group === undefined ? null : { facilities: group.facilities, receiptFacilities: group.receiptFacilities, rates: ratesOfBases(group.rates, bases) };

export async function registerUsageRatesRoute(app: FastifyInstance, deps: { db: Db; now: () => Date; tokens: TokenService }): Promise<void> {
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    // The nation's and the kinds' totals of a month read every facility's records: kept a minute, shared by every caller.
    const kept = new Kept(deps.now);
    scope.get(
      USAGE_RATES_PATH,
      {
        onRequest: authenticateFirst(deps.tokens),
        schemaErrorFormatter: codedViolation("E8946"),
        schema: {
          tags: ["マイナ保険証利用率"],
          security: [{ idToken: [] }],
          summary: "自施設のマイナ保険証利用率 (月)、全国の同じ種別の中の順位帯、全国と種別の利用率",
          description:
            "month (YYYY-MM, 必須) の診療月の、idToken の医療機関の利用率を オンライン資格確認件数ベース (online)・レセプト件数ベース (receipt)・外来レセプト件数ベース (outpatient) で返す。" +
            "basis を指定するとその基準だけ。facility は省略するか自施設のコード (他の医療機関は「見つからない」と同じ応答 E8944)。" +
            "記録のない月は「データなし」(件数 0、率 null) として答える。onshi 独自のパス。",
          headers: tokenHeaders,
          querystring: {
            type: "object",
            properties: {
              month: { type: "string", description: "診療月 YYYY-MM", examples: ["2025-10"] },
              basis: { type: "string", description: "online | receipt | outpatient (省略時はすべて)" },
              facility: { type: "string", description: "医療機関コード (省略時は idToken の医療機関)" },
            },
          },
          response: {
            200: {
              type: "object",
              properties: {
                facility: { type: "object", properties: { code: { type: "string" }, name: { type: "string" }, kind: { type: "string" }, prefecture: { type: "integer" } } },
                month: { type: "string" },
                figures: { type: "object", additionalProperties: true, description: "cardUses, cardPersons, onlineChecks, bulkRows, byMethod, receipts, outpatientReceipts (未登録は null)" },
                rates: ratesSchema,
                bands: {
                  type: "object",
                  description: "基準ごとの、全国の同じ種別の中の順位帯 (上位10%・上位25%・上位50%・下位50%)。率が不明なら null",
                  additionalProperties: { type: ["object", "null"], properties: { band: { type: "string" }, label: { type: "string" }, above: { type: "integer" }, ranked: { type: "integer" } } },
                },
                nation: groupSchema,
                kind: groupSchema,
              },
            },
            400: errorBodySchema,
            401: errorBodySchema,
            404: errorBodySchema,
            503: errorBodySchema,
          },
        },
      },
      async (request) => {
        const caller = authenticatedFacility(request);
        const q = queryOf(request.query as Record<string, unknown>, ["month", "basis", "facility"], "E8946");
        if (q.month === undefined) throw new OqsError("E8940", "month");
        const month = checkedMonth(q.month);
        if (q.basis !== undefined && !(BASES as readonly string[]).includes(q.basis)) throw new OqsError("E8942", q.basis);
        const bases = q.basis === undefined ? BASES : [q.basis as Basis];
        // Not the caller's: the same answer as a facility that does not exist, naming neither.
        if (q.facility !== undefined && q.facility !== caller) throw new OqsError("E8944");
        const rates = await facilityRates(deps.db, caller, month);
        if (!rates) throw new OqsError("E8944");
        const [nation, kinds, bands] = await Promise.all([
          kept.get(`nation ${month}`, () => groupRates(deps.db, month, "nation")),
          kept.get(`kind ${month}`, () => groupRates(deps.db, month, "kind")),
          Promise.all(bases.map(async (b) => [b, await facilityRankBand(deps.db, rates, b)] as const)),
        ]);
        return {
          facility: rates.facility,
          month,
          figures: rates.figures,
          rates: ratesOfBases(rates.rates, bases),
          bands: Object.fromEntries(bands.map(([b, s]) => [b, s && { ...s, label: RANK_BANDS.find((r) => r.band === s.band)!.label }])),
          nation: groupView(nation[0], bases),
          kind: groupView(kinds.find((g) => g.kind === rates.facility.kind), bases),
        };
      },
    );
  });
}
