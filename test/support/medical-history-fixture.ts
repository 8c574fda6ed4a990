// A MedicalHistory written out by hand for the PDF tests and measurements: a person on metformin
// and an ARB for three years (receipts monthly, 電子処方箋 prescriptions and their dispensing in the
// last months), five yearly 特定健診 with a rising HbA1c, and a few treatments and an operation.
// The values are fixed, not random, so a test can name what the PDF must show.
import type { Checkup, CheckupItem, DrugRecord, MedicalHistory } from "../../src/domain/medical-history.ts";
import type { PdfPerson } from "../../src/services/medical-pdf.ts";

export const PERSON: PdfPerson = { name: "山田 太郎", kana: "ヤマダ タロウ", birthdate: "19580304", sex: 1 };
/** 2024-09-20 10:30 in Japan. */
export const AS_OF = new Date("2024-09-20T01:30:00Z");

const CLINIC = { code: "1310000017", name: "みなと内科クリニック" };
const PHARMACY = { code: "1340000019", name: "さくら調剤薬局 港店" };
const HOSPITAL = { code: "1310000025", name: "東京中央病院" };

const METFORMIN = { code: "620004525", name: "メトグルコ錠250mg", ingredient: "メトホルミン塩酸塩", quantity: "4", unit: "錠", usage: "1日2回朝夕食後", times: 28 };
const ARB = { code: "610463157", name: "オルメテック OD錠20mg", ingredient: "オルメサルタン メドキソミル", quantity: "1", unit: "錠", usage: "1日1回朝食後", times: 28 };
const STATIN = { code: "622052701", name: "ロスバスタチン錠2.5mg「DSEP」", ingredient: "ロスバスタチンカルシウム", quantity: "1", unit: "錠", usage: "1日1回夕食後", times: 28 };

/** YYYYMM months from `first`, `count` of them. */
function months(first: string, count: number): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(4, 6));
  for (let i = 0; i < count; i++) {
    out.push(`${y}${String(m).padStart(2, "0")}`);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
  return out;
}

/** Receipts from 2021-09 to 2024-07 (visible in September 2024), then 電子処方箋 for August and September. */
export function drugHistory(): DrugRecord[] {
  const receipts = months("202109", 35).map(
    (month, i): DrugRecord => ({
      source: "receipt",
      month,
      dates: [{ dispensed: `${month}12` }],
      facility: PHARMACY,
      prescriber: CLINIC,
      inpatient: false,
      drugs: i >= 12 ? [METFORMIN, ARB, STATIN] : [METFORMIN, ARB],
    }),
  );
  const electronic: DrugRecord[] = ["202408", "202409"].flatMap((month) => [
    { source: "prescription", month, dates: [{ dispensed: `${month}10` }], facility: CLINIC, inpatient: false, drugs: [METFORMIN, ARB, STATIN] },
    { source: "dispensing", month, dates: [{ dispensed: `${month}10`, prescribed: `${month}10` }], facility: PHARMACY, prescriber: CLINIC, inpatient: false, drugs: [METFORMIN, ARB, STATIN] },
  ]);
  return [...receipts, ...electronic];
}

const item = (code: string, name: string, value: string, unit: string, reference: { low?: number; high?: number }): CheckupItem => {
  const n = Number(value);
  return { code, name, dataType: "PQ", value, unit, reference, outOfRange: (reference.low !== undefined && n < reference.low) || (reference.high !== undefined && n > reference.high) };
};

/** HbA1c per year 2020–2024, the values the PDF's HbA1c row must hold in this order. */
export const HBA1C = ["6.1", "6.4", "6.9", "7.2", "6.8"];
export const SYSTOLIC = ["128", "134", "138", "142", "131"];
export const DIASTOLIC = ["78", "82", "86", "90", "84"];
export const BMI = ["25.8", "26.3", "26.9", "27.4", "26.6"];

export function checkups(): Checkup[] {
  return HBA1C.map((hba1c, i) => ({
    date: `${2020 + i}0${6 + (i % 2)}1${i}`,
    facility: i < 3 ? { code: "1310000033", name: "港区健診センター" } : HOSPITAL,
    items: [
      item("9N001000000000001", "身長", (170.2 - i * 0.1).toFixed(1), "cm", {}),
      item("9N006000000000001", "体重", (Number(BMI[i]) * 1.702 ** 2).toFixed(1), "kg", {}),
      item("9N011000000000001", "BMI", BMI[i]!, "kg/m2", { low: 18.5, high: 24.9 }),
      item("9N016160100000001", "腹囲", String(88 + i), "cm", { high: 84.9 }),
      item("9A751000000000001", "収縮期血圧", SYSTOLIC[i]!, "mmHg", { high: 129 }),
      item("9A761000000000001", "拡張期血圧", DIASTOLIC[i]!, "mmHg", { high: 84 }),
      item("3F015000002327101", "中性脂肪", String(148 + 6 * i), "mg/dL", { high: 149 }),
      item("3F070000002327101", "HDLコレステロール", String(48 - i), "mg/dL", { low: 40 }),
      item("3F077000002327101", "LDLコレステロール", String(126 + 2 * i), "mg/dL", { high: 119 }),
      item("3B035000002327201", "AST(GOT)", String(24 + i), "U/L", { high: 30 }),
      item("3B045000002327201", "ALT(GPT)", String(28 + 2 * i), "U/L", { high: 30 }),
      item("3B090000002327101", "γ-GT(γ-GTP)", String(45 + 3 * i), "U/L", { high: 50 }),
      item("3D010000001926101", "空腹時血糖", String(112 + 6 * i), "mg/dL", { high: 99 }),
      item("3D046000001906202", "HbA1c(NGSP)", hba1c, "%", { high: 5.5 }),
      item("3C015000002327101", "血清クレアチニン", (0.9 + 0.03 * i).toFixed(2), "mg/dL", { high: 1.0 }),
      item("8A065000002391901", "eGFR", String(68 - 2 * i), "mL/min/1.73m2", { low: 60 }),
      { code: "1A020000000191111", name: "尿糖", dataType: "CD", value: i >= 3 ? "2" : "1", valueName: i >= 3 ? "＋" : "－", outOfRange: i >= 3 },
      { code: "1A010000000191111", name: "尿蛋白", dataType: "CD", value: "1", valueName: "－", outOfRange: false },
    ],
  }));
}

export function medicalHistory(): MedicalHistory {
  return {
    drugs: drugHistory(),
    checkups: checkups(),
    treatments: [
      { month: "202206", date: "20220614", facility: HOSPITAL, classification: { code: "70", name: "画像診断" }, code: "170011810", name: "CT撮影（64列以上のマルチスライス型の機器）", inpatient: false },
      { month: "202211", date: "20221108", facility: HOSPITAL, classification: { code: "50", name: "手術" }, code: "150254010", name: "内視鏡的大腸ポリープ・粘膜切除術（長径2cm未満）", inpatient: true },
      { month: "202211", date: "20221109", facility: HOSPITAL, classification: { code: "60", name: "病理" }, code: "160060010", name: "病理組織標本作製（組織切片）", inpatient: true },
      { month: "202403", date: "20240305", facility: CLINIC, classification: { code: "13", name: "医学管理" }, code: "113001810", name: "特定疾患療養管理料（診療所）", inpatient: false },
    ],
    operations: [{ date: "20221108", facility: HOSPITAL, code: "150254010", name: "内視鏡的大腸ポリープ・粘膜切除術（長径2cm未満）" }],
  };
}
