// 医療扶助 as migration 018 keeps it: the 福祉事務所 (an insurers row of kind other with its
// credential) and the 医療券・調剤券 recorded for a recipient's qualification and a facility.
import type { Db } from "../db/client.ts";
import { isoToYyyymmdd, yyyymmddToIso } from "../domain/dates.ts";
import type { MedicalTicket, TicketType, TreatmentType } from "../domain/welfare.ts";

export interface WelfareOffice {
  publicExpenseNumber: string;
  name: string;
  prefecture: number;
  municipalityCode: string | null;
}

/** Registers an office (and its insurers row); registering it again changes nothing. */
export async function registerWelfareOffice(db: Db, office: WelfareOffice): Promise<void> {
  await db.query(
    `insert into insurers (insurer_number, name, kind, prefecture) values ($1, $2, 'other', $3) on conflict (insurer_number) do nothing`,
    [office.publicExpenseNumber, office.name, office.prefecture],
  );
  await db.query(
    "insert into welfare_offices (public_expense_number, municipality_code) values ($1, $2) on conflict (public_expense_number) do nothing",
    [office.publicExpenseNumber, office.municipalityCode],
  );
}

/** Registers offices whose insurers rows exist (a seed's catalogue), without a credential; those already there are kept. */
export async function insertWelfareOffices(db: Db, publicExpenseNumbers: readonly string[]): Promise<void> {
  await db.query("insert into welfare_offices (public_expense_number) select unnest($1::text[]) on conflict do nothing", [publicExpenseNumbers]);
}

/** The office's name and credential hash (null: no credential issued); undefined when no such office. */
export async function welfareOfficeAccount(db: Db, publicExpenseNumber: string): Promise<{ name: string; credentialHash: string | null } | undefined> {
  const [row] = await db.query<{ name: string; credential_hash: string | null }>(
    `select i.name, w.credential_hash from welfare_offices w join insurers i on i.insurer_number = w.public_expense_number
     where w.public_expense_number = $1`,
    [publicExpenseNumber],
  );
  return row && { name: row.name, credentialHash: row.credential_hash };
}

/** Replaces the office's credential hash; false when no such office. */
export async function setWelfareOfficeCredential(db: Db, publicExpenseNumber: string, credentialHash: string): Promise<boolean> {
  const rows = await db.query("update welfare_offices set credential_hash = $2 where public_expense_number = $1 returning 1", [publicExpenseNumber, credentialHash]);
  return rows.length > 0;
}

/** The office's recipient with this 受給者番号 qualified on the day (YYYYMMDD), if any. */
export async function findRecipient(
  db: Db,
  publicExpenseNumber: string,
  recipientNumber: string,
  date: string,
): Promise<{ qualificationId: number; personId: number } | undefined> {
  const [row] = await db.query<{ qualification_id: number; person_id: number }>(
    `select qualification_id, person_id from qualifications
     where insurer_number = $1 and insured_identification_number = $2
       and qualification_date <= $3 and (disqualification_date is null or disqualification_date > $3)
     order by qualification_date desc limit 1`,
    [publicExpenseNumber, recipientNumber, yyyymmddToIso(date)],
  );
  return row && { qualificationId: Number(row.qualification_id), personId: Number(row.person_id) };
}

export interface NewMedicalTicket {
  personId: number;
  qualificationId: number;
  publicExpenseNumber: string;
  facilityCode: string;
  ticketType: TicketType;
  treatmentType: TreatmentType;
  treatmentMonth: string;
  visitDate: string;
  validFrom: string;
  validTo: string;
  selfPayAmount: number;
  injuryNames: readonly string[];
  issuedAt: Date;
}

/**
 * Records a ticket: its 交付番号 (ticket id), or `existing` with the id of the ticket already
 * recorded for the same qualification, facility and 診療年月 (nothing is changed then).
 */
