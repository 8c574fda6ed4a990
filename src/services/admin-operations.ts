// The operations of the command line that change or read the data (`cards …`, `seed`, `check`),
// each one function of (db, input) with the schema of its input. The CLI runs them on the database
// it opens, or, when an `onshi serve` holds the embedded database's folder, asks that server to run
// them (http/routes/admin/operations.ts): one process writes the folder, and the server answers
// with the state the command left.
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { PIN_PATTERN } from "../card/pin.ts";
import type { Db } from "../db/client.ts";
import { isValidYyyymmdd } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { isIsoDate } from "../seed/calendar.ts";
import { DEMO_CARD_IDS } from "../seed/demo-cards.ts";
import { loadDemo } from "../seed/demo.ts";
import { seedPopulation } from "../seed/load.ts";
import { openAuthority, revokeCertificate } from "../store/card-authority-store.ts";
import { cardLocks, resetCardLocks } from "../store/card-chip-store.ts";
import { issueCard } from "../store/card-issue-store.ts";
import { FacilityDirectory } from "../store/facility-directory.ts";
import { verifyAudit } from "./audit-verify.ts";
import { listSimulatedCards } from "./card-simulator.ts";
import { declarationView, declareDisaster, endDisaster, extendDisaster, listDisasters, MAX_DECLARATION_MUNICIPALITIES } from "./disaster.ts";
import { medicalSubsidyUseOf, setMedicalSubsidyUse } from "./medical-subsidy-use.ts";
import { handle, type MessageInput } from "./pipeline/index.ts";
import { RECEIPTS_FILE_LIMIT_BYTES, uploadReceipts, type ReceiptsUpload } from "./usage-receipts.ts";
import { checkOfficeNumber, issueMedicalTicket, issueWelfareCredential } from "./welfare.ts";
import { welfareOfficeAccount } from "../store/welfare-store.ts";

/** Where the server answers them: POST ADMIN_OPERATIONS_PATH/<name>. */
export const ADMIN_OPERATIONS_PATH = "/onshi-api/admin/operations";

/** Persons one seed may add: about 40 s per million on PostgreSQL, minutes on PGlite. */
export const SEED_PERSONS_LIMIT = 10_000_000;

export type Progress = (done: number, total: number) => void;

interface Operation<S extends TSchema, A> {
  input: S;
  run(db: Db, input: Static<S>, progress: Progress): Promise<A>;
}

const operation = <S extends TSchema, A>(input: S, run: (db: Db, input: Static<S>, progress: Progress) => Promise<A>): Operation<S, A> => ({ input, run });

const IsoDate = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
/** The command's clock: the same instant whether the command runs here or through the server. */
const Now = Type.String({ format: "date-time", maxLength: 40 });
const CardId = Type.String({ minLength: 1, maxLength: 64 });
const strict = { additionalProperties: false } as const;
/** Read and checked by services/disaster.ts (E8203, E8205); bounded here. */
const DisasterTime = Type.String({ maxLength: 40 });
const Operator = Type.String({ maxLength: 400 });
const DeclarationId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

const realDate = (value: string, field: string): string => {
  if (!isValidYyyymmdd(value.replaceAll("-", ""))) throw new OqsError("E9203", field);
  return value;
};

async function serialOf(db: Db, cardId: string): Promise<string> {
  const [row] = await db.query<{ certificate_serial: string }>("select certificate_serial from cards where card_id = $1", [cardId]);
  if (!row) throw new OqsError("E7014");
  return row.certificate_serial;
}

