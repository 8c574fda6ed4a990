// What a 受給者証 of each programme type carries, as dated data with sources
// (pmh-data/certificate-rules.json): the 法別番号 its 公費負担者番号 starts with, whether its
// 受給者番号 follows the national rule, and its 自己負担上限額 by income band. A cell no public
// source gave is null, and the functions here answer "unknown" for it rather than a guess.
import type { PmhProgrammeKey } from "./pmh-participation.ts";
import type { MaxCopayment } from "./medical-subsidy.ts";
import type { ProgrammeScope } from "./public-expense-number.ts";
import rules from "./pmh-data/certificate-rules.json" with { type: "json" };

export interface CapBand {
  incomeSegment: string;
  /** Yen a month; null: no fixed cap (the 医療保険's own 自己負担限度額 applies). */
  monthly: number | null;
  /** The cap of the band's 重症 / 高額かつ長期 / 重度かつ継続 recipients. */
  severe?: number;
  /** The cap of 人工呼吸器等装着者. */
  ventilator?: number;
  /** false: the band is outside the programme (but for its severe recipients). */
  covered?: boolean;
  /** The last day the severe cap holds (a transitional measure). */
  severeUntil?: string;
}

export interface CapTable {
  what: string;
  source: string;
  bands: readonly CapBand[];
}

export interface CertificateRule {
  scope: ProgrammeScope;
  /** 法別番号 its 公費負担者番号 may start with; null when no source was found (set by each prefecture for local programmes). */
  lawNumbers: readonly string[] | null;
  lawNumberSource: string | null;
  caps: CapTable | null;
}

const SOURCES: Readonly<Record<string, string>> = rules.sources;
const source = (key: string | null) => (key === null ? null : SOURCES[key]!);

export const CERTIFICATE_RULES: Readonly<Record<PmhProgrammeKey, CertificateRule>> = Object.fromEntries(
  Object.entries(rules.programmes).map(([key, p]) => {
    const table = p.caps === null ? null : rules.capTables[p.caps as keyof typeof rules.capTables];
    return [
      key,
      {
        scope: p.scope as ProgrammeScope,
        lawNumbers: p.lawNumbers,
        lawNumberSource: source(p.lawNumberSource),
        caps: table ? { what: table.what, source: source(table.source)!, bands: table.bands as readonly CapBand[] } : null,
      },
    ];
  }),
) as Record<PmhProgrammeKey, CertificateRule>;

export type CapKind = "general" | "severe" | "ventilator";

/**
 * The 自己負担上限額 of a programme's band: a MaxCopayment ({} when the band has no fixed cap),
 * "not covered" when the band is outside the programme, "unknown" when no table or band is known.
 */
export function capOf(programme: PmhProgrammeKey, incomeSegment: string, kind: CapKind = "general"): MaxCopayment | "not covered" | "unknown" {
  const band = CERTIFICATE_RULES[programme].caps?.bands.find((b) => b.incomeSegment === incomeSegment);
  if (!band) return "unknown";
  const value: number | null | undefined = kind === "general" ? band.monthly : band[kind];
  if (kind === "general" && band.covered === false) return "not covered";
  if (value === undefined) return "unknown";
  return value === null ? {} : { monthly: value };
}

/** A 受給者証 whose numbers and cap a municipality has published (八王子市's, from 2026-04-01). */
export interface KnownCertificate {
  issuerCode: string;
  programme: PmhProgrammeKey;
  orgCertificateTypeId: string;
  certificationName: string;
  /** The 公費負担者番号 (several where the issuer publishes several without saying which is which). */
  insurerNumbers: readonly string[];
  /** Ages it covers: from birth or the 1 April after legally turning `fromFiscalYearAfter`, to the 31 March after legally turning `toFiscalYearEndAfter`. */
  ages?: { fromFiscalYearAfter?: number; toFiscalYearEndAfter: number };
  /** null: the cap is not known for the number. */
  maxCopayment: MaxCopayment | null;
  source: string;
}

export const KNOWN_CERTIFICATES: readonly KnownCertificate[] = rules.knownCertificates.map((c) => ({
  issuerCode: c.issuerCode,
  programme: c.programme as PmhProgrammeKey,
  orgCertificateTypeId: c.orgCertificateTypeId,
  certificationName: c.certificationName,
  insurerNumbers: c.insurerNumbers,
  ...("ages" in c ? { ages: c.ages } : {}),
  maxCopayment: c.maxCopayment,
  source: c.source,
}));
