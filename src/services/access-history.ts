// The patient's own 閲覧履歴 (as マイナポータル shows it: date, facility, what was viewed), behind the
// patient's own authentication: the card signs a challenge after its PIN, and the answer is checked
// by the reader's verifier (CardVerifier: challenge, certificate, CRL, signature, single use). The
// relying party in the challenge and the signed message is PORTAL instead of a facility code, so a
// reader's answer is no use here and this route's is no use at a reader. The history answered is
// the card's registered holder's and no one else's: no person is named in the request.
import type { Challenge } from "../card/challenges.ts";
import { mintChallenge } from "../card/challenges.ts";
import type { Db } from "../db/client.ts";
import { CATEGORY_NAMES, CONSENT_CATEGORIES, type ConsentCategory } from "../domain/consent.ts";
import { isValidYyyymmdd, jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { isTree } from "../oqs/message-tree.ts";
import { personAccessHistory } from "../store/audit-store.ts";
import { openAuthority } from "../store/card-authority-store.ts";
import { challengeKey } from "../store/card-challenge-store.ts";
import { CardVerifier } from "../store/card-verifier-store.ts";

/** Who the card's answer is for, in place of a facility code (which is always 10 digits). */
export const PORTAL = "onshi-portal";

/** Entries per answer; `more` says when older ones exist (narrow with `to`). */
export const ACCESS_HISTORY_LIMIT = 500;

export interface AccessEntry {
  /** The day of the view in Japan time, YYYY-MM-DD. */
  date: string;
  at: string;
  facilityCode: string;
  facilityName: string | null;
  /** What was viewed, as the consent screens name it (薬剤情報, 特定健診情報, 診療情報, 手術情報). */
  categories: string[];
  /** 災害時: viewed without the card under a disaster declaration. */
  disaster: boolean;
}

export interface AccessHistory {
  from: string | null;
  to: string | null;
  entries: AccessEntry[];
  more: boolean;
}

/** The categories in the order the consent screens list them, by their labels. */
const labelsOf = (categories: string[]) =>
  [...categories].sort((a, b) => CATEGORY_NAMES.indexOf(a as ConsentCategory) - CATEGORY_NAMES.indexOf(b as ConsentCategory)).map((c) => CONSENT_CATEGORIES[c as ConsentCategory]?.label ?? c);
const dayStart = (day: string) => new Date(`${day}T00:00:00+09:00`);

export class AccessHistoryPortal {
  private constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly verifier: CardVerifier,
    private readonly key: Buffer,
  ) {}

  static async open(db: Db, now: () => Date): Promise<AccessHistoryPortal> {
    await openAuthority(db, now());
    return new AccessHistoryPortal(db, now, await CardVerifier.open(db), await challengeKey(db));
  }

  /** A single-use challenge (60 s) for the card to sign for the 閲覧履歴. */
  challenge(): Challenge {
    return mintChallenge(this.key, PORTAL, this.now());
  }

  /**
   * The card holder's 閲覧履歴, once the card's answer verifies (E7100–E7103, and the reader's
   * E7001–E7009, E7014), between the days `from` and `to` (Japan time, inclusive; E7104, E7105).
   */
  async read(answer: unknown, range: { from?: string; to?: string }): Promise<AccessHistory> {
    if (!isTree(answer)) throw new OqsError("E7100");
    if (answer.method !== "pin") throw new OqsError("E7101");
    const card = await this.verifier.verify(answer, this.now(), PORTAL);
    if (card.scope !== "full") throw new OqsError("E7102");
    if (card.personId === null) throw new OqsError("E7103");
    for (const [name, day] of [["from", range.from], ["to", range.to]] as const) {
      if (day !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(day) && isValidYyyymmdd(day.replaceAll("-", "")))) throw new OqsError("E7104", name);
    }
    if (range.from !== undefined && range.to !== undefined && range.from > range.to) throw new OqsError("E7105");
    const from = range.from === undefined ? undefined : dayStart(range.from);
    const to = range.to === undefined ? undefined : new Date(dayStart(range.to).getTime() + 86_400_000);
    const rows = await personAccessHistory(this.db, card.personId, from, to, ACCESS_HISTORY_LIMIT + 1);
    return {
      from: range.from ?? null,
      to: range.to ?? null,
      entries: rows.slice(0, ACCESS_HISTORY_LIMIT).map((r) => ({
        date: yyyymmddToIso(jstDate(r.at)),
        at: r.at.toISOString(),
        facilityCode: r.facilityCode,
        facilityName: r.facilityName,
        categories: labelsOf(r.categories),
        disaster: r.basis === "disaster",
      })),
      more: rows.length > ACCESS_HISTORY_LIMIT,
    };
  }
}
