// 災害時医療情報閲覧's search (spec §6): during a declaration naming the facility's municipality,
// find a patient without the card, by 保険者番号・記号・番号・生年月日 (「資格確認書等による検索」) or by
// 氏名・生年月日・性別 and optionally 住所 (「氏名、住所等による検索」). What is typed is read in any width
// (NFKC), カナ in 全角, 半角 or ひらがな, 漢字 as written, spaces ignored; one page of 20 at a time.
// Outside the period or the area the search is refused (E8210) before anything is read.
import type { Db } from "../db/client.ts";
import { isValidYyyymmdd, yyyymmddToIso } from "../domain/dates.ts";
import { parseInsurerNumber } from "../domain/insurer-number.ts";
import { storedKana } from "../domain/kana.ts";
import { OqsError } from "../errors/catalogue.ts";
import { findPersons, type PersonCriteria, type PersonMatch } from "../store/person-search-store.ts";
import { activeDeclarationFor, type Declaration } from "./disaster.ts";

/** The fields as the terminal's form sends them. */
export interface TypedDisasterSearch {
  insurer?: string;
  symbol?: string;
  number?: string;
  branch?: string;
  birthdate?: string;
  name?: string;
  /** 1 男, 2 女 (or 男, 女). */
  sex?: string;
  address?: string;
  /** From 1. */
  page?: string | number;
}

export const DISASTER_PAGE_SIZE = 20;
export const MAX_DISASTER_PAGE = 50;
/** As the WebAPI bounds 記号 and 番号 (src/oqs/messages/fields.ts). */
const MAX_KEY_LENGTH = 38;
const MAX_NAME_LENGTH = 50;
const MAX_ADDRESS_LENGTH = 100;

export interface DisasterSearch {
  mode: "card" | "name";
  criteria: PersonCriteria;
  page: number;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";
const bare = (value: string) => value.normalize("NFKC").replace(/\s/g, "");
const hasControl = (value: string) => /\p{Cc}/u.test(value);

/** The typed search in the stored form, or the OqsError (E8212–E8218, E8221) naming the field at fault. */
export function readDisasterSearch(typed: TypedDisasterSearch): DisasterSearch {
  const byCard = present(typed.insurer) || present(typed.symbol) || present(typed.number);
  const required = byCard ? (["insurer", "number", "birthdate"] as const) : (["name", "birthdate", "sex"] as const);
  const missing = required.filter((field) => !present(typed[field]));
  if (missing.length > 0) throw new OqsError("E8212", missing.join(", "));
  const criteria: PersonCriteria = {};
  const date = bare(typed.birthdate!).replaceAll("-", "").replaceAll("/", "");
  if (!isValidYyyymmdd(date)) throw new OqsError("E8215", typed.birthdate);
  criteria.birthdate = yyyymmddToIso(date);
  if (byCard) {
    const insurer = parseInsurerNumber(bare(typed.insurer!));
    if (!insurer.ok) throw new OqsError("E8213", typed.insurer);
    criteria.insurerNumber = insurer.value;
    for (const field of ["symbol", "number", "branch"] as const) {
      if (!present(typed[field])) continue;
      const value = typed[field]!.normalize("NFKC").trim();
      const ok = field === "branch" ? /^[0-9]{2}$/.test(value) : [...value].length <= MAX_KEY_LENGTH && !hasControl(value);
      if (!ok) throw new OqsError("E8214", field);
      criteria[field] = value;
    }
  } else {
    const name = bare(typed.name!);
    if ([...name].length > MAX_NAME_LENGTH || hasControl(name)) throw new OqsError("E8216");
    const kana = storedKana(name);
    if (kana !== undefined) criteria.fullKana = kana.replaceAll("　", "");
    else criteria.fullName = name;
    const sex = { "1": 1, "2": 2, 男: 1, 女: 2 }[bare(typed.sex!)] as 1 | 2 | undefined;
    if (sex === undefined) throw new OqsError("E8217", typed.sex);
    criteria.sex = sex;
    if (present(typed.address)) {
      const address = bare(typed.address);
      if ([...address].length > MAX_ADDRESS_LENGTH || hasControl(address)) throw new OqsError("E8218");
      criteria.addressPart = address;
    }
  }
  const page = typed.page === undefined || typed.page === "" ? 1 : Number(typeof typed.page === "string" ? bare(typed.page) : typed.page);
  if (!Number.isInteger(page) || page < 1 || page > MAX_DISASTER_PAGE) throw new OqsError("E8221", String(typed.page));
  return { mode: byCard ? "card" : "name", criteria, page };
}

export interface DisasterSearchPage {
  declaration: { id: number; name: string; endsAt: string };
  /** One per qualification, as 資格確認 asks with it: 保険者番号, 記号, 番号, 枝番. */
  matches: PersonMatch[];
  page: number;
  /** Whether the next page has matches. */
  more: boolean;
}

/** The declaration the facility may view under now, or E8210. */
export async function requireDeclaration(db: Db, facilityCode: string, at: Date): Promise<Declaration> {
  const declaration = await activeDeclarationFor(db, facilityCode, at);
  if (!declaration) throw new OqsError("E8210");
  return declaration;
}

export async function searchForDisaster(db: Db, request: { facilityCode: string; at: Date; search: TypedDisasterSearch }): Promise<DisasterSearchPage> {
  // Unusable outside a declaration, whatever is typed.
  const declaration = await requireDeclaration(db, request.facilityCode, request.at);
  const search = readDisasterSearch(request.search);
  // One row past the page tells whether more matched, without counting them all.
  const rows = await findPersons(db, search.criteria, DISASTER_PAGE_SIZE + 1, (search.page - 1) * DISASTER_PAGE_SIZE);
  return {
    declaration: { id: declaration.id, name: declaration.name, endsAt: declaration.endsAt.toISOString() },
    matches: rows.slice(0, DISASTER_PAGE_SIZE),
    page: search.page,
    more: rows.length > DISASTER_PAGE_SIZE,
  };
}
