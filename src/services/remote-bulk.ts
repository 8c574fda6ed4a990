// The bulk kinds of オンライン診療 (OQSmuonq01/02), 訪問診療 (OQSmuhvq01/02) and 医療扶助 (OQSmutic01/02)
// on the two-phase machinery of 一括照会 (reception-messages.ts, bulk-worker.ts): an upload of searches
// is stored and answered with its ReceptionNumber; the worker answers each search with the persons
// it lists (a home consent for the facility that matches, docs/remote-care.md; a 医療券 for the
// facility of the 診療年月, docs/welfare.md), one BulkConfirmUnit each, as 一括照会 answers a person;
// a search that breaks its rules is one unit with ProcessingResultStatus 2.
import type { Db } from "../db/client.ts";
import { jstDate, jstTimestamp } from "../domain/dates.ts";
import { REMOTE_CATEGORIES, REMOTE_CATEGORY_NAMES, readRemoteSearch, Treatment, type RemoteSearchInfo } from "../domain/remote-consent.ts";
import { decideValidity } from "../domain/validity.ts";
import { compact, isTree, type XmlTree } from "../oqs/message-tree.ts";
import { MedicalAidSearchInfo, RemoteSearchInfo as RemoteSearchSchema } from "../oqs/messages/remote-bulk.ts";
import { compile, type LocatedProblem } from "../oqs/messages/schema.ts";
import { searchErrorBody, searchResultBody } from "../oqs/response-builder.ts";
import { findQualificationsOfPerson } from "../store/qualification-store.ts";
import type { PendingRow, Reception, RowResult, StoredRow } from "../store/reception-store.ts";
import { searchRemoteConsents, type RemoteConsent } from "../store/remote-consent-store.ts";
import { medicalTicketsOfFacilityForMonth } from "../store/welfare-store.ts";
import type { MedicalTicket } from "../domain/welfare.ts";
import { downloadHandler, uploadHandler, type ReceptionSpec } from "./reception-messages.ts";

const SEARCH = compile(RemoteSearchSchema);
const MEDICAL_AID_SEARCH = compile(MedicalAidSearchInfo);
const ROW = "QualificationConfirmSearchInfo";
const UNIT = "BulkConfirmUnit";

const rowProblems = (row: unknown): LocatedProblem[] => (isTree(row) ? SEARCH.check(row) : [{ code: "E8811", path: [] }]);
const medicalAidProblems = (row: unknown): LocatedProblem[] => (isTree(row) ? MEDICAL_AID_SEARCH.check(row) : [{ code: "E8818", path: [] }]);

/** A search's units: its error, or one per person listed; each begins with the search itself. */
function unitsOf(row: StoredRow): XmlTree[] {
  const listed = row.status === 2 ? [row.result] : (((row.result as XmlTree)[UNIT] as XmlTree[] | undefined) ?? []);
  return listed.map((unit) => ({ [ROW]: row.request, ...unit }) as XmlTree);
}

const specOf = (kind: "muonq" | "muhvq" | "mutic", problems = rowProblems): ReceptionSpec => ({ kind, rowElement: ROW, unitElement: UNIT, rowProblems: problems, unitsOf });

export const ONLINE_RECEPTION = specOf("muonq");
export const VISIT_RECEPTION = specOf("muhvq");
export const MEDICAL_AID_RECEPTION = specOf("mutic", medicalAidProblems);

export const ONLINE_BULK_UPLOAD = uploadHandler(ONLINE_RECEPTION);
export const ONLINE_BULK_RESULT = downloadHandler(ONLINE_RECEPTION);
export const VISIT_BULK_UPLOAD = uploadHandler(VISIT_RECEPTION);
export const VISIT_BULK_RESULT = downloadHandler(VISIT_RECEPTION);
export const MEDICAL_AID_BULK_UPLOAD = uploadHandler(MEDICAL_AID_RECEPTION);
export const MEDICAL_AID_BULK_RESULT = downloadHandler(MEDICAL_AID_RECEPTION);

/** The consent's categories after a listed person's result, in the bulk results' spelling. */
function consentElements(consent: RemoteConsent): XmlTree {
  return Object.fromEntries(
    REMOTE_CATEGORY_NAMES.flatMap((name) => {
      const given = consent.agreed.has(name);
      const prefix = REMOTE_CATEGORIES[name];
      return given ? [[`${prefix}ConsFlg`, "1"], [`${prefix}ConsTime`, jstTimestamp(consent.consentedAt)]] : [[`${prefix}ConsFlg`, "0"]];
    }),
  );
}

