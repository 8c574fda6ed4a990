// docs/interface.md, made from the message schemas (./index.ts): every element of every kind,
// request and answer, with its meaning, format, whether it is required, its code table and the
// codes a request is refused with. A test keeps the page equal to what this returns, so a vendor
// reads exactly what onshi checks (`node --import tsx scripts/interface-doc.ts` writes it).
import type { TSchema } from "@sinclair/typebox";
import { FACE_RESULT_SCHEMA, MESSAGE_SCHEMAS, type MessageKind } from "./index.ts";
import { OWN_ANSWER, type CheckName, type Codes } from "./schema.ts";

interface Node {
  type?: string;
  description?: string;
  properties?: Record<string, Node>;
  additionalProperties?: Node | boolean;
  required?: string[];
  items?: Node;
  minItems?: number;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  "x-check"?: CheckName;
  "x-codes"?: Codes;
  [OWN_ANSWER]?: string;
}

/** What each named check accepts, in words. */
const CHECK_FORMATS: Record<CheckName, string> = {
  yyyymmdd: "YYYYMMDD (実在する日付)",
  yyyymm: "YYYYMM (実在する年月)",
  facilityCode: "数字10桁 (都道府県番号が実在し、検証番号が合う)",
  insurerNumber: "数字8桁 (国保は6桁、前に空白2つで8桁でもよい)、検証番号が合う",
  receptionNumber: "数字20桁",
  referenceNumber: "半角英数字とハイフン 1〜50文字",
};

/** The patterns the schemas use, in words. */
const PATTERN_FORMATS: Record<string, string> = {
  "^\\P{Cc}*$": "制御文字を含まない文字列",
  "^[0-9]*$": "数字",
};

