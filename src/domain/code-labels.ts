// How the answer's code values read for a person (the CLI's summary of a 個別照会): the code
// tables of the elements that are codes (OQSCD012, OQSCD013, 本人・家族の別).

/** PersonalFamilyClassification. */
export const PERSONAL_FAMILY_LABELS: Readonly<Record<string, string>> = { "1": "本人", "2": "家族" };

/** LimitApplicationCertificateClassificationFlag (OQSCD012): 区分ア〜オ under 70, the named classes from 70. */
export const LIMIT_CLASSIFICATION_LABELS: Readonly<Record<string, string>> = {
  A01: "区分ア",
  A02: "区分イ",
  A03: "区分ウ",
  A04: "区分エ",
  A05: "区分オ",
  A06: "区分オ（境）",
  B01: "現役並みⅢ",
  B02: "現役並みⅡ",
  B03: "現役並みⅠ",
  B04: "一般",
  B05: "低所得Ⅱ",
  B06: "低所得Ⅰ",
  B07: "低所得Ⅰ（老福）",
  B08: "低所得Ⅰ（境）",
  B09: "一般Ⅱ",
  B10: "一般Ⅰ",
};

/** SpecificDiseasesDiseaseCategory (OQSCD013). */
export const SPECIFIC_DISEASE_LABELS: Readonly<Record<string, string>> = {
  "1": "人工透析を必要とする慢性腎不全",
  "2": "先天性血液凝固因子障害",
  "3": "血液凝固因子製剤の投与に起因するHIV感染症",
};
