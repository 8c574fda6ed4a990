// The 薬剤情報 and 特定健診情報 PDFs (issue 13 item 3; FileCategory 1 and 3 of YZK, 1 of TKK), as a
// clinician reads them on paper: A4, Japanese, every page headed with whose record it is and when
// it was made, numbered x / y at the foot.
// The page frame, fonts and tables are pdf-sheet.ts's.
import type { Spec } from "vega";
import { isValidYyyymmdd, jstTimestamp } from "../domain/dates.ts";
import type { Checkup, CheckupItem, DrugRecord, MedicalHistory, Operation, Treatment } from "../domain/medical-history.ts";
import { OqsError } from "../errors/catalogue.ts";
import { CONTENT_WIDTH, MARGIN, Sheet, vegaSvg, type Cell, type Column, type Row } from "./pdf-sheet.ts";

/** Whose record the PDF is: the QuaInf of the answer (Name, KanaName, Birth, AdmGendCode). */
export interface PdfPerson {
  name: string;
  kana: string;
  /** YYYYMMDD */
  birthdate: string;
  /** 1 男, 2 女, 3 未設定 (as persons.sex) */
  sex: 1 | 2 | 3;
}

/**
 * A PDF of more table rows than this (drug lines, treatments, operations) is refused (E9300) before
 * anything is drawn: it bounds the time and memory one request may take (about 200 pages). Three
 * years of a patient on five drugs monthly are about 200 rows.
 */
export const MAX_PDF_ROWS = 5000;
/** The check-ups side by side: the 5 years the system keeps (導入の手引き, seed 002 l.545). */
export const CHECKUP_YEARS = 5;

/** The shade of a 電子処方箋 row (prescription or dispensing), beside its ◆ mark. */
const EPRESCRIPTION_FILL = "#eef3fb";
const MONTH_FILL = "#f3f3f3";

const SEX = { 1: "男", 2: "女", 3: "未設定" } as const;

/** A sheet headed with whose record it is: name, カナ, birth date with the age at `asOf`, sex. */
function personSheet(title: string, person: PdfPerson, asOf: Date): Sheet {
  const line = `氏名 ${person.name}（${person.kana}）   生年月日 ${slashDate(person.birthdate)}（${ageAt(person.birthdate, asOf)}歳）   性別 ${SEX[person.sex]}`;
  return new Sheet(title, line, asOf, `${title} ${person.name}`);
}

function checkPerson(person: PdfPerson, asOf: Date): void {
  if (!isValidYyyymmdd(person.birthdate)) throw new OqsError("E9301", "birthdate");
  if (!(person.sex in SEX)) throw new OqsError("E9301", "sex");
  if (Number.isNaN(asOf.getTime())) throw new OqsError("E9301", "asOf");
}