export async function insertMedicalTicket(db: Db, t: NewMedicalTicket): Promise<{ ticketId: number } | { existing: number }> {
  const [row] = await db.query<{ ticket_id: number }>(
    `insert into medical_tickets (person_id, qualification_id, public_expense_number, medical_institution_code, ticket_type,
       treatment_type, treatment_month, visit_date, valid_from, valid_to, self_pay_amount, injury_name_1, injury_name_2,
       injury_name_3, issued_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (qualification_id, medical_institution_code, treatment_month) do nothing
     returning ticket_id`,
    [
      t.personId,
      t.qualificationId,
      t.publicExpenseNumber,
      t.facilityCode,
      t.ticketType,
      t.treatmentType,
      t.treatmentMonth,
      yyyymmddToIso(t.visitDate),
      yyyymmddToIso(t.validFrom),
      yyyymmddToIso(t.validTo),
      t.selfPayAmount,
      t.injuryNames[0] ?? null,
      t.injuryNames[1] ?? null,
      t.injuryNames[2] ?? null,
      t.issuedAt.toISOString(),
    ],
  );
  if (row) return { ticketId: Number(row.ticket_id) };
  const [existing] = await db.query<{ ticket_id: number }>(
    "select ticket_id from medical_tickets where qualification_id = $1 and medical_institution_code = $2 and treatment_month = $3",
    [t.qualificationId, t.facilityCode, t.treatmentMonth],
  );
  return { existing: Number(existing!.ticket_id) };
}

const TICKET_COLUMNS = `t.ticket_id, t.person_id, t.qualification_id, t.public_expense_number, t.medical_institution_code,
  f.name as facility_name, t.ticket_type, t.treatment_type, t.treatment_month, t.visit_date, t.valid_from, t.valid_to,
  t.self_pay_amount, t.injury_name_1, t.injury_name_2, t.injury_name_3`;

type Row = Record<string, unknown>;

function toTicket(r: Row): MedicalTicket {
  return {
    ticketId: Number(r.ticket_id),
    personId: Number(r.person_id),
    qualificationId: Number(r.qualification_id),
    publicExpenseNumber: r.public_expense_number as string,
    facilityCode: r.medical_institution_code as string,
    facilityName: r.facility_name as string,
    ticketType: r.ticket_type as TicketType,
    treatmentType: r.treatment_type as TreatmentType,
    treatmentMonth: r.treatment_month as string,
    visitDate: isoToYyyymmdd(r.visit_date as string),
    validFrom: isoToYyyymmdd(r.valid_from as string),
    validTo: isoToYyyymmdd(r.valid_to as string),
    selfPayAmount: Number(r.self_pay_amount),
    injuryNames: [r.injury_name_1, r.injury_name_2, r.injury_name_3].filter((n): n is string => typeof n === "string"),
  };
}

/** A person's tickets at a facility in force on a day (YYYYMMDD): what a card check there shows. */
export async function medicalTicketsOfPerson(db: Db, personId: number, facilityCode: string, date: string): Promise<MedicalTicket[]> {
  const rows = await db.query<Row>(
    `select ${TICKET_COLUMNS} from medical_tickets t join facilities f on f.medical_institution_code = t.medical_institution_code
     where t.person_id = $1 and t.medical_institution_code = $2 and t.valid_from <= $3 and t.valid_to >= $3
     order by t.ticket_id`,
    [personId, facilityCode, yyyymmddToIso(date)],
  );
  return rows.map(toTicket);
}

/**
 * A facility's tickets of a 診療年月 (YYYYMM), by person then 交付番号: what 医療扶助の一括照会
 * (OQSmutic, keyed by MedicalTreatmentMonth) answers for. Only the facility's own tickets.
 */
export async function medicalTicketsOfFacilityForMonth(db: Db, facilityCode: string, treatmentMonth: string): Promise<MedicalTicket[]> {
  const rows = await db.query<Row>(
    `select ${TICKET_COLUMNS} from medical_tickets t join facilities f on f.medical_institution_code = t.medical_institution_code
     where t.medical_institution_code = $1 and t.treatment_month = $2
     order by t.person_id, t.ticket_id`,
    [facilityCode, treatmentMonth],
  );
  return rows.map(toTicket);
}