const KINDS: { kind: MessageKind; title: string; about: string }[] = [
  { kind: "OQSsiquc01", title: "個別照会", about: "1人の資格を、被保険者証の記号・番号等と生年月日で照会する。" },
  { kind: "OQSmuquc01", title: "一括照会 (アップロード)", about: "多数の検索条件を送り、受付番号を受け取る。結果は OQSmuquc02 で取得する。" },
  { kind: "OQSmuquc02", title: "一括照会 (結果の取得)", about: "受付番号で結果を取得する。処理中は SegmentOfResult 2、終われば1件ごとの BulkConfirmUnit。" },
  { kind: "OQSsiimm01", title: "照会番号の登録", about: "医療機関の患者番号 (照会番号) を、保険者番号・記号・番号・枝番で特定した人に登録する。" },
  { kind: "OQSmuimm01", title: "照会番号の一括登録 (アップロード)", about: "多数の登録を送り、受付番号を受け取る。結果は OQSmuimm02 で取得する。" },
  { kind: "OQSmuimm02", title: "照会番号の一括登録 (結果の取得)", about: "受付番号で結果を取得する。終われば1件ごとの BulkRegistrationUnit。" },
  {
    kind: "YZKsiquc01",
    title: "薬剤情報 (と診療情報)",
    about:
      "患者がこの医療機関のカードリーダーで同意してから24時間のうちに、薬剤情報 (レセプト由来の MeTrMonthInf、電子処方箋の処方 ShPrInf と調剤 CzDiInf) を、" +
      "FileCategory 3・4 では診療情報 (手術は手術情報の同意があるときだけ) とともに取得する。ファイル名の最初の3文字は YZK、応答も YZKsiquc01res_。" +
      "ResultCode 1 が正常、それ以外は MessageContents に理由 (同意については docs/consent.md)。PDF (FileCategory 1・3) は同じ名前の .pdf に書かれ、" +
      "XML には ResultCode と患者の情報 (QuaInf) が入る (WebAPI では PDF そのものを application/pdf で返す)。WebAPI では onshi 独自のパス /onshi-api/medical-info/drugs (実システムのパスは公開されていない)。" +
      "要素の置き場所や値の意味が公開されていないところは「onshi の解釈」と書いた。",
  },
  {
    kind: "TKKsiquc01",
    title: "特定健診情報",
    about:
      "同じく同意から24時間のうちに、5年分の特定健診の結果と問診 (SpecificHealthCheckupInfo、古い順) を取得する。病院・診療所だけが閲覧でき、薬局は E8103。" +
      "ファイル名の最初の3文字は TKK。PDF (FileCategory 1) は同じ名前の .pdf。WebAPI では onshi 独自のパス /onshi-api/medical-info/checkups。",
  },
  {
    kind: "OQSmuonq01",
    title: "オンライン診療の一括照会 (アップロード)",
    about:
      "自宅でカードにより同意した (居宅同意取得型) オンライン診療の患者を、同意日または受診日 (予約した診療日) の範囲で探す。MedicalTreatmentFlag は 3。" +
      "受付番号を受け取り、結果は OQSmuonq02 で取得する。確認する日はアップロードの日 (日本時間)。docs/remote-care.md。",
  },
  { kind: "OQSmuonq02", title: "オンライン診療の一括照会 (結果の取得)", about: "受付番号で結果を取得する。検索ごとに、同意が有効な該当者1人につき1件の BulkConfirmUnit (資格情報と同意した情報)。" },
  {
    kind: "OQSmuhvq01",
    title: "訪問診療の一括照会 (アップロード)",
    about: "自宅でカードにより同意した訪問診療の患者を、同意日の範囲で探す。MedicalTreatmentFlag は 2。受付番号を受け取り、結果は OQSmuhvq02 で取得する。",
  },
  { kind: "OQSmuhvq02", title: "訪問診療の一括照会 (結果の取得)", about: "受付番号で結果を取得する。検索ごとに、同意が有効な該当者1人につき1件の BulkConfirmUnit。" },
  {
    kind: "OQSmutic01",
    title: "医療扶助の一括照会 (アップロード)",
    about: "福祉事務所がこの医療機関あてに交付した医療券を、診療年月 (MedicalTreatmentMonth) で探す。受付番号を受け取り、結果は OQSmutic02 で取得する。docs/welfare.md。",
  },
  { kind: "OQSmutic02", title: "医療扶助の一括照会 (結果の取得)", about: "受付番号で結果を取得する。検索ごとに、医療券のある人1人につき1件の BulkConfirmUnit (資格情報とその月の医療券 PublicExpenseResultList)。" },
];

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function format(node: Node): string {
  if (node.type === "object") return "要素 (子要素を持つ)";
  if (node.type === "array") return "";
  if (node.enum) return "コード";
  if (node.type === undefined) return "送ったとおり (子要素を含む)";
  const parts: string[] = [];
  if (node["x-check"]) parts.push(CHECK_FORMATS[node["x-check"]]);
  if (node.pattern) parts.push(PATTERN_FORMATS[node.pattern] ?? `\`${node.pattern}\``);
  const [min, max] = [node.minLength, node.maxLength];
  if (min !== undefined && min === max) parts.push(`${min}文字`);
  else if (max !== undefined) parts.push(`${min ?? 0}〜${max}文字`);
  else if (min !== undefined) parts.push(`${min}文字以上`);
  return parts.length > 0 ? parts.join("、") : "文字列";
}

/** The codes of an element, each once with the violations it answers: "E1004 (ない・形が違う)". */
function codes(node: Node): string {
  const byCode = new Map<string, string[]>();
  for (const [violation, code] of Object.entries(node["x-codes"] ?? {})) byCode.set(code, [...(byCode.get(code) ?? []), VIOLATION_WORDS[violation as keyof Codes]]);
  return [...byCode].map(([code, violations]) => `${code} (${violations.join("・")})`).join(", ");
}

const VIOLATION_WORDS: Record<keyof Codes, string> = {
  missing: "ない",
  structure: "形が違う",
  length: "長さ",
  characters: "文字",
  prefecture: "都道府県番号",
  checkDigit: "検証番号",
  date: "日付",
  value: "値",
};

