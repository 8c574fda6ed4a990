// `onshi persons find`: what a person types (カナ in any width, dates with or without dashes,
// full-width digits) read into the stored form, then at most one page of matches, saying whether
// more matched.
import type { Db } from "../db/client.ts";
import { isValidYyyymmdd, yyyymmddToIso } from "../domain/dates.ts";
import { parseInsurerNumber, type InsurerNumberProblem } from "../domain/insurer-number.ts";
import { storedKana } from "../domain/kana.ts";
import { OqsError } from "../errors/catalogue.ts";
import { findPersons as findInStore, type PersonCriteria, type PersonMatch } from "../store/person-search-store.ts";

export const DEFAULT_FIND_LIMIT = 20;
/** A page: more is never printed; a wider search is narrowed instead. */
export const MAX_FIND_LIMIT = 100;
/** As the WebAPI bounds 記号 and 番号 (src/oqs/messages/fields.ts). */
const MAX_KEY_LENGTH = 38;

/** The criteria as typed (the CLI's flags). */
export interface TypedCriteria {
  kana?: string;
  birthdate?: string;
  insurer?: string;
  symbol?: string;
  number?: string;
  branch?: string;
  limit?: string;
}

export interface PersonQuery {
  criteria: PersonCriteria;
  limit: number;
}

const INSURER_PROBLEMS: Record<InsurerNumberProblem, string> = { length: "6桁または8桁", digits: "数字以外の文字", checkDigit: "検証番号" };

/** The typed criteria in the stored form, or the OqsError (E9240–E9245) naming the one at fault. */
export function readPersonQuery(typed: TypedCriteria): PersonQuery {
  const criteria: PersonCriteria = {};
  if (typed.kana !== undefined) {
    const kana = storedKana(typed.kana);
    if (kana === undefined) throw new OqsError("E9241", `--kana ${typed.kana}`);
    criteria.kanaPrefix = kana;
  }
  if (typed.birthdate !== undefined) {
    const date = typed.birthdate.normalize("NFKC").replaceAll("-", "");
    if (!isValidYyyymmdd(date)) throw new OqsError("E9242", `--birthdate ${typed.birthdate}`);
    criteria.birthdate = yyyymmddToIso(date);
  }
  if (typed.insurer !== undefined) {
    const insurer = parseInsurerNumber(typed.insurer.normalize("NFKC"));
    if (!insurer.ok) throw new OqsError("E9243", `--insurer ${typed.insurer}: ${INSURER_PROBLEMS[insurer.problem]}`);
    criteria.insurerNumber = insurer.value;
  }
  for (const flag of ["symbol", "number", "branch"] as const) {
    const raw = typed[flag];
    if (raw === undefined) continue;
    const value = raw.normalize("NFKC").trim();
    const ok = flag === "branch" ? /^[0-9]{2}$/.test(value) : value.length >= 1 && value.length <= MAX_KEY_LENGTH && !/\p{Cc}/u.test(value);
    if (!ok) throw new OqsError("E9244", `--${flag} ${raw}`);
    criteria[flag] = value;
  }
  if (Object.keys(criteria).length === 0) throw new OqsError("E9240");
  const limit = typed.limit === undefined ? DEFAULT_FIND_LIMIT : Number(typed.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FIND_LIMIT) throw new OqsError("E9245", `--limit ${typed.limit}`);
  return { criteria, limit };
}

export interface PersonPage {
  matches: PersonMatch[];
  /** Whether more than the page matched. */
  more: boolean;
  limit: number;
}

export async function findPersons(db: Db, query: PersonQuery): Promise<PersonPage> {
  // One row past the page tells whether more matched, without counting them all.
  const rows = await findInStore(db, query.criteria, query.limit + 1);
  return { matches: rows.slice(0, query.limit), more: rows.length > query.limit, limit: query.limit };
}
