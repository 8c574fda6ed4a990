// The patient's consent at home for オンライン診療・訪問診療 (居宅同意取得型, docs/remote-care.md): on
// the patient's own device the card signs a challenge after its PIN, the answer is checked by the
// reader's verifier (CardVerifier: challenge, certificate, CRL, signature, single use), and the
// consent is recorded for the card's registered holder and no one else (no person is named in the
// request). The relying party is the facility chosen, prefixed so that an answer made here is no use
// at that facility's reader or at the 閲覧履歴, and theirs none here.
import type { Challenge } from "../card/challenges.ts";
import { mintChallenge } from "../card/challenges.ts";
import type { Db } from "../db/client.ts";
import { jstDate } from "../domain/dates.ts";
import { consentPeriod, REMOTE_CATEGORY_NAMES, TREATMENTS, type RemoteCategory, type Treatment } from "../domain/remote-consent.ts";
import { OqsError } from "../errors/catalogue.ts";
import { isTree } from "../oqs/message-tree.ts";
import { openAuthority } from "../store/card-authority-store.ts";
import { challengeKey } from "../store/card-challenge-store.ts";
import { CardVerifier } from "../store/card-verifier-store.ts";
import type { FacilityDirectory } from "../store/facility-directory.ts";
import { saveRemoteConsent, withdrawRemoteConsents, type RemoteConsent } from "../store/remote-consent-store.ts";

/** Who the card's answer is for: the facility chosen, marked as a consent at home. */
export const homeRelyingParty = (facilityCode: string) => `onshi-home:${facilityCode}`;

/** What the patient asks to record (the request body). */
export interface HomeConsentRequest {
  treatment: Treatment;
  /** YYYYMMDD: the booked day of an オンライン診療; none for 訪問診療. */
  examinationDate?: string;
  categories: RemoteCategory[];
}

/** What the page shows back. */
export interface HomeConsentAnswer {
  facilityCode: string;
  facilityName: string;
  treatment: Treatment;
  consentDate: string;
  examinationDate: string | null;
  validFrom: string;
  validTo: string;
  categories: RemoteCategory[];
}

const BODY_FIELDS = new Set(["treatment", "examinationDate", "categories"]);

/** The request body as its fields, or E8805, E8806, E8809, E8817 (the field named). */
export function readHomeConsentRequest(body: unknown): HomeConsentRequest {
  if (!isTree(body)) throw new OqsError("E8817", "body");
  for (const name of Object.keys(body)) if (!BODY_FIELDS.has(name)) throw new OqsError("E8817", name);
  const { treatment, examinationDate, categories } = body as Record<string, unknown>;
  if (!TREATMENTS.includes(treatment as Treatment)) throw new OqsError("E8805");
  if (examinationDate !== undefined && typeof examinationDate !== "string") throw new OqsError("E8806");
  if (
    !Array.isArray(categories) ||
    categories.some((c) => !REMOTE_CATEGORY_NAMES.includes(c as RemoteCategory)) ||
    new Set(categories).size !== categories.length
  ) {
    throw new OqsError("E8809");
  }
  return { treatment: treatment as Treatment, ...(examinationDate === undefined ? {} : { examinationDate }), categories: categories as RemoteCategory[] };
}

export class HomeConsentPortal {
  private constructor(
    private readonly db: Db,
    private readonly facilities: FacilityDirectory,
    private readonly now: () => Date,
    private readonly verifier: CardVerifier,
    private readonly key: Buffer,
  ) {}

  static async open(db: Db, facilities: FacilityDirectory, now: () => Date): Promise<HomeConsentPortal> {
    await openAuthority(db, now());
    return new HomeConsentPortal(db, facilities, now, await CardVerifier.open(db), await challengeKey(db));
  }

  /** The facility's name; E8804 for a code that names no facility (malformed or unknown alike). */
  private async facilityName(facilityCode: string): Promise<string> {
    const account = /^[0-9]{10}$/.test(facilityCode) ? await this.facilities.account(facilityCode) : undefined;
    if (account === undefined) throw new OqsError("E8804");
    return account.name;
  }

  /** A single-use challenge (60 s) for the card to sign for a consent at `facilityCode`. */
  async challenge(facilityCode: string): Promise<Challenge & { facilityName: string }> {
    const facilityName = await this.facilityName(facilityCode);
    return { ...mintChallenge(this.key, homeRelyingParty(facilityCode), this.now()), facilityName };
  }

  /**
   * The card holder, once the card's answer verifies (E8800–E8803, and the reader's E7001–E7009,
   * E7014) for the facility; the answer is spent whatever follows.
   */
  async holder(facilityCode: string, answer: unknown): Promise<number> {
    await this.facilityName(facilityCode);
    if (!isTree(answer)) throw new OqsError("E8800");
    if (answer.method !== "pin") throw new OqsError("E8801");
    const card = await this.verifier.verify(answer, this.now(), homeRelyingParty(facilityCode));
    if (card.scope !== "full") throw new OqsError("E8802");
    if (card.personId === null) throw new OqsError("E8803");
    return card.personId;
  }

  /** Records the consent of the verified holder (E8805–E8809, E8817 for a bad request). */
  async consent(facilityCode: string, personId: number, request: HomeConsentRequest): Promise<HomeConsentAnswer> {
    const facilityName = await this.facilityName(facilityCode);
    const now = this.now();
    const consentDate = jstDate(now);
    const period = consentPeriod(request.treatment, consentDate, request.examinationDate);
    if (!period.ok) throw new OqsError(period.code);
    const saved = await saveRemoteConsent(this.db, {
      facilityCode,
      personId,
      treatment: request.treatment,
      consentedAt: new Date(Math.floor(now.getTime() / 1000) * 1000),
      consentDate,
      examinationDate: request.examinationDate ?? null,
      ...period.period,
      agreed: new Set(request.categories),
    });
    return answerOf(saved, facilityName);
  }

  /** Withdraws the holder's consents of `treatment` at the facility in force today (E8805, E8816). */
  async withdraw(facilityCode: string, personId: number, treatment: unknown): Promise<{ withdrawn: number }> {
    await this.facilityName(facilityCode);
    if (!TREATMENTS.includes(treatment as Treatment)) throw new OqsError("E8805");
    const now = this.now();
    const withdrawn = await withdrawRemoteConsents(this.db, facilityCode, personId, treatment as Treatment, now, jstDate(now));
    if (withdrawn === 0) throw new OqsError("E8816");
    return { withdrawn };
  }
}

function answerOf(c: RemoteConsent, facilityName: string): HomeConsentAnswer {
  return {
    facilityCode: c.facilityCode,
    facilityName,
    treatment: c.treatment,
    consentDate: c.consentDate,
    examinationDate: c.examinationDate,
    validFrom: c.validFrom,
    validTo: c.validTo,
    categories: REMOTE_CATEGORY_NAMES.filter((name) => c.agreed.has(name)),
  };
}
