// The server's side of the 顔認証付きカードリーダー, in the order the reader calls it: a challenge,
// the verification of the card's answer (which opens a short reader session), 保険証利用登録 when
// the card is not registered (PIN sessions only), and completion: consent recorded and the check
// appended to the 利用者リスト in one commit, then the face result written into the face folder.
// Every step is the asking facility's own: its challenge, its session. Sessions live in the
// database, so a restart or a second server process carries on.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { openAuthority } from "../store/card-authority-store.ts";
import { challengeKey } from "../store/card-challenge-store.ts";
import { mintChallenge, type Challenge } from "../card/challenges.ts";
import type { CheckMethod } from "../card/answer.ts";
import { CardVerifier } from "../store/card-verifier-store.ts";
import {
  CATEGORY_NAMES,
  CONSENT_CATEGORIES,
  type ConsentCategory,
  type ConsentChoices,
  type ConsentSettings,
  type PrescriptionIssueSelect,
} from "../domain/consent.ts";
import { yyyymmddToIso } from "../domain/dates.ts";
import { CARD_METHODS } from "../domain/usage.ts";
import { errorMessage, OqsError } from "../errors/catalogue.ts";
import { isTree, type XmlTree } from "../oqs/message-tree.ts";
import { FACE_RESULT } from "../oqs/messages/card-check.ts";
import type { ResultOfQualificationConfirmation } from "../oqs/messages/qualification-check.ts";
import type { CharacterCode } from "../oqs/response-builder.ts";
import { holderOfCard, registerCard, type Holder } from "../store/card-store.ts";
import { dropSession, findSession, openSession, sessionForCompletion, spendSession, type ReaderSession, type Scope } from "../store/card-session-store.ts";
import { appendCardUser, type CardUserEntry, type MedicalSubsidyEntry } from "../store/card-user-store.ts";
import { consentUpsert } from "../store/consent-store.ts";
import { buildCardCheck } from "./card-check-result.ts";
import type { OqsContext } from "./pipeline/types.ts";
import { dateInJapan } from "../subsidy/engine.ts";
import { recordCheck } from "./usage-recording.ts";

/** Long enough for the registration and consent screens, short enough that a card left behind is not reused. */
export const SESSION_LIFETIME_MS = 5 * 60_000;
const SESSION_PATTERN = /^[0-9a-f]{64}$/;
/** Pauses before each retry of a face file that could not be written after its completion committed. */
export const FACE_FILE_RETRY_MS: readonly number[] = [100, 500];

export interface ConsentOffer {
  category: ConsentCategory;
  label: string;
  /** Preselected on the screen: 同意する for every category the facility's reader asks. */
  default: boolean;
}

export interface VerifyOutcome {
  session: string;
  expiresAt: string;
  method: CheckMethod;
  registered: boolean;
  scope: Scope;
  warning?: { code: "E7050"; message: string };
  holder: Holder;
  consent: { offered: ConsentOffer[]; prescription: boolean };
}

export interface CompleteOutcome {
  faceFile: string;
  result: XmlTree;
  user: CardUserEntry;
  /** The check is recorded, but its face file could not be written (E7035): the patient is sent to the counter. */
  faceFileError?: { code: "E7035"; message: string };
}

/**
 * Where each completed check's face result goes: the port the folder gateway's face folder
 * implements (src/gateway/face-file.ts), so this service writes no files itself.
 */
export interface FaceFileSink {
  /** Made ready to take files (the folder exists), before anything is committed. */
  ready(): Promise<void>;
  /** A new name for the result of `facilityCode`'s check at `at`, recorded with the check before the file is written. */
  nameFor(facilityCode: string, at: Date): string;
  /** Writes the result durably under `name`, in the terminal's encoding. */
  write(name: string, message: XmlTree, characterCode: CharacterCode): Promise<void>;
}

