// Disaster declarations (災害時医療情報閲覧, 緊急時医療情報・資格確認機能): 厚生労働省保険局 names
// municipalities and a period; facilities located there may then view patients' medical
// information without a card (disaster-search.ts). Declaring, extending and ending are the
// operator's commands (`onshi disaster`), each recording who did it; no route of a facility can.
//
// Periods are read in Japan time: a date alone starts at 00:00 of that day and, as an end, includes
// the whole day (the period is [start, end) with end = 00:00 of the next day); a date and time
// (YYYY-MM-DDTHH:MM) is that minute.
import type { Db } from "../db/client.ts";
import { isValidYyyymmdd } from "../domain/dates.ts";
import { municipalityByCode, codesCovering } from "../domain/municipalities.ts";
import { MUNICIPALITY_CODE_PROBLEMS, municipalityCodeProblem } from "../domain/municipality-code.ts";
import { OqsError } from "../errors/catalogue.ts";
import { changeEnd, declarationInForce, facilityMunicipality, findDeclaration, insertDeclaration, listDeclarations, type Declaration } from "../store/disaster-store.ts";

export type { Declaration } from "../store/disaster-store.ts";

/** As typed: the CLI's flags, or the admin operation's input. */
export interface TypedDeclaration {
  name: string;
  municipalities: string[];
  from: string;
  to: string;
  by: string;
}

/** One declaration names at most this many municipalities (令和6年能登半島地震: 47). */
export const MAX_DECLARATION_MUNICIPALITIES = 300;
const MAX_TEXT = 100;
/** How many declarations a list shows. */
export const LIST_LIMIT = 100;

const text = (value: string) => value.normalize("NFKC").trim();
const validText = (value: string) => value.length >= 1 && [...value].length <= MAX_TEXT && !/\p{Cc}/u.test(value);

/** The operator's name (--by): who declared or changed a declaration. */
export function readOperator(by: string): string {
  const value = text(by);
  if (!validText(value)) throw new OqsError("E8205", by);
  return value;
}

