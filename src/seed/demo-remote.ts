// The demo's home consents (居宅同意取得型, docs/remote-care.md), so that the bulk kinds OQSmuonq and
// OQSmuhvq list someone at the demo hospital on DEMO_DATE: 佐藤 健一 is visited at home (訪問診療,
// consented 2026-03-25 to 薬剤情報 and 診療情報), and 山田 太郎 booked an オンライン診療 for 2026-04-02
// (consented 2026-03-30 to 薬剤情報).
import type { Db } from "../db/client.ts";
import { consentPeriod, Treatment, type RemoteCategory } from "../domain/remote-consent.ts";
import { findQualifications, type SearchKey } from "../store/qualification-store.ts";
import { consentsInForce, saveRemoteConsent } from "../store/remote-consent-store.ts";

export interface DemoRemoteConsent {
  facility: string;
  key: SearchKey;
  treatment: Treatment;
  consentedAt: string;
  examinationDate?: string;
  agreed: readonly RemoteCategory[];
}

/** Loads the consents that are missing (a database loaded before they existed gets them too). */
export async function loadDemoRemoteConsents(db: Db, consents: readonly DemoRemoteConsent[]): Promise<void> {
  for (const c of consents) {
    const [found] = await findQualifications(db, c.key);
    if (!found) continue;
    const consentedAt = new Date(c.consentedAt);
    const consentDate = c.consentedAt.slice(0, 10).replaceAll("-", "");
    if ((await consentsInForce(db, c.facility, found.person.personId, c.treatment, consentDate)).length > 0) continue;
    const period = consentPeriod(c.treatment, consentDate, c.examinationDate);
    if (!period.ok) throw new Error(`demo remote consent: ${period.code}`);
    await saveRemoteConsent(db, {
      facilityCode: c.facility,
      personId: found.person.personId,
      treatment: c.treatment,
      consentedAt,
      consentDate,
      examinationDate: c.examinationDate ?? null,
      ...period.period,
      agreed: new Set(c.agreed),
    });
  }
}