export interface CardReaderOptions {
  oqs: OqsContext;
  faceFiles: FaceFileSink;
  /** Called after each completion commits (wakes this process's live 利用者リスト streams). */
  onCompleted?: (facilityCode: string, user: CardUserEntry) => void;
  /** Told when a committed completion's face file could not be written, even after retries. */
  onFaceFileFailed?: (faceFile: string, error: unknown) => void;
}

export class CardReader {
  private constructor(
    private readonly options: CardReaderOptions,
    private readonly verifier: CardVerifier,
    private readonly challengeKey: Buffer,
  ) {}

  /** Opens the authority (made on first use) and the verifier over it. */
  static async open(options: CardReaderOptions): Promise<CardReader> {
    await openAuthority(options.oqs.db, options.oqs.now());
    return new CardReader(options, await CardVerifier.open(options.oqs.db), await challengeKey(options.oqs.db));
  }

  /** A challenge for the reader of `facilityCode`: only that facility's verify accepts an answer to it. */
  challenge(facilityCode: string): Challenge {
    return mintChallenge(this.challengeKey, facilityCode, this.options.oqs.now());
  }

  /** Verifies the card's answer for the facility's reader and opens a session (E7001–E7024, E7032), in one database round trip. */
  async verify(facilityCode: string, body: unknown): Promise<VerifyOutcome> {
    const { db, now } = this.options.oqs;
    const answer = field(body, "answer");
    if (!isTree(answer)) throw new OqsError("E7032", "answer");
    const at = now();
    const inspected = await this.verifier.inspect(answer, at, facilityCode);
    const session = { session: randomBytes(32).toString("hex"), facilityCode, expiresAt: new Date(at.getTime() + SESSION_LIFETIME_MS) };
    const opened = await openSession(db, inspected, session);
    let card;
    try {
      card = await this.verifier.settle(inspected, opened);
    } catch (error) {
      // Revoked on a CRL published since the inspection: the session opened with it is closed.
      if (opened.opened) await dropSession(db, session.session);
      throw error;
    }
    return {
      session: session.session,
      expiresAt: session.expiresAt.toISOString(),
      method: card.method,
      registered: card.personId !== null,
      scope: card.scope,
      ...(card.warning ? { warning: { code: card.warning, message: errorMessage(card.warning) } } : {}),
      holder: opened.holder,
      consent: card.scope === "full" ? consentScreens(opened.settings, opened.facilityKind) : { offered: [], prescription: false },
    };
  }

  /** 保険証利用登録 with a PIN session: the card's serial is linked to its holder (E7025–E7030). */
  async register(facilityCode: string, body: unknown): Promise<{ registered: true; holder: Holder }> {
    const { db, now } = this.options.oqs;
    const session = await usableSession(db, facilityCode, field(body, "session"), now());
    if (session.method !== "pin") throw new OqsError("E7029");
    if (!(await registerCard(db, session.certificateSerial, now()))) throw new OqsError("E7030");
    return { registered: true, holder: (await holderOfCard(db, session.certificateSerial)).holder };
  }

