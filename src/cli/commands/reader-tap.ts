// `onshi reader tap`: one card check at the 顔認証付きカードリーダー, scripted. It walks the kiosk's
// flow over the HTTP contract (docs/card-reader.md) against a running `onshi serve`: challenge →
// the card's answer (simulator) → verify → 保険証利用登録 if asked → consent and completion.
import { Command, Option } from "commander";
import { CATEGORY_NAMES, CONSENT_CATEGORIES, PrescriptionIssue, type ConsentCategory } from "../../domain/consent.ts";
import type { ErrorCode } from "../../errors/catalogue.ts";
import { VALIDITY_LABELS } from "../../domain/validity.ts";
import { DEMO_FACILITIES } from "../../seed/demo.ts";
import { examples } from "../help.ts";
import { ReaderClient, ReaderRefusal, type CardAnswer, type CardUser, type CheckMethod, type IdentityCheck, type Verified } from "../card-reader-client.ts";
import { EXIT, usageError, type CliRun } from "../io.ts";

/** The card is not registered (保険証利用登録) yet. */
const NOT_REGISTERED: ErrorCode = "E7031";
const HOSPITAL = DEMO_FACILITIES[0];

const METHOD_LABELS: Record<CheckMethod, string> = { pin: "暗証番号", face: "顔認証", visual: "目視確認" };
const PRESCRIPTIONS = { electronic: PrescriptionIssue.Electronic, paper: PrescriptionIssue.Paper } as const;
const PRESCRIPTION_LABELS: Record<string, string> = { [PrescriptionIssue.Electronic]: "電子処方箋", [PrescriptionIssue.Paper]: "紙の処方箋" };

interface TapFlags {
  card: string;
  pin?: string;
  face?: string;
  visual?: boolean;
  consent?: string;
  prescription?: keyof typeof PRESCRIPTIONS;
  register?: boolean;
  url: string;
  facility?: string;
  credential?: string;
  json?: boolean;
}

export interface TapRequest {
  cardId: string;
  check: IdentityCheck;
  /** The categories agreed to; undefined takes the reader's defaults (what the screen shows checked). */
  consent?: ReadonlySet<ConsentCategory>;
  prescriptionIssueSelect?: "1" | "2";
  register: boolean;
}

/** What one tap did, as `--json` prints it. */
export interface TapOutcome {
  cardId: string;
  facility: string;
  method: CheckMethod;
  holder: Verified["holder"];
  registered: boolean;
  /** True when this tap did the 保険証利用登録. */
  registeredNow: boolean;
  scope: Verified["scope"];
  warning?: Verified["warning"];
  /** What was sent as the patient's choices ({} when the scope is qualification-only). */
  consent: Record<string, boolean>;
  prescriptionIssueSelect?: "1" | "2";
  faceFile: string;
  user: CardUser;
  result: unknown;
}

/** Each step's name, so a refusal says where the flow stopped. */
type Step = "認証" | "チャレンジ" | "カード" | "検証" | "保険証利用登録" | "受付";

class StepRefusal extends Error {
  constructor(
    readonly step: Step,
    readonly refusal: ReaderRefusal,
  ) {
    super(refusal.message);
  }
}

async function step<T>(name: Step, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof ReaderRefusal ? new StepRefusal(name, error) : error;
  }
}

/** The card on the reader: signs a challenge after its identity check (the simulator by default). */
export type Card = (nonce: string) => Promise<CardAnswer>;

/** The kiosk's flow for one card, as the reader device runs it. */
export async function tap(
  client: ReaderClient,
  facility: string,
  request: TapRequest,
  card: Card = (nonce) => client.answer(request.cardId, nonce, request.check),
): Promise<TapOutcome> {
  const { nonce } = await step("チャレンジ", () => client.challenge());
  const answer = await step("カード", () => card(nonce));
  const verified = await step("検証", () => client.verify(answer));
  let holder = verified.holder;
  const registeredNow = request.register && !verified.registered;
  if (registeredNow) holder = (await step("保険証利用登録", () => client.register(verified.session))).holder;
  // In the 3-month grace the reader asks nothing: no consent, no prescription choice (E7034).
  const full = verified.scope === "full";
  const consent = full ? consentAnswers(verified, request.consent) : {};
  const prescriptionIssueSelect = full ? request.prescriptionIssueSelect : undefined;
  const completed = await step("受付", () => client.complete(verified.session, consent, prescriptionIssueSelect));
  return {
    cardId: request.cardId,
    facility,
    method: verified.method,
    holder,
    registered: verified.registered || registeredNow,
    registeredNow,
    scope: verified.scope,
    ...(verified.warning ? { warning: verified.warning } : {}),
    consent,
    ...(prescriptionIssueSelect ? { prescriptionIssueSelect } : {}),
    faceFile: completed.faceFile,
    user: completed.user,
    result: completed.result,
  };
}

