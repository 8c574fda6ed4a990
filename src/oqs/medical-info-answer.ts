// Builds the 薬剤情報 and 特定健診情報 answers (YZKsiquc01res, TKKsiquc01res) from a history
// already filtered by consent (services/medical-info.ts), with the element names of
// messages/medical-info.ts. Optional elements are omitted when empty, as in every answer.
import { jstTimestamp } from "../domain/dates.ts";
import { toHalfWidthKana } from "../domain/kana.ts";
import type { Checkup, DrugRecord, DrugSource, MedicalHistory, Treatment } from "../domain/medical-history.ts";
import type { PersonRecord } from "../domain/qualification.ts";
import { errorMessage, type ErrorCode } from "../errors/catalogue.ts";
import { compact, type XmlTree } from "./message-tree.ts";
import { DRUG_NAMES, ResultCodes, TREATMENT_NAMES, type DrugNames } from "./messages/medical-info.ts";
import { Segment, type CharacterCode } from "./response-builder.ts";

export interface MedicalInfoHeaderFields {
  now: Date;
  characterCode: CharacterCode;
  facilityCode?: string;
  arbitraryFileIdentifier?: string;
  error?: { code: ErrorCode; element?: string };
}

/** The answer's header before the person: the common one, then ResultCode and, on error, MessageContents. */
export function medicalInfoHeader(f: MedicalInfoHeaderFields): XmlTree {
  const message = f.error && errorMessage(f.error.code, f.error.element);
  return compact({
    ProcessExecutionTime: jstTimestamp(f.now),
    MedicalInstitutionCode: f.facilityCode,
    ArbitraryFileIdentifier: f.arbitraryFileIdentifier,
    SegmentOfResult: f.error ? Segment.Failed : Segment.Normal,
    ErrorCode: f.error?.code,
    ErrorMessage: message,
    CharacterCodeIdentifier: f.characterCode,
    ...resultElements(message),
  });
}

/** ResultCode and MessageContents: what a client of these kinds reads (spec §3). */
export function resultElements(errorText: string | undefined): XmlTree {
  return compact({ ResultCode: errorText ? ResultCodes.Failed : ResultCodes.Success, MessageContents: errorText });
}

const sex = (p: PersonRecord) => String(p.sex);

/** QuaInf of a drug answer. */
export function drugPerson(p: PersonRecord): XmlTree {
  return { QuaInf: { Name: p.name, KanaName: toHalfWidthKana(p.nameKana), Birth: p.birthdate, AdmGendCode: sex(p) } };
}

/** QualificationsInfo of a check-up answer. */
export function checkupPerson(p: PersonRecord): XmlTree {
  return { QualificationsInfo: { Name: p.name, KanasName: toHalfWidthKana(p.nameKana), Birthday: p.birthdate, AdministrativeGenderCode: sex(p) } };
}

/** A pharmacy's code has 点数表番号 4 (調剤). */
const isPharmacyCode = (code: string) => code[2] === "4";

interface DayGroup {
  dispensed: string;
  prescribed?: string;
  drugs: DrugRecord["drugs"];
  treatments: Treatment[];
}

interface MonthGroup {
  first: Pick<DrugRecord, "month" | "facility" | "prescriber" | "inpatient">;
  days: Map<string, DayGroup>;
}

/**
 * The drug answer's body. Records (and, with treatments, the 診療行為) are grouped by month,
 * facility, prescriber and 入院/外来, then by day, oldest first; `facilityCode` (the facility
 * asking) sets PrIsOrg.
 */
export function drugInfoBody(history: Pick<MedicalHistory, "drugs" | "treatments">, facilityCode: string, withTreatments: boolean): XmlTree {
  const bySource = (source: DrugSource) => history.drugs.filter((r) => r.source === source);
  const receipt = groups(bySource("receipt"), withTreatments ? history.treatments : []);
  const prescription = groups(bySource("prescription"), []);
  const dispensing = groups(bySource("dispensing"), []);
  const render = (n: DrugNames, list: MonthGroup[]) => list.map((g) => monthInf(n, g, facilityCode));
  return compact({
    [DRUG_NAMES.receipt.monthInf]: receipt.length > 0 ? render(DRUG_NAMES.receipt, receipt) : undefined,
    [DRUG_NAMES.prescription.root]: prescription.length > 0 ? { [DRUG_NAMES.prescription.monthInf]: render(DRUG_NAMES.prescription, prescription) } : undefined,
    [DRUG_NAMES.dispensing.root]: dispensing.length > 0 ? { [DRUG_NAMES.dispensing.monthInf]: render(DRUG_NAMES.dispensing, dispensing) } : undefined,
  });
}

