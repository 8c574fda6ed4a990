// 災害時医療情報閲覧's search (spec §6): during a declaration naming the facility's municipality,
// find a patient without the card, by 保険者番号・記号・番号・生年月日 (「資格確認書等による検索」) or by
// 氏名・生年月日・性別 and optionally 住所 (「氏名、住所等による検索」). What is typed is read in any width
// (NFKC), カナ in 全角, 半角 or ひらがな, 漢字 as written, spaces ignored; one page of 20 at a time.
// Outside the period or the area the search is refused (E8210) before anything is read. A match is
// then opened as a PDF with the consent chosen, through the same rules and audit as a view on
// consent (medical-info.ts), on the disaster basis.
import type { Db } from "../db/client.ts";
import type { AuditActor } from "../domain/audit.ts";
import { isValidYyyymmdd, yyyymmddToIso } from "../domain/dates.ts";
import { parseInsurerNumber } from "../domain/insurer-number.ts";
import { storedKana } from "../domain/kana.ts";
import { OqsError } from "../errors/catalogue.ts";
import { findPersons, type PersonCriteria, type PersonMatch } from "../store/person-search-store.ts";
import type { MedicalInfoCategory } from "../domain/medical-history.ts";
import { activeDeclarationFor, type Declaration } from "./disaster.ts";
import { viewMedicalInfo } from "./medical-info.ts";
import { checkupPdf, drugInfoPdf } from "./medical-pdf.ts";

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

/** The documents the screen offers, each a PDF, and the categories each one shows. */
export const DISASTER_DOCUMENTS = {
  drugs: { label: "薬剤情報", categories: ["pharmacists"] },
  drugsAndTreatments: { label: "薬剤情報・診療情報", categories: ["pharmacists", "diagnosis", "operation"] },
  checkups: { label: "特定健診情報", categories: ["specificHealthCheckups"] },
} as const satisfies Record<string, { label: string; categories: readonly MedicalInfoCategory[] }>;
export type DisasterDocument = keyof typeof DISASTER_DOCUMENTS;

/** 同意あり (口頭) in principle; 同意なし only when the patient cannot express intent. */
export const DISASTER_CONSENTS = { oral: "同意あり (口頭)", none: "同意なし (本人が意思を表示できない)" } as const;
export type DisasterConsent = keyof typeof DISASTER_CONSENTS;

export interface DisasterViewRequest {
  facilityCode: string;
  at: Date;
  personId: number;
  consent: string;
  document: string;
  actor: AuditActor;
}

// Refusals that would tell a person who is not there from one whose information is not held: one answer.
const NOT_SHOWN = new Set(["E8100", "E8104", "E8105", "E8106"]);

/**
 * A patient's document as a PDF, under the declaration in force for the facility: E8210 outside
 * it, E8211 for no such person and for one whose qualifications hold no information alike. The
 * view, shown or refused by the rules, is audited as disaster access by viewMedicalInfo (channel
 * terminal, basis the declaration and the consent chosen) and so is in the patient's 閲覧履歴.
 */
export async function viewForDisaster(db: Db, request: DisasterViewRequest): Promise<{ pdf: Buffer; declarationId: number; document: DisasterDocument }> {
  const declaration = await requireDeclaration(db, request.facilityCode, request.at);
  if (!Object.hasOwn(DISASTER_CONSENTS, request.consent)) throw new OqsError("E8219", request.consent);
  if (!Object.hasOwn(DISASTER_DOCUMENTS, request.document)) throw new OqsError("E8220", request.document);
  const document = request.document as DisasterDocument;
  const asOf = request.at;
  try {
    const view = await viewMedicalInfo(db, {
      facilityCode: request.facilityCode,
      personId: request.personId,
      categories: [...DISASTER_DOCUMENTS[document].categories],
      actor: request.actor,
      channel: "terminal",
      basis: { kind: "disaster", declarationId: declaration.id, consent: request.consent as DisasterConsent },
      at: request.at,
      render: ({ person, history }) => {
        const pdfPerson = { name: person.name, kana: person.nameKana, birthdate: person.birthdate.replaceAll("-", ""), sex: person.sex };
        return document === "checkups"
          ? checkupPdf({ person: pdfPerson, checkups: history.checkups, asOf })
          : drugInfoPdf({ person: pdfPerson, history, asOf, withTreatments: document === "drugsAndTreatments" });
      },
    });
    return { pdf: view.document!, declarationId: declaration.id, document };
  } catch (error) {
    if (error instanceof OqsError && NOT_SHOWN.has(error.code)) throw new OqsError("E8211");
    throw error;
  }
}