const slashDate = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}/${yyyymmdd.slice(4, 6)}/${yyyymmdd.slice(6, 8)}`;
/** "M/D" within a month already named by its heading. */
const monthDay = (yyyymmdd: string) => `${Number(yyyymmdd.slice(4, 6))}/${Number(yyyymmdd.slice(6, 8))}`;
const monthTitle = (yyyymm: string) => `${yyyymm.slice(0, 4)}年${Number(yyyymm.slice(4, 6))}月`;

/** Whole years of age on the Japan-time day of `at`. */
function ageAt(birthdate: string, at: Date): number {
  const today = jstTimestamp(at).slice(0, 8);
  const years = Number(today.slice(0, 4)) - Number(birthdate.slice(0, 4));
  return today.slice(4) >= birthdate.slice(4) ? years : years - 1;
}

// ---------------------------------------------------------------- 薬剤情報

const SOURCE_LABEL: Record<DrugRecord["source"], string> = { receipt: "レセプト", prescription: "◆処方", dispensing: "◆調剤" };

const DRUG_COLUMNS: readonly Column[] = [
  { header: "日付", width: 50 },
  { header: "区分", width: 38 },
  { header: "医療機関・薬局", width: 106 },
  { header: "薬剤名（一般名）", width: 172 },
  { header: "用量", width: 36 },
  { header: "用法", width: 83 },
  { header: "日数", width: 30, align: "right" },
];

/** The latest day of a record: the order within a month. */
const lastDay = (r: DrugRecord) => r.dates.reduce((max, d) => (d.dispensed > max ? d.dispensed : max), "");

function drugRows(record: DrugRecord): Row[] {
  const dates = record.dates.map((d) => (d.prescribed ? `${monthDay(d.dispensed)}\n処方 ${monthDay(d.prescribed)}` : monthDay(d.dispensed))).join("\n");
  const facility = record.prescriber ? `${record.facility.name}\n処方: ${record.prescriber.name}` : record.facility.name;
  const kind = record.inpatient ? `${SOURCE_LABEL[record.source]}\n入院` : SOURCE_LABEL[record.source];
  const fill = record.source === "receipt" ? undefined : EPRESCRIPTION_FILL;
  const drugs = record.drugs.length > 0 ? record.drugs : [undefined];
  return drugs.map((drug, i) => ({
    fill,
    groupStart: i === 0,
    cells: [
      i === 0 ? dates : "",
      i === 0 ? kind : "",
      i === 0 ? facility : "",
      drug ? (drug.ingredient && drug.ingredient !== drug.name ? `${drug.name}\n（${drug.ingredient}）` : drug.name) : "",
      drug ? `${drug.quantity}${drug.unit}` : "",
      drug ? (drug.specialInstruction ? `${drug.usage}\n${drug.specialInstruction}` : drug.usage) : "",
      drug ? String(drug.times) : "",
    ],
  }));
}

const TREATMENT_COLUMNS: readonly Column[] = [
  { header: "実施日", width: 62 },
  { header: "医療機関", width: 130 },
  { header: "区分", width: 70 },
  { header: "診療行為", width: 213 },
  { header: "入院/外来", width: 40 },
];
const OPERATION_COLUMNS: readonly Column[] = [
  { header: "手術日", width: 62 },
  { header: "医療機関", width: 150 },
  { header: "手術", width: 233 },
  { header: "コード", width: 70 },
];

/** Newest first, as every list of the PDF (a stable sort keeps the history's order within a day). */
const newestFirst = <T>(items: readonly T[], key: (item: T) => string): T[] => [...items].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));

/**
 * The 薬剤情報 PDF: the drugs month by month, newest month first (what a clinician checks first is
 * what the patient takes now); 電子処方箋 records marked ◆ and shaded. With `withTreatments`
 * (FileCategory 3), the 診療情報 and 手術情報 that follow, newest first too.
 */
export async function drugInfoPdf(input: { person: PdfPerson; history: MedicalHistory; asOf: Date; withTreatments: boolean }): Promise<Buffer> {
  const { person, history, asOf } = input;
  checkPerson(person, asOf);
  const lines = history.drugs.reduce((n, d) => n + Math.max(1, d.drugs.length), 0) + (input.withTreatments ? history.treatments.length + history.operations.length : 0);
  if (lines > MAX_PDF_ROWS) throw new OqsError("E9300", `${lines} 行 > ${MAX_PDF_ROWS} 行`);
  const sheet = personSheet(input.withTreatments ? "薬剤情報・診療情報" : "薬剤情報", person, asOf);
  sheet.heading("薬剤情報");
  sheet.note(
    "新しい月から順に表示しています。◆処方・◆調剤（網掛け）は電子処方箋の情報で、発行・調剤の時点で表示されます。「レセプト」はレセプト（診療報酬明細書）から抽出した情報で、診療月の翌月以降に反映されます。",
  );
  if (history.drugs.length === 0) sheet.note("該当する薬剤情報はありません。");
  else {
    // One table, each month a band row kept with its first record's first drug.
    const months = [...new Set(history.drugs.map((d) => d.month))].sort().reverse();
    const rows = months.flatMap((month): Row[] => [
      { cells: [{ text: monthTitle(month), bold: true }], fill: MONTH_FILL, groupStart: true, keepWithNext: 1 },
      ...newestFirst(
        history.drugs.filter((d) => d.month === month),
        lastDay,
      ).flatMap(drugRows),
    ]);
    sheet.table(DRUG_COLUMNS, rows);
  }
  if (input.withTreatments) {
    sheet.heading("診療情報");
    if (history.treatments.length === 0) sheet.note("該当する診療情報はありません。");
    else sheet.table(TREATMENT_COLUMNS, newestFirst(history.treatments, (t) => t.date).map(treatmentRow));
    sheet.heading("手術情報");
    if (history.operations.length === 0) sheet.note("該当する手術情報はありません。");
    else sheet.table(OPERATION_COLUMNS, newestFirst(history.operations, (o) => o.date).map(operationRow));
  }
  return sheet.finish();
}

const treatmentRow = (t: Treatment): Row => ({ cells: [slashDate(t.date), t.facility.name, t.classification.name, t.name, t.inpatient ? "入院" : "外来"] });
const operationRow = (o: Operation): Row => ({ cells: [slashDate(o.date), o.facility.name, o.name, o.code] });

// ---------------------------------------------------------------- 特定健診情報

/** A value as printed: the label of a coded answer, out-of-range values marked * and H or L. */
function valueCell(item: CheckupItem | undefined): Cell {
  if (!item) return { text: "—", align: "center" };
  const text = item.dataType === "CD" ? (item.valueName ?? item.value) : item.value;
  if (!item.outOfRange) return { text, align: "right" };
  const n = Number(item.value);
  const side = item.reference?.high !== undefined && n > item.reference.high ? " H" : item.reference?.low !== undefined && n < item.reference.low ? " L" : "";
  return { text: `*${text}${side}`, bold: true, align: "right" };
}

function referenceText(item: CheckupItem): string {
  const r = item.reference;
  if (!r || (r.low === undefined && r.high === undefined)) return "";
  if (r.low !== undefined && r.high !== undefined) return `${r.low}–${r.high}`;
  return r.low !== undefined ? `${r.low} 以上` : `${r.high} 以下`;
}

/**
 * The series of the trend charts. Items are found by their JLAC10 analyte (the code's first five
 * characters, any method), or by name for a record coded otherwise.
 */
const TRENDS = [
  { title: "HbA1c", unit: "%", series: [{ name: "HbA1c", analytes: ["3D045", "3D046"], pattern: /HbA1c/i }] },
  {
    title: "血圧",
    unit: "mmHg",
    series: [
      { name: "収縮期", analytes: ["9A751", "9A752", "9A755"], pattern: /収縮期/ },
      { name: "拡張期", analytes: ["9A761", "9A762", "9A765"], pattern: /拡張期/ },
    ],
  },
  { title: "BMI", unit: "kg/m²", series: [{ name: "BMI", analytes: ["9N011"], pattern: /BMI/i }] },
] as const;

type Series = (typeof TRENDS)[number]["series"][number];
const findItem = (checkup: Checkup, series: Series) => checkup.items.find((i) => (series.analytes as readonly string[]).includes(i.code.slice(0, 5))) ?? checkup.items.find((i) => series.pattern.test(i.name));

/** A small line chart as SVG: one line per series, its reference upper limit dashed. */
async function trendSvg(title: string, unit: string, points: { x: string; series: string; y: number; label: string }[], limits: { series: string; y: number }[], width: number, height: number): Promise<string> {
  const colors = ["#1f4e9c", "#c0392b"];
  const spec: Spec = {
    width,
    height,
    padding: 4,
    autosize: { type: "fit", contains: "padding" },
    title: { text: `${title}（${unit}）`, fontSize: 10, font: "sans-serif", anchor: "start" },
    data: [
      { name: "points", values: points },
      { name: "limits", values: limits },
    ],
    scales: [
      { name: "x", type: "point", domain: { data: "points", field: "x", sort: true }, range: "width", padding: 0.4 },
      { name: "y", type: "linear", domain: { fields: [{ data: "points", field: "y" }, { data: "limits", field: "y" }] }, range: "height", zero: false, nice: true },
      { name: "color", type: "ordinal", domain: { data: "points", field: "series" }, range: colors },
    ],
    axes: [
      { orient: "bottom", scale: "x", labelFontSize: 7, labelAngle: 0 },
      { orient: "left", scale: "y", labelFontSize: 7, tickCount: 4, grid: true, gridColor: "#e0e0e0" },
    ],
    legends: points.some((p) => p.series !== points[0]?.series) ? [{ fill: "color", orient: "top", labelFontSize: 7, symbolSize: 30, direction: "horizontal" }] : [],
    marks: [
      {
        type: "rule",
        from: { data: "limits" },
        encode: { enter: { x: { value: 0 }, x2: { signal: "width" }, y: { scale: "y", field: "y" }, stroke: { scale: "color", field: "series" }, strokeDash: { value: [3, 3] }, strokeWidth: { value: 0.8 }, strokeOpacity: { value: 0.7 } } },
      },
      {
        type: "group",
        from: { facet: { name: "line", data: "points", groupby: "series" } },
        marks: [
          { type: "line", from: { data: "line" }, encode: { enter: { x: { scale: "x", field: "x" }, y: { scale: "y", field: "y" }, stroke: { scale: "color", field: "series" }, strokeWidth: { value: 1.5 } } } },
          { type: "symbol", from: { data: "line" }, encode: { enter: { x: { scale: "x", field: "x" }, y: { scale: "y", field: "y" }, fill: { scale: "color", field: "series" }, size: { value: 18 } } } },
          { type: "text", from: { data: "line" }, encode: { enter: { x: { scale: "x", field: "x" }, y: { scale: "y", field: "y", offset: -5 }, text: { field: "label" }, fontSize: { value: 6.5 }, align: { value: "center" }, fill: { value: "#333333" } } } },
        ],
      },
    ],
  };
  return vegaSvg(spec);
}

/**
 * The 特定健診 PDF: the latest five check-ups side by side, oldest on the left so each row reads
 * as a trend; out-of-range values marked * (and H/L) in bold beside a reference range column;
 * under the table, small trend charts of HbA1c, blood pressure and BMI.
 */
export async function checkupPdf(input: { person: PdfPerson; checkups: Checkup[]; asOf: Date }): Promise<Buffer> {
  const { person, asOf } = input;
  checkPerson(person, asOf);
  const checkups = [...input.checkups].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).slice(-CHECKUP_YEARS);
  const sheet = personSheet("特定健診情報", person, asOf);
  sheet.note("受診日の古い順に左から並べています（最大 5 回分）。* は基準範囲外の値（H 高値、L 低値）です。");
  if (checkups.length === 0) {
    sheet.note("該当する特定健診情報はありません。");
    return sheet.finish();
  }
  // Rows: every item any check-up holds, in the order the newest one lists them, then the rest.
  const order = new Map<string, CheckupItem>();
  for (const c of [...checkups].reverse()) for (const item of c.items) if (!order.has(item.code)) order.set(item.code, item);
  if (order.size > MAX_PDF_ROWS) throw new OqsError("E9300", `${order.size} 行 > ${MAX_PDF_ROWS} 行`);
  const valueWidth = 56;
  const columns: Column[] = [
    { header: "検査項目", width: CONTENT_WIDTH - 70 - 46 - valueWidth * CHECKUP_YEARS },
    { header: "基準値", width: 70 },
    { header: "単位", width: 46 },
    ...checkups.map((c) => ({ header: c.date.slice(0, 4) + "年", width: valueWidth, align: "right" as const })),
  ];
  const headerRows: Row[] = [
    { cells: ["受診日", "", "", ...checkups.map((c) => ({ text: slashDate(c.date), align: "right" as const }))] },
    { cells: ["健診機関", "", "", ...checkups.map((c) => ({ text: c.facility.name, align: "right" as const }))] },
  ];
  const rows: Row[] = [...order.values()].map((item) => ({
    cells: [item.name, referenceText(item), item.unit ?? "", ...checkups.map((c) => valueCell(c.items.find((i) => i.code === item.code)))],
  }));
  sheet.table(columns, rows, { headerRows });

  const chartHeight = 130;
  sheet.ensure(chartHeight + 24);
  sheet.heading("経年変化");
  const chartWidth = (CONTENT_WIDTH - 2 * 10) / TRENDS.length;
  // The x axis names years; two check-ups in one year are told apart by their month.
  const years = checkups.map((c) => c.date.slice(0, 4));
  const xOf = (c: Checkup) => (new Set(years).size === years.length ? c.date.slice(0, 4) : `${c.date.slice(0, 4)}/${c.date.slice(4, 6)}`);
  const top = sheet.y;
  for (const [i, trend] of TRENDS.entries()) {
    const points = trend.series.flatMap((s) =>
      checkups.flatMap((c) => {
        const item = findItem(c, s);
        const y = Number(item?.value);
        // Labelled with the value as recorded (7.0, not 7).
        return item && item.value.trim() !== "" && Number.isFinite(y) ? [{ x: xOf(c), series: s.name, y, label: item.value }] : [];
      }),
    );
    const limits = trend.series.flatMap((s) => {
      const high = checkups.map((c) => findItem(c, s)?.reference?.high).find((h) => h !== undefined);
      return high === undefined ? [] : [{ series: s.name, y: high }];
    });
    const x = MARGIN.left + i * (chartWidth + 10);
    if (points.length === 0) {
      sheet.doc.font("regular").fontSize(8).text(`${trend.title}: 記録なし`, x, top + 4, { width: chartWidth });
      continue;
    }
    const svg = await trendSvg(trend.title, trend.unit, points, limits, chartWidth, chartHeight);
    sheet.svg(svg, x, top, chartWidth, chartHeight);
  }
  sheet.y = top + chartHeight + 8;
  sheet.note("破線は基準範囲の上限です。");
  return sheet.finish();
}
