// A person's 薬剤・特定健診・診療・手術 history as the system shows it at an instant: derived from
// the person, their qualifications and their population's seed (src/domain/history-derivation.ts),
// within the horizons of that instant (src/domain/history-horizons.ts). Nothing of it is stored.
import type { Db } from "../db/client.ts";
import { deriveHistory, type HistoryFacilities, type HistoryProfile } from "../domain/history-derivation.ts";
import { horizonsAt, narrowHorizons } from "../domain/history-horizons.ts";
import type { MedicalHistory } from "../domain/medical-history.ts";
import { isoToYyyymmdd } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { demoHistoryProfile } from "../seed/demo.ts";
import { directoryFacilitiesNear } from "../seed/facility-directory.ts";
import { loadFacilities, loadHistorySource, type FacilityRow } from "../store/medical-history-store.ts";

export interface HistoryOptions {
  /** The instant the history is read at: what is visible then. */
  at: Date;
  /** StartDate: the first month asked for (YYYYMM), included. */
  fromMonth?: string;
  /** EndDate: the last month asked for (YYYYMM), included. */
  toMonth?: string;
}

/** The seed of persons outside every recorded population (loaded by other means). */
const NO_POPULATION_SEED = 0;

export async function readMedicalHistory(db: Db, personId: number, options: HistoryOptions): Promise<MedicalHistory> {
  checkMonth(options.fromMonth, "StartDate");
  checkMonth(options.toMonth, "EndDate");
  if (options.fromMonth && options.toMonth && options.fromMonth > options.toMonth) throw new OqsError("E9311");
  const source = await loadHistorySource(db, personId);
  if (!source) throw new OqsError("E9204", String(personId));
  const population = source.population;
  const codes = population?.facilityCodes ?? directoryFacilitiesNear(source.address).map((f) => f.code);
  const profile: HistoryProfile | undefined = population?.kind === "demo" ? demoHistoryProfile(personId - population.firstPersonId) : undefined;
  const horizons = narrowHorizons(horizonsAt(options.at), options.fromMonth, options.toMonth);
  return deriveHistory(
    {
      personId,
      seed: population?.seed ?? NO_POPULATION_SEED,
      sex: source.sex,
      birthdate: isoToYyyymmdd(source.birthdate),
      coverage: source.coverage.map((c) => ({ from: isoToYyyymmdd(c.from), until: c.until === null ? null : isoToYyyymmdd(c.until), kind: c.kind })),
      dialysisFrom: source.dialysisFrom === null ? null : isoToYyyymmdd(source.dialysisFrom),
      facilities: byKind(await loadFacilities(db, codes)),
      profile,
    },
    horizons,
  );
}

function checkMonth(month: string | undefined, element: string): void {
  if (month === undefined) return;
  if (!/^[0-9]{6}$/.test(month) || Number(month.slice(4)) < 1 || Number(month.slice(4)) > 12) throw new OqsError("E9310", element);
}

function byKind(rows: readonly FacilityRow[]): HistoryFacilities {
  const ref = (r: FacilityRow) => ({ code: r.code, name: r.name });
  return {
    hospitals: rows.filter((r) => r.kind === "hospital").map(ref),
    clinics: rows.filter((r) => r.kind === "medical_clinic").map(ref),
    pharmacies: rows.filter((r) => r.kind === "pharmacy").map(ref),
  };
}