  /**
   * Completes the check. The session is read and checked, the result built, then one transaction
   * spends the session and stores the consent record and the 利用者リスト entry (which names the
   * face file); only after that commit is the face file written. A refusal (E7031, E8001, E8004,
   * …) or a database failure commits nothing and writes nothing, so the session stays usable and
   * the patient's retry works. A face file that cannot be written after the commit is retried; if
   * it still fails the check stands (the consent and the entry are the record) and the answer
   * says so (faceFileError E7035), so the kiosk sends the patient to the counter.
   */
  async complete(facilityCode: string, body: unknown): Promise<CompleteOutcome> {
    const { oqs, faceFiles } = this.options;
    const at = oqs.now();
    await faceFiles.ready();
    const value = field(body, "session");
    if (typeof value !== "string") throw new OqsError("E7032", "session");
    const found = SESSION_PATTERN.test(value) ? await sessionForCompletion(oqs.db, value) : undefined;
    const session = checkSession(mine(found?.session, facilityCode), at);
    const { personId, settings } = found!;
    const choices = readChoices(body, session.scope);
    if (personId === null) throw new OqsError("E7031");
    const warning = session.scope === "qualification-only" ? ("E7050" as const) : undefined;
    const result = await buildCardCheck(oqs, { facilityCode, personId, choices, warning }, settings);
    const faceFile = faceFiles.nameFor(facilityCode, at);
    const entry = entryOf(result.message, session, choices, faceFile, at);
    const day = dateInJapan(at);
    // The consent record and the usage record (the method's counter, the person of the month) ride on the entry's statement.
    const alongside = [
      ...(result.consent ? [(offset: number) => consentUpsert(result.consent!, offset)] : []),
      ...recordCheck(oqs, { facilityCode, day, method: CARD_METHODS[session.method], transport: "reader", count: 1, cardPerson: personId }),
    ];
    const user = await oqs.db.transaction(async (tx) => {
      if (!(await spendSession(tx, session.session, facilityCode, at))) throw new OqsError("E7027"); // another completion won
      return appendCardUser(tx, facilityCode, day, personId, entry, alongside);
    });
    this.options.onCompleted?.(facilityCode, user);
    const outcome: CompleteOutcome = { faceFile, result: result.message, user };
    if (!(await this.deliverFaceFile(faceFile, result.message))) outcome.faceFileError = { code: "E7035", message: errorMessage("E7035") };
    return outcome;
  }

  /** Writes a committed completion's face file, retrying; false if it could not be written. */
  private async deliverFaceFile(faceFile: string, message: XmlTree): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.faceFiles.write(faceFile, message, this.options.oqs.characterCode);
        return true;
      } catch (error) {
        const pause = FACE_FILE_RETRY_MS[attempt];
        if (pause === undefined) {
          this.options.onFaceFileFailed?.(faceFile, error);
          return false;
        }
        await sleep(pause);
      }
    }
  }
}

/** The consent screens of a facility's reader: the categories its settings offer. */
function consentScreens(settings: ConsentSettings, facilityKind: string | undefined): VerifyOutcome["consent"] {
  return {
    offered: CATEGORY_NAMES.filter((c) => settings[c]).map((category) => ({ category, label: CONSENT_CATEGORIES[category].label, default: true })),
    // A pharmacy dispenses prescriptions; it does not issue them.
    prescription: facilityKind !== "pharmacy",
  };
}

function field(body: unknown, name: string): unknown {
  return isTree(body) ? (body as Record<string, unknown>)[name] : undefined;
}

/** The facility's own, unspent, unexpired session (E7032 malformed, E7025–E7027). */
async function usableSession(db: OqsContext["db"], facilityCode: string, value: unknown, at: Date): Promise<ReaderSession> {
  if (typeof value !== "string") throw new OqsError("E7032", "session");
  const session = mine(SESSION_PATTERN.test(value) ? await findSession(db, value) : undefined, facilityCode);
  return checkSession(session, at);
}

/**
 * The session if it is the facility's: another facility's is answered E7025 like one that does
 * not exist, so a session id says nothing to anyone but its own facility.
 */
function mine(session: ReaderSession | undefined, facilityCode: string): ReaderSession {
  if (!session || session.facilityCode !== facilityCode) throw new OqsError("E7025");
  return session;
}

/** E7027 spent, E7026 expired. */
function checkSession(session: ReaderSession, at: Date): ReaderSession {
  if (session.usedAt) throw new OqsError("E7027");
  if (at > session.expiresAt) throw new OqsError("E7026");
  return session;
}

/**
 * The consent body: `consent` maps category names to booleans (unlisted = not agreed), and
 * `prescriptionIssueSelect` is "1" or "2". In the grace nothing may be agreed (E7034).
 */
