// Three facilities' usage for the chart tests, written as monthly totals and uploaded receipts:
// a hospital in 北海道 (2025-01 and 02; nothing in 03), a hospital in 東京都 without receipts, a
// pharmacy in 東京都. Every rate the tests expect is worked out beside its figures.
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import type { FacilityKind } from "../../src/domain/facility-code.ts";

export const CHART_FACILITIES = {
  /** 2025-01: 30 / 100 checks, 25 persons / 100 receipts; 2025-02: 45 / 100, 40 / 100; 2025-03: none. */
  sapporo: { code: withCheckDigit("011234567"), name: "札幌テスト病院", kind: "hospital" as FacilityKind, prefecture: 1 },
  /** 2025-01: 10 / 100 checks, no receipts. */
  chiyoda: { code: withCheckDigit("131234567"), name: "千代田テスト病院", kind: "hospital" as FacilityKind, prefecture: 13 },
  /** 2025-01: 60 / 100 checks, 50 persons / 100 receipts. */
  pharmacy: { code: withCheckDigit("134234567"), name: "千代田テスト薬局", kind: "pharmacy" as FacilityKind, prefecture: 13 },
} as const;

const TOTALS: readonly [keyof typeof CHART_FACILITIES, string, number, number, number][] = [
  // facility, month, card uses (顔認証), insurance-number checks, card persons
  ["sapporo", "2025-01-01", 30, 70, 25],
  ["sapporo", "2025-02-01", 45, 55, 40],
  ["chiyoda", "2025-01-01", 10, 90, 8],
  ["pharmacy", "2025-01-01", 60, 40, 50],
];
const RECEIPTS: readonly [keyof typeof CHART_FACILITIES, string, number, number][] = [
  ["sapporo", "2025-01-01", 100, 80],
  ["sapporo", "2025-02-01", 100, 80],
  ["pharmacy", "2025-01-01", 100, 100],
];

export async function loadUsageChartFixture(db: Db): Promise<void> {
  for (const f of Object.values(CHART_FACILITIES)) {
    await db.query("insert into facilities (medical_institution_code, name, kind, prefecture, credential_hash) values ($1, $2, $3, $4, 'x')", [f.code, f.name, f.kind, f.prefecture]);
  }
  for (const [f, month, card, insurance, persons] of TOTALS) {
    await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons) values ($1, $2, $3, $4, $5)", [CHART_FACILITIES[f].code, month, card, insurance, persons]);
  }
  for (const [f, month, receipts, outpatient] of RECEIPTS) {
    await db.query("insert into usage_receipts (medical_institution_code, month, receipts, outpatient_receipts, updated_at) values ($1, $2, $3, $4, now())", [CHART_FACILITIES[f].code, month, receipts, outpatient]);
  }
}