/** One listed person's unit: their qualification on `day` as 一括照会 answers it, and the consent. */
async function personUnit(tx: Db, facilityCode: string, consent: RemoteConsent, day: string): Promise<XmlTree> {
  const { records, referenceNumbers } = await findQualificationsOfPerson(tx, consent.personId, facilityCode);
  const decision = decideValidity(records, records[0]?.person.birthdate ?? "", day);
  // No 限度額・特定疾病 disclosure: those are consented to at the reader, not at home.
  const { ResultList, ...body } = searchResultBody(decision, day, false);
  const results = isTree(ResultList) ? (ResultList.ResultOfQualificationConfirmation as XmlTree[]) : [];
  return compact({
    ...body,
    ResultOfQualificationConfirmation: results.length > 0 ? results.map((r) => ({ ...r, ...consentElements(consent) })) : undefined,
    ReferenceNumber: referenceNumbers.get(consent.personId),
  });
}

/**
 * Answers a chunk of searches of the kind carrying `treatment`, on the day of the upload (Japan
 * time): each search's schema and rules first (E8810–E8815), then the persons it lists.
 */
export function remoteChunkProcessor(treatment: Treatment) {
  return async (tx: Db, reception: Reception, rows: readonly PendingRow[]): Promise<RowResult[]> => {
    const day = jstDate(reception.receivedAt);
    const results: RowResult[] = [];
    for (const { rowIndex, request } of rows) {
      const problem = rowProblems(request)[0];
      const reading = problem ? { ok: false as const, code: problem.code, element: problem.element ?? ROW } : readRemoteSearch(treatment, request as RemoteSearchInfo);
      if (!reading.ok) {
        results.push({ rowIndex, status: 2, result: searchErrorBody(reading.code, reading.element) });
        continue;
      }
      const consents = await searchRemoteConsents(tx, reception.facilityCode, reading.search, day);
      const units: XmlTree[] = [];
      for (const consent of consents) units.push(await personUnit(tx, reception.facilityCode, consent, day));
      results.push({ rowIndex, status: 1, result: units.length > 0 ? { [UNIT]: units } : {} });
    }
    return results;
  };
}

export const processOnlineChunk = remoteChunkProcessor(Treatment.Online);
export const processVisitChunk = remoteChunkProcessor(Treatment.Visit);

/**
 * OQSmutic: each search lists the persons holding a 医療券 for the facility of its 診療年月 (the
 * welfare store's query), one unit each with the qualification on the day of the upload and that
 * month's tickets (PublicExpenseResultList); E8818 for a month that is not a real YYYYMM.
 */
export async function processMedicalAidChunk(tx: Db, reception: Reception, rows: readonly PendingRow[]): Promise<RowResult[]> {
  const day = jstDate(reception.receivedAt);
  const results: RowResult[] = [];
  for (const { rowIndex, request } of rows) {
    const problem = medicalAidProblems(request)[0];
    if (problem) {
      results.push({ rowIndex, status: 2, result: searchErrorBody(problem.code, problem.element ?? ROW) });
      continue;
    }
    const month = (request as { MedicalTreatmentMonth: string }).MedicalTreatmentMonth;
    const byPerson = new Map<number, MedicalTicket[]>();
    for (const ticket of await medicalTicketsOfFacilityForMonth(tx, reception.facilityCode, month)) {
      byPerson.set(ticket.personId, [...(byPerson.get(ticket.personId) ?? []), ticket]);
    }
    const units: XmlTree[] = [];
    for (const [personId, tickets] of byPerson) {
      const { records, referenceNumbers } = await findQualificationsOfPerson(tx, personId, reception.facilityCode);
      const withTickets = records.map((q) => {
        const own = tickets.filter((t) => t.qualificationId === q.qualificationId);
        return own.length > 0 ? { ...q, medicalTickets: own } : q;
      });
      const { ResultList, ...body } = searchResultBody(decideValidity(withTickets, withTickets[0]?.person.birthdate ?? "", day), day, false);
      units.push(compact({ ...body, ResultOfQualificationConfirmation: isTree(ResultList) ? ResultList.ResultOfQualificationConfirmation : undefined, ReferenceNumber: referenceNumbers.get(personId) }));
    }
    results.push({ rowIndex, status: 1, result: units.length > 0 ? { [UNIT]: units } : {} });
  }
  return results;
}