function readChoices(body: unknown, scope: Scope): ConsentChoices | undefined {
  const consent = field(body, "consent") ?? {};
  const prescription = field(body, "prescriptionIssueSelect");
  if (!isTree(consent)) throw new OqsError("E7032", "consent");
  const agreed = new Set<ConsentCategory>();
  for (const [name, value] of Object.entries(consent as Record<string, unknown>)) {
    if (!(CATEGORY_NAMES as string[]).includes(name)) throw new OqsError("E7033", name);
    if (typeof value !== "boolean") throw new OqsError("E7032", `consent.${name}`);
    if (value) agreed.add(name as ConsentCategory);
  }
  if (prescription !== undefined && typeof prescription !== "string") throw new OqsError("E8004", "prescriptionIssueSelect");
  if (scope === "qualification-only") {
    if (agreed.size > 0 || prescription !== undefined) throw new OqsError("E7034");
    return undefined;
  }
  return { agreed, prescriptionIssue: prescription as PrescriptionIssueSelect | undefined };
}

/**
 * The 利用者リスト line, read from the face result itself (what the reception's software reads
 * too), after checking the result against its schema: a result that breaks it is our own failure.
 */
function entryOf(message: XmlTree, session: ReaderSession, choices: ConsentChoices | undefined, faceFile: string, at: Date): Omit<CardUserEntry, "sequence"> {
  const face = FACE_RESULT.parse(message);
  if (!face.ok) throw new Error(`the face result breaks its schema: ${JSON.stringify(face.problems)}`);
  const body = face.value.XmlMsg.MessageBody;
  const r: Partial<ResultOfQualificationConfirmation> = body.ResultList?.ResultOfQualificationConfirmation[0] ?? {};
  const optional = (name: string, value: string | undefined) => (value ? { [name]: value } : {});
  return {
    checkedAt: at.toISOString(),
    method: session.method,
    name: r.Name ?? "",
    ...optional("kanaName", r.NameKana),
    birthdate: r.Birthdate ? yyyymmddToIso(r.Birthdate) : "",
    sex: r.Sex1 ?? "",
    insurerNumber: (r.InsurerNumber ?? "").trim(),
    ...optional("insuredCardSymbol", r.InsuredCardSymbol),
    insuredIdentificationNumber: r.InsuredIdentificationNumber ?? "",
    ...optional("insuredBranchNumber", r.InsuredBranchNumber),
    qualificationValidity: body.QualificationValidity ?? "",
    consent: choices ? Object.fromEntries(CATEGORY_NAMES.map((c) => [c, choices.agreed.has(c)])) : {},
    ...optional("prescriptionIssueSelect", choices?.prescriptionIssue),
    ...(session.scope === "qualification-only" ? { warning: { code: "E7050", message: errorMessage("E7050") } } : {}),
    faceFile,
    ...optional("referenceNumber", r.ReferenceNumber),
    ...(r.PublicExpenseCertificateList ? { medicalSubsidies: r.PublicExpenseCertificateList.PublicExpenseCertificateInfo.map(subsidyEntry) } : {}),
  };
}

type CertificateInfo = NonNullable<ResultOfQualificationConfirmation["PublicExpenseCertificateList"]>["PublicExpenseCertificateInfo"][number];

/** A 受給者証 of the face result as the 利用者リスト line keeps it. */
function subsidyEntry(c: CertificateInfo): MedicalSubsidyEntry {
  return {
    insurerNumber: c.PublicExpenseNumber,
    ...(c.BeneficiaryNumber ? { recipientNumber: c.BeneficiaryNumber } : {}),
    name: c.PublicExpenseCertificateName,
    validFrom: yyyymmddToIso(c.PublicExpenseValidStartDate),
    ...(c.PublicExpenseValidEndDate ? { validTo: yyyymmddToIso(c.PublicExpenseValidEndDate) } : {}),
    ...(c.PublicExpenseSelfPay ? { monthlyCap: Number(c.PublicExpenseSelfPay) } : {}),
    ...(c.PublicExpenseSelfPayPerVisit ? { perVisitCap: Number(c.PublicExpenseSelfPayPerVisit) } : {}),
    ...(c.PublicExpenseAlwaysReimbursement === "1" ? { alwaysReimbursement: true } : {}),
  };
}
