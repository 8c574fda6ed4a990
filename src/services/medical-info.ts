// Viewing a patient's 薬剤・特定健診・診療・手術 information: the one way every route (req folder,
// WebAPI, terminal page, disaster access) asks for it. The rules decide (domain/medical-info.ts),
// the history is read as visible at the request time, and the view, shown or refused, is appended
// to the audit log in the same transaction as the reads it records.
import type { Db } from "../db/client.ts";
import type { AuditActor, AuditBasis, AuditChannel } from "../domain/audit.ts";
import { jstDate } from "../domain/dates.ts";
import type { MedicalHistory, MedicalInfoCategory } from "../domain/medical-history.ts";
import { decideView, visibleHistory, type ViewBasis } from "../domain/medical-info.ts";
import { isQualifiedOn, type PersonRecord, type QualificationRecord } from "../domain/qualification.ts";
import { OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { appendAudit } from "../store/audit-store.ts";
import { findConsent } from "../store/consent-store.ts";
import { findFacilityKind } from "../store/facility-store.ts";
import { findQualifications, findQualificationsOfPerson, type SearchKey } from "../store/qualification-store.ts";
import { readMedicalHistory } from "./medical-history.ts";

export type { ViewBasis } from "../domain/medical-info.ts";

export interface MedicalInfoRequest {
  facilityCode: string;
  /** The categories asked for; 手術 (operation) asked with 診療 (diagnosis) is shown or left out by its own consent. */
  categories: MedicalInfoCategory[];
  actor: AuditActor;
  channel: AuditChannel;
  /** Consent from a card check, or a disaster declaration the caller found in force for the facility. */
  basis: ViewBasis;
  /** The time of the request: consent must be in force then, and the history is read as visible then. */
  at: Date;
  /** Months YYYYMM, both included. */
  fromMonth?: string;
  toMonth?: string;
  /**
   * Makes the document delivered (a PDF) from what is shown, before the view is recorded and in
   * its transaction: a view that cannot be delivered is neither answered nor recorded.
   */
  render?: (view: MedicalInfoView) => Promise<Buffer>;
}

export interface MedicalInfoView {
  person: PersonRecord;
  /** The history with only the categories shown (the others empty). */
  history: MedicalHistory;
  shown: MedicalInfoCategory[];
  basis: AuditBasis;
  /** What `render` made. */
  document?: Buffer;
}

/**
 * The patient's information, or an OqsError with the refusal (E8100–E8106), which is recorded
 * too. The qualifications that count are those in force on the request's day.
 */
export async function viewMedicalInfo(db: Db, request: MedicalInfoRequest & { personId: number }): Promise<MedicalInfoView> {
  const outcome = await db.transaction(async (tx) => {
    const { records } = await findQualificationsOfPerson(tx, request.personId, request.facilityCode);
    if (records.length === 0) return { refused: "E8100" as ErrorCode };
    const day = jstDate(request.at);
    const inForce = records.filter((q) => isQualifiedOn(q, day));
    return view(tx, request, records[0]!.person, inForce);
  });
  return settle(outcome);
}

/**
 * The same, on consent, for the patient a request's insurance key names (YZKsiquc01, TKKsiquc01): among the
 * persons holding the key, the one who consented at this facility by a card check, so that a key
 * nobody holds and a patient who never consented here are answered alike (E8100, recorded when the
 * key names one person); several such patients (a family without the branch number) are E8107.
 * The key's own qualification counts.
 */
export async function viewMedicalInfoByKey(db: Db, byKey: Omit<MedicalInfoRequest, "basis"> & { key: SearchKey }): Promise<MedicalInfoView> {
  const request = { ...byKey, basis: { kind: "consent" } as const };
  const outcome = await db.transaction(async (tx) => {
    const byPerson = new Map<number, QualificationRecord[]>();
    for (const q of await findQualifications(tx, request.key)) byPerson.set(q.person.personId, [...(byPerson.get(q.person.personId) ?? []), q]);
    const consenting: number[] = [];
    for (const personId of byPerson.keys()) if (await findConsent(tx, request.facilityCode, personId)) consenting.push(personId);
    if (consenting.length > 1) return { refused: "E8107" as ErrorCode };
    // The one holder of the key is refused by the rules, and that refusal is recorded against them.
    const [personId] = consenting.length === 1 ? consenting : byPerson.size === 1 ? [...byPerson.keys()] : [];
    if (personId === undefined) return { refused: "E8100" as ErrorCode };
    const records = byPerson.get(personId)!;
    return view(tx, { ...request, personId }, records[0]!.person, records);
  });
  return settle(outcome);
}

type Outcome = MedicalInfoView | { refused: ErrorCode; element?: string };

async function view(
  tx: Db,
  request: MedicalInfoRequest & { personId: number },
  person: PersonRecord,
  qualifications: QualificationRecord[],
): Promise<Outcome> {
  const facilityKind = await findFacilityKind(tx, request.facilityCode);
  if (facilityKind === undefined) throw new OqsError("E2001", "MedicalInstitutionCode");
  const consent = request.basis.kind === "consent" ? await findConsent(tx, request.facilityCode, request.personId) : undefined;
  const decision = decideView({ actor: request.actor, facilityKind, categories: request.categories, basis: request.basis, consent, qualifications, at: request.at });
  const event = {
    at: request.at,
    facilityCode: request.facilityCode,
    actor: request.actor,
    channel: request.channel,
    personId: request.personId,
  };
  if (!decision.allowed) {
    await appendAudit(tx, { ...event, categories: [...request.categories], result: decision.code });
    return { refused: decision.code, element: decision.element };
  }
  const history = await readMedicalHistory(tx, request.personId, { at: request.at, fromMonth: request.fromMonth, toMonth: request.toMonth });
  const shown: MedicalInfoView = { person, history: visibleHistory(history, decision.shown), shown: decision.shown, basis: decision.basis };
  const document = await request.render?.(shown);
  // Last, so that the chain's head (locked by the append until commit) is held for the least time.
  await appendAudit(tx, { ...event, categories: decision.shown, basis: decision.basis, result: "shown" });
  return { ...shown, ...(document ? { document } : {}) };
}

/** The refusal is thrown only after its transaction (and its audit record) has committed. */
function settle(outcome: Outcome): MedicalInfoView {
  if ("refused" in outcome) throw new OqsError(outcome.refused, outcome.element);
  return outcome;
}