/** One table row per element, depth first in element order; a repeated element says so. */
function rows(node: Node, path: string, required: boolean, request: boolean, out: string[]): void {
  const repeated = node.type === "array" ? node : undefined;
  const element = repeated ? repeated.items! : node;
  const description = [node.description ?? element.description ?? "", repeated ? `(繰り返し、${repeated.minItems ?? 0}回以上)` : ""].filter(Boolean).join(" ");
  const columns = [`\`${path}\``, description, format(element), required ? "必須" : "任意", element.enum ? element.enum.map((v) => `\`${v}\``).join(" ") : ""];
  if (request) columns.push(codes(node) || codes(element));
  out.push(`| ${columns.map(cell).join(" | ")} |`);
  const properties = element.properties ?? {};
  for (const [name, child] of Object.entries(properties)) rows(child, `${path}.${name}`, (element.required ?? []).includes(name), request, out);
  if (typeof element.additionalProperties === "object") rows(element.additionalProperties, `${path}.*`, false, request, out);
}

function table(schema: TSchema, request: boolean): string[] {
  const header = ["要素", "意味", "形式", "必須", "コード表"];
  if (request) header.push("不正なときのエラーコード");
  const out = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  const root = (schema as Node).properties!.XmlMsg!;
  for (const [name, child] of Object.entries(root.properties ?? {})) rows(child, name, true, request, out);
  return out;
}

export function interfaceMarkdown(): string {
  const lines = [
    "# 電文の仕様 (message interface)",
    "",
    "Every message onshi reads and writes, element by element, in onshi's own words. A message is an",
    "`XmlMsg` with a `MessageHeader` and a `MessageBody`; below, an element is named by its path from",
    "`XmlMsg` (`MessageHeader.MedicalInstitutionCode`), as `onshi files validate` names it. The same",
    "tree travels as XML (a request file in the 連携フォルダ, UTF-8 or Shift_JIS as its declaration says)",
    "or as JSON (the WebAPI); the README says how each transport carries it, and",
    "[docs/examples/oqs/](examples/oqs/) holds a request file of each kind that works against the demo",
    "data.",
    "",
    "- **形式**: what the element's text must be. A value that breaks it is refused with the code in",
    "  the last column: a message-wide error (E1xxx, `SegmentOfResult` 9) for the header and the body's",
    "  shape, or, for a person's search key or a registration, that person's or registration's own",
    "  error (E3xxx, E6xxx; `ProcessingResultStatus` 2) while the rest is answered. Every code is in",
    "  [error-codes.md](error-codes.md).",
    "- **必須**: 必須 elements must be present and not empty; an empty element counts as absent. In an",
    "  answer, 任意 means the element is written only when it applies (optional elements are left out",
    "  when empty).",
    "- **コード表**: the values an element may hold; their meanings are in 意味.",
    "- `.*` stands for any other element: kept and answered as sent, or refused with the code shown",
    "  when it is not text.",
    "- A repeated element is a list: in XML the element repeated, in JSON an array.",
    "",
    "Generated from the schemas onshi checks messages with (`src/oqs/messages/`) by",
    "`src/oqs/messages/interface-doc.ts`; a test keeps this page equal to them.",
  ];
  for (const { kind, title, about } of KINDS) {
    const schemas = MESSAGE_SCHEMAS[kind];
    lines.push("", `## ${kind}: ${title}`, "", about, "", `要求 \`${kind}req_….xml\`:`, "", ...table(schemas.request.schema, true));
    lines.push("", `応答 \`${kind}res_….xml\`:`, "", ...table(schemas.answer, false));
  }
  lines.push(
    "",
    "## 顔認証付きカードリーダーの結果 (face)",
    "",
    "Written by onshi into `face` for every completed card check (`OQSsiquc01res_face_….xml`): a 個別照会",
    "answer with `ReferenceClassification` 1, the consents the patient just gave, and the prescription",
    "chosen. There is no request.",
    "",
    ...table(FACE_RESULT_SCHEMA, false),
  );
  return `${lines.join("\n")}\n`;
}