/** A JST date (YYYY-MM-DD, or YYYYMMDD) or date and minute (YYYY-MM-DDTHH:MM) as an instant; `end` reads a date alone as the end of that day. */
export function readJstTime(value: string, as: "start" | "end"): Date {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(value.normalize("NFKC").trim());
  if (!m || !isValidYyyymmdd(m[1]! + m[2]! + m[3]!) || (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59))) throw new OqsError("E8203", value);
  const instant = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? "00"}:${m[5] ?? "00"}:00+09:00`);
  return m[4] === undefined && as === "end" ? new Date(instant.getTime() + 86_400_000) : instant;
}

export interface DeclarationInput {
  name: string;
  municipalityCodes: string[];
  startsAt: Date;
  endsAt: Date;
  declaredBy: string;
}

/** The typed declaration checked (E8200–E8205, E8209): what the CLI checks before opening the database, and the operation again. */
export function readDeclaration(typed: TypedDeclaration): DeclarationInput {
  const name = text(typed.name);
  if (!validText(name)) throw new OqsError("E8200", typed.name);
  const codes = [...new Set(typed.municipalities.flatMap((m) => m.split(/[,\s、，]+/)).map((c) => c.normalize("NFKC")).filter((c) => c !== ""))];
  if (codes.length === 0 || codes.length > MAX_DECLARATION_MUNICIPALITIES) throw new OqsError("E8209", String(codes.length));
  for (const code of codes) {
    const problem = municipalityCodeProblem(code);
    if (problem) throw new OqsError("E8201", `${code}: ${MUNICIPALITY_CODE_PROBLEMS[problem]}`);
    if (!municipalityByCode(code)) throw new OqsError("E8202", code);
  }
  const startsAt = readJstTime(typed.from, "start");
  const endsAt = readJstTime(typed.to, "end");
  if (endsAt <= startsAt) throw new OqsError("E8204", `${typed.from} 〜 ${typed.to}`);
  return { name, municipalityCodes: codes.sort(), startsAt, endsAt, declaredBy: readOperator(typed.by) };
}

export async function declareDisaster(db: Db, typed: TypedDeclaration, now: Date): Promise<Declaration> {
  const input = readDeclaration(typed);
  return db.transaction(async (tx) => {
    const id = await insertDeclaration(tx, { ...input, declaredAt: now });
    return (await findDeclaration(tx, id))!;
  });
}

async function lockedDeclaration(tx: Db, id: number): Promise<Declaration> {
  const declaration = Number.isSafeInteger(id) && id > 0 ? await findDeclaration(tx, id, true) : undefined;
  if (!declaration) throw new OqsError("E8206", String(id));
  return declaration;
}

/** Moves the end later (延長): only of a declaration still in force or to come. */
export async function extendDisaster(db: Db, input: { id: number; to: string; by: string }, now: Date): Promise<Declaration> {
  const newEnd = readJstTime(input.to, "end");
  const by = readOperator(input.by);
  return db.transaction(async (tx) => {
    const d = await lockedDeclaration(tx, input.id);
    if (d.endsAt <= now) throw new OqsError("E8208", String(d.id));
    if (newEnd <= d.endsAt) throw new OqsError("E8207", input.to);
    await changeEnd(tx, d.id, { kind: "extend", changedAt: now, changedBy: by, previousEnd: d.endsAt, newEnd });
    return (await findDeclaration(tx, d.id))!;
  });
}

/** Ends a declaration early, at `at` (now by default); one not begun yet is ended at its start (an empty period). */
export async function endDisaster(db: Db, input: { id: number; by: string; at?: string }, now: Date): Promise<Declaration> {
  const at = input.at === undefined ? now : readJstTime(input.at, "start");
  const by = readOperator(input.by);
  return db.transaction(async (tx) => {
    const d = await lockedDeclaration(tx, input.id);
    if (d.endsAt <= now || d.endsAt <= at) throw new OqsError("E8208", String(d.id));
    const newEnd = at < d.startsAt ? d.startsAt : at;
    await changeEnd(tx, d.id, { kind: "end", changedAt: now, changedBy: by, previousEnd: d.endsAt, newEnd });
    return (await findDeclaration(tx, d.id))!;
  });
}

/** Declarations in force or to come at `now`, or all of them; newest start first, at most LIST_LIMIT. */
export function listDisasters(db: Db, options: { now: Date; all: boolean }): Promise<Declaration[]> {
  return listDeclarations(db, { notEndedAt: options.all ? undefined : options.now, limit: LIST_LIMIT });
}

/**
 * The declaration under which the facility may view without a card at `at`: in force then, naming
 * the facility's municipality or (for a ward) its city. Undefined for a facility of unknown place,
 * and for one that is not registered.
 */
export async function activeDeclarationFor(db: Db, facilityCode: string, at: Date): Promise<Declaration | undefined> {
  const code = await facilityMunicipality(db, facilityCode);
  if (!code) return undefined;
  return declarationInForce(db, codesCovering(code), at);
}

/** A declaration as the CLI and the routes show it: instants as ISO strings, municipalities named. */
export interface DeclarationView {
  id: number;
  name: string;
  municipalities: { code: string; name: string }[];
  startsAt: string;
  endsAt: string;
  declaredBy: string;
  declaredAt: string;
  changes: { kind: "extend" | "end"; changedAt: string; changedBy: string; previousEnd: string; newEnd: string }[];
}

export function declarationView(d: Declaration): DeclarationView {
  return {
    id: d.id,
    name: d.name,
    municipalities: d.municipalityCodes.map((code) => {
      const m = municipalityByCode(code);
      return { code, name: m ? m.prefecture + m.name : "" };
    }),
    startsAt: d.startsAt.toISOString(),
    endsAt: d.endsAt.toISOString(),
    declaredBy: d.declaredBy,
    declaredAt: d.declaredAt.toISOString(),
    changes: d.changes.map((c) => ({ kind: c.kind, changedAt: c.changedAt.toISOString(), changedBy: c.changedBy, previousEnd: c.previousEnd.toISOString(), newEnd: c.newEnd.toISOString() })),
  };
}
