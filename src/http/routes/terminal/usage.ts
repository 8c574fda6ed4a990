// GET /terminal/api/usage/chart?from=YYYY-MM&to=YYYY-MM: the 「利用率の推移」 screen's chart of the
// session's own facility (no facility is named in the request, so no other facility's rates can be
// asked for): its monthly rates on both bases against the nation's and its kind's, with the 加算
// thresholds of its kind. Without months, the 12 months up to its latest month with records.
import type { FastifyInstance } from "fastify";
import type { Db } from "../../../db/client.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { thresholdText } from "../../../subsidy/dx-threshold-bands.ts";
import { formatSource } from "../../../subsidy/engine.ts";
import { facilityRateChart } from "../../../services/usage-charts.ts";
import type { StaffSessions } from "../../../services/staff.ts";
import { latestUsageMonth } from "../../../store/usage-latest-store.ts";
import { errorBodySchema } from "../../error-body.ts";
import { requireStaffSession, staffSession } from "../../staff-session.ts";
import { lineView, requestedSpan } from "../usage-page/views.ts";

interface Deps {
  db: Db;
  now: () => Date;
  staff: StaffSessions;
}

export const USAGE_CHART_PATH = "/terminal/api/usage/chart";
/** Months shown when none are asked for. */
const DEFAULT_MONTHS = 12;

export function registerUsageChartRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(
    USAGE_CHART_PATH,
    {
      onRequest: requireStaffSession(deps.staff),
      schema: { hide: true, summary: "自施設のマイナ保険証利用率の推移 (グラフの SVG と数値)", response: { 200: { type: "object", additionalProperties: true }, 400: errorBodySchema, 401: errorBodySchema } },
    },
    async (request) => {
      const code = staffSession(request).account.facilityCode;
      const { from, to } = requestedSpan(request.query as Record<string, unknown>, await latestUsageMonth(deps.db, code), deps.now(), DEFAULT_MONTHS);
      const chart = await facilityRateChart(deps.db, code, from, to);
      // The session's facility is registered (the session was made for it); gone since: as any unknown facility.
      if (!chart) throw new OqsError("E8944");
      return {
        facility: { code: chart.facility.code, name: chart.facility.name, kind: chart.facility.kind, kindLabel: chart.facility.kindLabel },
        from: chart.months[0],
        to: chart.months.at(-1),
        lines: chart.lines.map(lineView),
        thresholds: chart.thresholds.map((t) => ({ label: t.label, from: t.from, to: t.to, calculationFrom: t.calculationFrom, calculationTo: t.calculationTo, text: thresholdText(t), source: formatSource(t.source) })),
        svg: chart.svg,
      };
    },
  );
}