/**
 * The patient's answer on the consent screens: each offered category agreed or not. A category
 * chosen that the reader does not offer is sent too, so the server refuses it (E8001) rather
 * than this command dropping it unseen.
 */
function consentAnswers(verified: Verified, chosen: ReadonlySet<ConsentCategory> | undefined): Record<string, boolean> {
  const answers: Record<string, boolean> = {};
  for (const offer of verified.consent.offered) answers[offer.category] = chosen ? chosen.has(offer.category as ConsentCategory) : offer.default;
  for (const category of chosen ?? []) answers[category] = true;
  return answers;
}

export function registerReader(program: Command, cli: CliRun) {
  const reader = program
    .command("reader")
    .description("顔認証付きカードリーダーを操作する (起動中の onshi serve に HTTP で接続)")
    .addHelpText("after", examples("onshi reader tap --card DE00000000000001 --pin 1234"));
  reader
    .command("tap")
    .description("カードを置いて本人確認・同意・受付までを行い、結果を表示する (カードはシミュレータ: サーバは --demo または --simulator で起動)")
    .requiredOption("--card <id>", "カードID (16桁の英数字; onshi cards list やキオスク画面で確認)")
    .option("--pin <pin>", "暗証番号 (4桁) で本人確認する")
    .addOption(new Option("--face <result>", "顔認証で本人確認する (ok: 一致, fail: 不一致)").choices(["ok", "fail"]))
    .option("--visual", "目視確認 (職員が目で確認) で本人確認する")
    .option(
      "--consent <list>",
      `同意する項目をカンマ区切りで (none: すべて同意しない; 省略時はリーダーの初期表示のまま)。項目: ${CATEGORY_NAMES.map((c) => `${c} (${CONSENT_CATEGORIES[c].label})`).join(", ")}`,
    )
    .addOption(new Option("--prescription <kind>", "処方箋の発行形態 (electronic: 電子処方箋, paper: 紙の処方箋)").choices(Object.keys(PRESCRIPTIONS)))
    .option("--register", "保険証利用登録がまだのカードなら登録する (暗証番号での本人確認が必要)")
    // The server's own default address: `onshi serve` listens on 127.0.0.1 and PORT (or 8080).
    .option("--url <url>", "onshi サーバの URL (既定のポートは onshi serve と同じく環境変数 PORT、なければ 8080)", `http://127.0.0.1:${cli.io.env.PORT ?? "8080"}`)
    .option("--facility <code>", `医療機関コード (既定: デモの ${HOSPITAL.name} ${HOSPITAL.code})`)
    .option("--credential <credential>", "医療機関の認証情報 (デモ医療機関なら省略可)")
    .option("--json", "結果を JSON で出力する")
    .addHelpText(
      "after",
      examples(
        "onshi reader tap --card DE00000000000001 --pin 1234                         # 暗証番号で本人確認し、リーダーの初期表示のまま同意",
        "PORT=3000 onshi reader tap --card DE00000000000002 --pin 1234 --register    # ポート 3000 のサーバで、保険証利用登録もする",
        "onshi reader tap --card DE00000000000005 --face ok --consent limitCertificate --url http://127.0.0.1:8080",
      ),
    )
    .action(async (flags: TapFlags) => {
      const { facility, credential, request } = parseFlags(flags);
      try {
        const client = await step("認証", () => ReaderClient.login(flags.url, facility, credential));
        const outcome = await tap(client, facility, request);
        cli.print(flags.json ? JSON.stringify(outcome, null, 2) : describeTap(outcome));
      } catch (error) {
        if (!(error instanceof StepRefusal)) throw error;
        const { code, message, remaining } = error.refusal;
        if (flags.json) cli.print(JSON.stringify({ error: { step: error.step, code, message, ...(remaining !== undefined ? { remaining } : {}) } }, null, 2));
        else cli.warn(describeRefusal(error));
        cli.exitCode = EXIT.refused;
      }
    });
}

