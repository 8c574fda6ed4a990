// What a patient agrees to share at the face-recognition card reader (spec §5.1), and how long
// it holds: a facility may view a category from the consent time until 24 hours later, when a
// new card check is needed (MHLW portal FAQ Q2/Q3; `*AvailableTime = *ConsTime + 24h` in real
// face files). Pure rules; the store and the service keep the rows.

/**
 * The categories the reader asks about, keyed by the element prefix real results use
 * (`<prefix>ConsFlg`, `<prefix>ConsTime`, `<prefix>AvailableTime`). 医療費助成 (PMH) has no
 * public element name, so it is stored and shown on the reader but written to no result.
 */
export const CONSENT_CATEGORIES = {
  pharmacists: { element: "PharmacistsInfo", label: "薬剤情報" },
  specificHealthCheckups: { element: "SpecificHealthCheckupsInfo", label: "特定健診情報" },
  diagnosis: { element: "DiagnosisInfo", label: "診療情報" },
  operation: { element: "OperationInfo", label: "手術情報" },
  limitCertificate: { element: "LimitApplicationCertificateRelated", label: "限度額情報" },
  specificDiseases: { element: "SpecificDiseasesCertificateRelated", label: "特定疾病情報" },
  medicalSubsidy: { element: undefined, label: "医療費助成" },
} as const satisfies Record<string, { element: string | undefined; label: string }>;

export type ConsentCategory = keyof typeof CONSENT_CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CONSENT_CATEGORIES) as ConsentCategory[];

/** Which categories a facility's reader offers. */
export type ConsentSettings = Record<ConsentCategory, boolean>;

/**
 * The real reader's factory settings (環境設定情報更新: 薬剤情報 and 特定健診情報 利用する, 診療情報
 * and 手術情報 利用しない). 限度額 and 特定疾病 are always asked on the real reader; 医療費助成 only
 * where the facility joined PMH, so it starts off.
 */
export const DEFAULT_CONSENT_SETTINGS: Readonly<ConsentSettings> = {
  pharmacists: true,
  specificHealthCheckups: true,
  diagnosis: false,
  operation: false,
  limitCertificate: true,
  specificDiseases: true,
  medicalSubsidy: false,
};

/** PrescriptionIssueSelect (OQSCD017): 1 電子処方箋, 2 紙の処方箋. */
export const PrescriptionIssue = { Electronic: "1", Paper: "2" } as const;
export type PrescriptionIssueSelect = (typeof PrescriptionIssue)[keyof typeof PrescriptionIssue];

/** The patient's answers on the consent screens; a category not listed was not agreed to. */
export interface ConsentChoices {
  agreed: ReadonlySet<ConsentCategory>;
  prescriptionIssue?: PrescriptionIssueSelect;
}

/** One facility's record of one person's consent, as the last card check left it. */
export interface ConsentRecord {
  facilityCode: string;
  personId: number;
  /** Whole seconds, as on the wire (`ConsTime` has no fraction). */
  consTime: Date;
  agreed: ReadonlySet<ConsentCategory>;
  prescriptionIssue?: PrescriptionIssueSelect;
}

export const CONSENT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The consent time of a check at `now`: truncated to the second, so ConsTime + 24 h is exact on the wire. */
export function consentTimeOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

export function availableTimeOf(consTime: Date): Date {
  return new Date(consTime.getTime() + CONSENT_LIFETIME_MS);
}

/** OQSCD016: 0 同意なし, 1 同意あり, 2 同意有効期限切れ. */
export const ConsentFlag = { None: "0", Given: "1", Expired: "2" } as const;
export type ConsentFlagValue = (typeof ConsentFlag)[keyof typeof ConsentFlag];

/**
 * The state of one category at `at`. In force on [ConsTime, ConsTime + 24 h): at AvailableTime
 * itself the 24 hours are over (our reading of 「24時間閲覧可能」; the wire has whole seconds, so
 * the last second in force is AvailableTime − 1 s).
 */
export function consentFlagAt(record: ConsentRecord, category: ConsentCategory, at: Date): ConsentFlagValue {
  if (!record.agreed.has(category)) return ConsentFlag.None;
  const t = at.getTime();
  if (t < record.consTime.getTime()) return ConsentFlag.None;
  return t < availableTimeOf(record.consTime).getTime() ? ConsentFlag.Given : ConsentFlag.Expired;
}

export function isConsentInForce(record: ConsentRecord, category: ConsentCategory, at: Date): boolean {
  return consentFlagAt(record, category, at) === ConsentFlag.Given;
}

/** The categories chosen that the facility's reader does not offer (they cannot have been asked). */
export function unofferedChoices(settings: ConsentSettings, choices: ConsentChoices): ConsentCategory[] {
  return CATEGORY_NAMES.filter((c) => choices.agreed.has(c) && !settings[c]);
}