export const ADMIN_OPERATIONS = {
  "cards.issue": operation(
    Type.Object(
      {
        now: Now,
        person: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
        certificateExpiry: IsoDate,
        cardExpiry: Type.Optional(IsoDate),
        pin: Type.Optional(Type.String({ pattern: PIN_PATTERN.source })),
      },
      strict,
    ),
    async (db, input) => {
      const now = new Date(input.now);
      const certificateExpiry = realDate(input.certificateExpiry, "certificateExpiry");
      const expiry = realDate(input.cardExpiry ?? certificateExpiry, "cardExpiry");
      const [person] = await db.query<{ name: string; address: string | null; birthdate: string; sex: 1 | 2 | 3 }>(
        "select name, address, birthdate, sex from persons where person_id = $1",
        [input.person],
      );
      if (!person) throw new OqsError("E9204", `person_id ${input.person}`);
      const face = { name: person.name, address: person.address ?? "", birthdate: person.birthdate, sex: person.sex, expiry };
      const issued = await issueCard(db, await openAuthority(db, now), { face, certificateExpiry, holderPersonId: input.person, pin: input.pin }, now);
      return { cardId: issued.cardId, certificateSerial: issued.certificateSerial, pin: issued.pin, face: issued.face, registered: false };
    },
  ),
  "cards.list": operation(Type.Object({}, strict), async (db) => ({ cards: await listSimulatedCards(db, DEMO_CARD_IDS) })),
  "cards.revoke": operation(Type.Object({ now: Now, cardId: CardId }, strict), async (db, input) => {
    const now = new Date(input.now);
    const serial = await serialOf(db, input.cardId);
    await revokeCertificate(db, await openAuthority(db, now), serial, now);
    return { cardId: input.cardId, certificateSerial: serial, revoked: true };
  }),
  "cards.reset": operation(Type.Object({ cardId: CardId }, strict), async (db, input) => {
    await resetCardLocks(db, input.cardId);
    return { cardId: input.cardId, locks: await cardLocks(db, input.cardId) };
  }),
  // 厚生労働省保険局's declarations (services/disaster.ts); `by` names the operator who acts.
  "disaster.declare": operation(
    Type.Object(
      {
        now: Now,
        name: Type.String({ maxLength: 400 }),
        municipalities: Type.Array(Type.String({ maxLength: 4000 }), { minItems: 1, maxItems: MAX_DECLARATION_MUNICIPALITIES }),
        from: DisasterTime,
        to: DisasterTime,
        by: Operator,
      },
      strict,
    ),
    async (db, input) => declarationView(await declareDisaster(db, input, new Date(input.now))),
  ),
  "disaster.extend": operation(Type.Object({ now: Now, id: DeclarationId, to: DisasterTime, by: Operator }, strict), async (db, input) =>
    declarationView(await extendDisaster(db, input, new Date(input.now))),
  ),
  "disaster.end": operation(Type.Object({ now: Now, id: DeclarationId, by: Operator, at: Type.Optional(DisasterTime) }, strict), async (db, input) =>
    declarationView(await endDisaster(db, input, new Date(input.now))),
  ),
  "disaster.list": operation(Type.Object({ now: Now, all: Type.Boolean() }, strict), async (db, input) => ({
    declarations: (await listDisasters(db, { now: new Date(input.now), all: input.all })).map(declarationView),
  })),
  /** The facility's 医療費助成情報 setting: shown, or set to 利用する / 利用しない (`use`) by `by` (E2001, E8600). */
  "facilities.medical-subsidy": operation(
    Type.Object({ now: Now, facility: Type.String({ maxLength: 40 }), use: Type.Optional(Type.Boolean()), by: Type.Optional(Operator) }, strict),
    async (db, input) =>
      input.use === undefined
        ? medicalSubsidyUseOf(db, input.facility)
        : setMedicalSubsidyUse(db, { facilityCode: input.facility, inUse: input.use, by: input.by ?? "" }, new Date(input.now)),
  ),
  /** `onshi welfare issue`: the 福祉事務所 records a 医療券 (services/welfare.ts checks every field: E8702–E8715). */
  "welfare.issue": operation(
    Type.Object(
      {
        now: Now,
        office: Type.String({ maxLength: 40 }),
        recipientNumber: Type.String({ maxLength: 40 }),
        facilityCode: Type.String({ maxLength: 40 }),
        visitDate: Type.String({ maxLength: 40 }),
        treatmentType: Type.Optional(Type.String({ maxLength: 40 })),
        injuryNames: Type.Optional(Type.Array(Type.String({ maxLength: 400 }), { maxItems: 10 })),
        selfPayAmount: Type.Optional(Type.Number()),
      },
      strict,
    ),
    async (db, { now, office, ...request }) => {
      if (!(await welfareOfficeAccount(db, checkOfficeNumber(office)))) throw new OqsError("E8715");
      return issueMedicalTicket(db, office, request as Parameters<typeof issueMedicalTicket>[2], new Date(now));
    },
  ),
  /** `onshi usage receipts`: a facility's receipt counts from a file (E8900–E8909), as POST /onshi-api/usage/receipts stores them. */
  "usage.receipts": operation(
    Type.Object(
      {
        now: Now,
        facility: Type.String({ maxLength: 40 }),
        upload: Type.Union([Type.Object({ json: Type.Unknown() }, strict), Type.Object({ csv: Type.String({ maxLength: RECEIPTS_FILE_LIMIT_BYTES }) }, strict)]),
      },
      strict,
    ),
    (db, input) => uploadReceipts(db, new FacilityDirectory(db), input.facility, input.upload as ReceiptsUpload, new Date(input.now)),
  ),
  /** `onshi welfare credential`: the office's credential for the 医療券 route (E8702, E8715, E8716). */
  "welfare.credential": operation(
    Type.Object({ office: Type.String({ maxLength: 40 }), credential: Type.Optional(Type.String({ maxLength: 400 })) }, strict),
    (db, input) => issueWelfareCredential(db, input.office, input.credential),
  ),
  seed: operation(
    Type.Object(
      { persons: Type.Integer({ minimum: 0, maximum: SEED_PERSONS_LIMIT }), seed: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), referenceDate: IsoDate },
      strict,
    ),
    async (db, input, progress) => {
      if (!isIsoDate(input.referenceDate)) throw new OqsError("E9203", "referenceDate");
      return seedPopulation(db, { ...input, onProgress: progress });
    },
  ),
  /** `onshi audit verify`: read-only, but the server holding the folder is the one process that may read it. Days are checked by verifyAudit (E9400, E9401). */
  "audit.verify": operation(
    Type.Object({ from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })) }, strict),
    (db, input, progress) => verifyAudit(db, input, progress),
  ),
  /** 個別照会 as `onshi check` asks it: no caller's facility to hold the request to (the command is the folder's owner). */
  check: operation(
    Type.Object(
      {
        now: Now,
        characterCode: Type.Union([Type.Literal("0"), Type.Literal("1")]),
        demo: Type.Boolean(),
        request: Type.Union([
          Type.Object({ tree: Type.Object({}, { additionalProperties: true }) }, strict),
          Type.Object({ jsonText: Type.String() }, strict),
          Type.Object({ xmlBase64: Type.String() }, strict),
        ]),
      },
      strict,
    ),
    async (db, input) => {
      if (input.demo) await loadDemo(db);
      const now = new Date(input.now);
      const request: MessageInput =
        "tree" in input.request ? { tree: input.request.tree as XmlTree } : "jsonText" in input.request ? input.request : { xml: Buffer.from(input.request.xmlBase64, "base64"), file: true };
      const answer = await handle("OQSsiquc01", request, { transport: "cli" }, { db, facilities: new FacilityDirectory(db), now: () => now, characterCode: input.characterCode });
      const { message, error, failedAt, detail, cause } = answer;
      return { message, error, failedAt, detail, cause: cause === undefined ? undefined : String(cause) };
    },
  ),
};

export type AdminOperationName = keyof typeof ADMIN_OPERATIONS;
export type AdminInput<N extends AdminOperationName> = Static<(typeof ADMIN_OPERATIONS)[N]["input"]>;
export type AdminAnswer<N extends AdminOperationName> = Awaited<ReturnType<(typeof ADMIN_OPERATIONS)[N]["run"]>>;

/** Runs an operation on a database this process holds. */
export function runAdminOperation<N extends AdminOperationName>(db: Db, name: N, input: AdminInput<N>, progress: Progress = () => {}): Promise<AdminAnswer<N>> {
  const op = ADMIN_OPERATIONS[name] as unknown as Operation<TSchema, AdminAnswer<N>>;
  return op.run(db, input, progress);
}
