// 医療券 for a seeded population (docs/welfare.md): each recipient of 医療扶助 in force on the
// reference date has, for a visit that day, a 医療券 at their city's hospital and a 調剤券 at its
// first pharmacy (the facilities histories name), recorded by their office 10 days before.
import type { Db } from "../db/client.ts";
import { isoToYyyymmdd } from "../domain/dates.ts";
import { generatedTicketTerms } from "../domain/welfare.ts";
import { insertMedicalTicket } from "../store/welfare-store.ts";
import { directoryFacilitiesNear } from "./facility-directory.ts";

/** How long before the visit the office records the tickets (inside the 3–30 days window). */
const RECORDED_DAYS_BEFORE = 10;

/** Records the tickets of the population's recipients (person ids first–last); the number recorded. */
export async function seedMedicalTickets(db: Db, firstPersonId: number, lastPersonId: number, referenceDate: string): Promise<number> {
  const recipients = await db.query<{ person_id: number; qualification_id: number; insurer_number: string; address: string | null }>(
    `select q.person_id, q.qualification_id, q.insurer_number, p.address
     from qualifications q join persons p on p.person_id = q.person_id
     where q.person_id between $1 and $2 and q.insured_card_classification = 'A1'
       and q.qualification_date <= $3 and (q.disqualification_date is null or q.disqualification_date > $3)`,
    [firstPersonId, lastPersonId, referenceDate],
  );
  const visitDate = isoToYyyymmdd(referenceDate);
  const issuedAt = new Date(Date.parse(`${referenceDate}T10:00:00+09:00`) - RECORDED_DAYS_BEFORE * 86_400_000);
  let recorded = 0;
  await db.transaction(async (tx) => {
    for (const r of recipients) {
      const near = directoryFacilitiesNear(r.address);
      for (const facility of [near.find((f) => f.kind === "hospital"), near.find((f) => f.kind === "pharmacy")]) {
        if (!facility) continue;
        const stored = await insertMedicalTicket(tx, {
          personId: Number(r.person_id),
          qualificationId: Number(r.qualification_id),
          publicExpenseNumber: r.insurer_number,
          facilityCode: facility.code,
          ...generatedTicketTerms(facility.kind, visitDate),
          injuryNames: [],
          issuedAt,
        });
        if ("ticketId" in stored) recorded++;
      }
    }
  });
  return recorded;
}