function parseFlags(flags: TapFlags): { facility: string; credential: string; request: TapRequest } {
  const methods = [flags.pin !== undefined && "--pin", flags.face !== undefined && "--face", flags.visual && "--visual"].filter(Boolean);
  if (methods.length !== 1) throw usageError(`本人確認の方法を --pin, --face, --visual のどれか1つで指定してください${methods.length > 1 ? ` (指定: ${methods.join(", ")})` : ""}。`);
  const check: IdentityCheck =
    flags.pin !== undefined ? { method: "pin", pin: flags.pin } : flags.face !== undefined ? { method: "face", matched: flags.face === "ok" } : { method: "visual" };
  const demo = DEMO_FACILITIES.find((f) => f.code === (flags.facility ?? HOSPITAL.code));
  const credential = flags.credential ?? demo?.credential;
  if (credential === undefined) throw usageError(`--facility ${flags.facility} はデモ医療機関ではありません: --credential を指定してください。`);
  try {
    new URL(flags.url);
  } catch {
    throw usageError(`--url が不正です: ${flags.url}`);
  }
  return {
    facility: flags.facility ?? HOSPITAL.code,
    credential,
    request: {
      cardId: flags.card,
      check,
      consent: flags.consent === undefined ? undefined : parseConsent(flags.consent),
      prescriptionIssueSelect: flags.prescription ? PRESCRIPTIONS[flags.prescription] : undefined,
      register: flags.register ?? false,
    },
  };
}

function parseConsent(value: string): Set<ConsentCategory> {
  if (value.trim() === "none") return new Set();
  const names = value.split(",").map((s) => s.trim());
  const unknown = names.filter((n) => !(CATEGORY_NAMES as string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw usageError(`--consent の項目が不正です: ${unknown.join(", ") || value} (使える項目: ${CATEGORY_NAMES.join(", ")}, または none)`);
  }
  return new Set(names as ConsentCategory[]);
}

function labelOf(category: string): string {
  return CONSENT_CATEGORIES[category as ConsentCategory]?.label ?? category;
}

export function describeTap(o: TapOutcome): string {
  const u = o.user;
  const lines = [
    `受付完了: ${o.holder.name} (生年月日 ${o.holder.birthdate})`,
    `  カード ${o.cardId} / 医療機関 ${o.facility}`,
    `  本人確認: ${METHOD_LABELS[o.method]}`,
    `  保険証利用登録: ${o.registeredNow ? "今回登録しました" : "登録済み"}`,
  ];
  if (o.warning) lines.push(`  警告 ${o.warning.code}: ${o.warning.message}`);
  const choices = Object.entries(o.consent);
  lines.push(
    o.scope === "qualification-only"
      ? "  同意: 確認なし (資格確認のみ)"
      : `  同意: ${choices.length === 0 ? "項目なし" : choices.map(([c, agreed]) => `${labelOf(c)} ${agreed ? "○" : "×"}`).join(" / ")}`,
  );
  if (o.prescriptionIssueSelect) lines.push(`  処方箋: ${PRESCRIPTION_LABELS[o.prescriptionIssueSelect]}`);
  lines.push(
    `  資格: ${VALIDITY_LABELS[u.qualificationValidity] ?? u.qualificationValidity} (保険者番号 ${u.insurerNumber} 記号 ${u.insuredCardSymbol ?? "-"} 番号 ${u.insuredIdentificationNumber} 枝番 ${u.insuredBranchNumber ?? "-"})`,
  );
  if (u.referenceNumber) lines.push(`  照会番号: ${u.referenceNumber}`);
  for (const s of u.medicalSubsidies ?? []) {
    const caps = [s.monthlyCap === undefined ? "" : `月 ${s.monthlyCap.toLocaleString("ja-JP")}円`, s.perVisitCap === undefined ? "" : `1回 ${s.perVisitCap.toLocaleString("ja-JP")}円`].filter(Boolean);
    lines.push(
      `  医療費助成: ${s.name} 公費負担者番号 ${s.insurerNumber}${s.recipientNumber ? ` 受給者番号 ${s.recipientNumber}` : ""}${caps.length ? ` 上限 ${caps.join("・")}` : ""} (${s.validFrom}〜${s.validTo ?? ""})`,
    );
  }
  lines.push(`  結果ファイル: ${o.faceFile}`);
  return lines.join("\n");
}

function describeRefusal({ step, refusal }: StepRefusal): string {
  const remaining = refusal.remaining !== undefined ? ` (残り ${refusal.remaining} 回)` : "";
  const hint = refusal.code === NOT_REGISTERED ? "\n  --pin と --register を付けると保険証利用登録をしてから受付します。" : "";
  return `拒否 ${refusal.code} (${step}): ${refusal.message}${remaining}${hint}`;
}