function groups(records: DrugRecord[], treatments: Treatment[]): MonthGroup[] {
  const out = new Map<string, MonthGroup>();
  const groupOf = (first: MonthGroup["first"]) => {
    const key = [first.month, first.facility.code, first.prescriber?.code ?? "", first.inpatient].join("\u0000");
    let group = out.get(key);
    if (!group) out.set(key, (group = { first, days: new Map() }));
    return group;
  };
  const dayOf = (group: MonthGroup, dispensed: string, prescribed?: string) => {
    const key = `${dispensed}\u0000${prescribed ?? ""}`;
    let day = group.days.get(key);
    if (!day) group.days.set(key, (day = { dispensed, prescribed, drugs: [], treatments: [] }));
    return day;
  };
  for (const record of records) {
    const group = groupOf(record);
    for (const date of record.dates) dayOf(group, date.dispensed, date.prescribed).drugs.push(...record.drugs);
  }
  for (const t of treatments) dayOf(groupOf(t), t.date).treatments.push(t);
  return [...out.values()].sort((a, b) => a.first.month.localeCompare(b.first.month));
}

function monthInf(n: DrugNames, group: MonthGroup, asking: string): XmlTree {
  const { month, facility, prescriber, inpatient } = group.first;
  const own = facility.code === asking || prescriber?.code === asking;
  const days = [...group.days.values()].sort((a, b) => a.dispensed.localeCompare(b.dispensed));
  return compact({
    [n.org]: isPharmacyCode(facility.code) ? "2" : "1",
    [n.facilityCode]: facility.code,
    [n.facilityName]: facility.name,
    [n.prescriberCode]: prescriber?.code,
    [n.prescriberName]: prescriber?.name,
    [n.month]: month,
    [n.ownFacility]: own ? "1" : "2",
    [n.inOut]: inpatient ? "1" : "2",
    [n.dates]: { [n.date]: days.map((day) => dayInf(n, day)) },
  });
}

function dayInf(n: DrugNames, day: DayGroup): XmlTree {
  return compact({
    [n.dispensed]: day.dispensed,
    ...(n.prescribed ? { [n.prescribed]: day.prescribed } : {}),
    [n.drugs]:
      day.drugs.length > 0
        ? {
            [n.drug]: day.drugs.map((d) =>
              compact({
                [n.drugCode]: d.code,
                [n.drugName]: d.name,
                [n.ingredient]: d.ingredient || undefined,
                [n.quantity]: d.quantity,
                [n.unit]: d.unit || undefined,
                [n.usage]: d.usage || undefined,
                [n.instruction]: d.specialInstruction,
                [n.times]: String(d.times),
              }),
            ),
          }
        : undefined,
    [TREATMENT_NAMES.list]:
      day.treatments.length > 0
        ? {
            [TREATMENT_NAMES.item]: day.treatments.map((t) => ({
              [TREATMENT_NAMES.code]: t.code,
              [TREATMENT_NAMES.name]: t.name,
              [TREATMENT_NAMES.classification]: t.classification.code,
            })),
          }
        : undefined,
  });
}

/** The check-up answer's body: one SpecificHealthCheckupInfo per check-up, oldest first. */
export function checkupInfoBody(checkups: readonly Checkup[]): XmlTree {
  const withItems = checkups.filter((c) => c.items.length > 0);
  return compact({
    SpecificHealthCheckupInfo:
      withItems.length > 0
        ? [...withItems]
            .sort((a, b) => a.date.localeCompare(b.date))
            .map((c) => ({
              EffectiveTime: c.date,
              HealthCheckupResultAndQuestionInfos: {
                HealthCheckupResultAndQuestionInfo: c.items.map((item) =>
                  compact({
                    ItemCode: item.code,
                    ItemName: item.name,
                    DataType: item.dataType,
                    DataValue: item.value,
                    Unit: item.unit,
                    DataValueName: item.valueName,
                  }),
                ),
              },
            }))
        : undefined,
  });
}
