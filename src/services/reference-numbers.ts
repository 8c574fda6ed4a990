// 照会番号 (マイナ診察券) registration: a facility registers its patient number for the person
// its insurance quartet names (spec §7). Used by OQSsiimm01 (one registration) and by the bulk
// OQSmuimm01/02 (many, each answered on its own).
import type { Db } from "../db/client.ts";
import { isTree } from "../oqs/message-tree.ts";
import { REGISTRATION_INFO_SCHEMA, type RegistrationRequest } from "../oqs/messages/reference-number.ts";
import { registrationResultBody, registrationStatus, REGISTRATION_INFO, type RegistrationResult } from "../oqs/registration-message.ts";
import { Segment, message, responseHeader } from "../oqs/response-builder.ts";
import { findQualificationsForKeys } from "../store/qualification-store.ts";
import type { PendingRow, Reception, RowResult } from "../store/reception-store.ts";
import { saveReferenceNumber } from "../store/reference-number-store.ts";
import type { KindHandler } from "./pipeline/types.ts";
import { insuranceKey } from "./qualification-check.ts";

/**
 * Registers each ReferenceNumberRegistrationInfo in order, one result per registration; a refused
 * one does not stop the others. The quartet must name exactly one person, whatever the state of
 * the qualification it matches (a lost one still names its holder): no one is E6004, several (a
 * household when 記号 or 枝番 is left out, or twins sharing a 枝番) E6005, never a guess. A later
 * registration for the same person replaces the number; a number another person holds in this
 * facility is refused (E6006). The facility must exist (the caller checks it).
 */
export async function registerReferenceNumbers(
  db: Db,
  facilityCode: string,
  registrations: readonly unknown[],
  now: Date,
): Promise<RegistrationResult[]> {
  const readings = registrations.map((info) => {
    const parsed = REGISTRATION_INFO_SCHEMA.parse(info);
    return parsed.ok ? ({ ok: true, registration: { referenceNumber: parsed.value.ReferenceNumber, key: insuranceKey(parsed.value) } } as const) : parsed;
  });
  // One lookup for every quartet; the writes stay in order, so that within a batch the first
  // registration of a number wins and the last one for a person is kept.
  const valid = readings.flatMap((r) => (r.ok ? [r.registration] : []));
  const found = await findQualificationsForKeys(db, valid.map((r) => r.key));
  let n = 0;
  const results: RegistrationResult[] = [];
  for (const reading of readings) {
    if (!reading.ok) {
      const [first] = reading.problems;
      results.push({ ok: false, code: first!.code, element: first!.element });
      continue;
    }
    const persons = new Set(found[n++]!.map((q) => q.person.personId));
    if (persons.size !== 1) {
      results.push({ ok: false, code: persons.size === 0 ? "E6004" : "E6005" });
      continue;
    }
    const [personId] = persons;
    const saved = await saveReferenceNumber(db, { facilityCode, personId: personId!, referenceNumber: reading.registration.referenceNumber, at: now });
    results.push(saved === "saved" ? { ok: true } : { ok: false, code: "E6006", element: "ReferenceNumber" });
  }
  return results;
}

/**
 * The bulk worker's chunk processor for 照会番号一括登録 (OQSmuimm01 receptions): each row is
 * registered as of the upload's time, and its result is the status that follows the row's
 * ReferenceNumberRegistrationInfo in the OQSmuimm02res unit.
 */
export async function processRegistrationChunk(tx: Db, reception: Reception, rows: readonly PendingRow[]): Promise<RowResult[]> {
  const registrations = rows.flatMap((row) => (isTree(row.request) ? [row.request] : []));
  const registered = await registerReferenceNumbers(tx, reception.facilityCode, registrations, reception.receivedAt);
  let n = 0;
  return rows.map((row) => {
    const result: RegistrationResult = isTree(row.request) ? registered[n++]! : { ok: false, code: "E6001", element: "ReferenceNumber" };
    return { rowIndex: row.rowIndex, status: result.ok ? 1 : 2, result: registrationStatus(result) };
  });
}

/** OQSsiimm01: one registration in, its result out (SegmentOfResult 1 even when it is refused). */
export const REFERENCE_NUMBER_REGISTRATION: KindHandler<RegistrationRequest> = {
  async answer(request, { ctx, now }) {
    const { MessageHeader: header, MessageBody: body } = request.XmlMsg;
    const info = body.ReferenceNumberRegistrationInfo;
    const [result] = await registerReferenceNumbers(ctx.db, header.MedicalInstitutionCode, [info], now);
    const head = responseHeader({
      now,
      characterCode: ctx.characterCode,
      segment: Segment.Normal,
      facilityCode: header.MedicalInstitutionCode,
      arbitraryFileIdentifier: header.ArbitraryFileIdentifier || undefined,
    });
    return { message: message(head, registrationResultBody(isTree(info) ? info : {}, result!)) };
  },
  partProblems(request) {
    const at = ["MessageBody", REGISTRATION_INFO];
    return REGISTRATION_INFO_SCHEMA.check(request.XmlMsg.MessageBody.ReferenceNumberRegistrationInfo).map((p) => ({ ...p, path: [...at, ...p.path] }));
  },
};
