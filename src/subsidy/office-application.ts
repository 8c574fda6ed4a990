// One application to the subsidy office, checked and calculated without a database: the shape
// (E9513), the facility profile (the engine's own validation, E9102), the programme (E9103), the
// period and the completion of the work (application-periods.ts), then the engine's answer at the
// application date kept with its reasons and sources. The 取りまとめ者's batch checks each line
// with this same function.
import { CASE_KINDS, type CaseKind } from "./case-states.ts";
import { OqsError } from "../errors/catalogue.ts";
import { facilityCodeProblem } from "../domain/facility-code.ts";
import { applicationPeriod, periodRefusal, unknownLimits, type ApplicationPeriod } from "./application-periods.ts";
import { calculate, type ProgramModule, type SubsidyResult } from "./engine.ts";
import { PROGRAM_IDS, loadPrograms } from "./program-data.ts";
import { ProfileError, validateProfile, type FacilityProfile } from "./profile.ts";

export interface ApplicationInput {
  facilityCode: string;
  program: string;
  /** Default: a subsidy application. */
  kind?: CaseKind;
  /** The facility's facts and the project applied for (src/subsidy/profile.ts). */
  profile: unknown;
}

/** What the case keeps of the engine's answer (the examiner sees it beside the application), with the day it was calculated at. */
export type CaseCalculation = Omit<SubsidyResult, "program" | "project"> & { at: string };

export interface PreparedApplication {
  facilityCode: string;
  program: string;
  kind: CaseKind;
  /** As stored: the profile with the application date set on its project, the project's index, the period. */
  application: { profile: FacilityProfile; project: number; appliedOn: string; period: ApplicationPeriod; unknown: string[] };
  calculation: CaseCalculation;
  requestedYen: number | null;
  requestedReaders: number | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The profile checked as the engine checks it, its error carried as the office's coded error. */
function checkedProfile(input: unknown): FacilityProfile {
  try {
    return validateProfile(structuredClone(input));
  } catch (error) {
    if (error instanceof ProfileError) throw new OqsError("E9102", `profile.${error.field}: ${error.rule}`);
    throw error;
  }
}

/**
 * Checks an application received on `appliedOn` (the office's date, set on the project: appliedOn
 * for a subsidy, readerAppliedOn for a reader provision request) and calculates it. Exactly one
 * project of the programme is applied for; a reader provision request may give none.
 */
export function prepareApplication(input: unknown, appliedOn: string, programs: readonly ProgramModule[] = loadPrograms()): PreparedApplication {
  if (!isObject(input)) throw new OqsError("E9513", "(全体)");
  const { facilityCode, program, kind = "application" } = input;
  if (typeof facilityCode !== "string" || facilityCodeProblem(facilityCode)) throw new OqsError("E9513", "facilityCode");
  if (typeof program !== "string" || !(PROGRAM_IDS as readonly string[]).includes(program)) throw new OqsError("E9103", String(program));
  if (typeof kind !== "string" || !(CASE_KINDS as readonly string[]).includes(kind)) throw new OqsError("E9513", "kind");
  const caseKind = kind as CaseKind;
  if (!isObject(input.profile)) throw new OqsError("E9513", "profile");
  const profile = checkedProfile(input.profile);
  profile.projects ??= [];
  let index = profile.projects.findIndex((p) => p.program === program);
  if (index >= 0 && profile.projects.findIndex((p, i) => i > index && p.program === program) >= 0) throw new OqsError("E9513", `profile.projects: ${program} の事業は1件で申請してください`);
  if (index < 0) {
    if (caseKind === "application") throw new OqsError("E9513", `profile.projects: ${program} の事業がありません`);
    index = profile.projects.push({ program }) - 1;
  }
  const project = profile.projects[index]!;
  if (caseKind === "reader_request") project.readerAppliedOn = appliedOn;
  else project.appliedOn = appliedOn;

  const period = applicationPeriod(program, caseKind, project);
  const refusal = periodRefusal(period, appliedOn, project);
  if (refusal) throw new OqsError(refusal.code, refusal.detail);

  const results = calculate(profile, appliedOn, programs, program).results;
  const result: SubsidyResult = results.find((r) => r.project === index) ?? results[0]!;
  const { program: _program, project: _project, ...answer } = result;
  const calculation: CaseCalculation = { at: appliedOn, ...answer };
  const readersFree = result.details?.readersFree;
  return {
    facilityCode,
    program,
    kind: caseKind,
    application: { profile, project: index, appliedOn, period, unknown: unknownLimits(period) },
    calculation,
    // A reader provision request asks for readers, not yen: the engine's readers provided free.
    requestedYen: caseKind === "reader_request" ? 0 : result.amount,
    requestedReaders: caseKind === "reader_request" ? (typeof readersFree === "number" ? readersFree : null) : null,
  };
}
