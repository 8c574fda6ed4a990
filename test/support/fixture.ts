// A tiny data set for route tests: one facility with a known credential, one insurer, one person.
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { publicCredentialHash } from "../../src/seed/credential.ts";

export const FACILITY = { code: "0110113719", credential: "test-credential" };
export const OTHER_FACILITY = { code: "3618010015", credential: "other-credential" };
export const TARO = {
  InsurerNumber: "01130012",
  InsuredCardSymbol: "1234",
  InsuredIdentificationNumber: "5678",
  InsuredBranchNumber: "00",
  Birthdate: "19800101",
};
/** TARO's insurance quartet (the key of a 照会番号 registration), and his family's. */
export const TARO_KEY = {
  InsurerNumber: TARO.InsurerNumber,
  InsuredCardSymbol: TARO.InsuredCardSymbol,
  InsuredIdentificationNumber: TARO.InsuredIdentificationNumber,
  InsuredBranchNumber: TARO.InsuredBranchNumber,
};
export const HANAKO_KEY = { ...TARO_KEY, InsuredBranchNumber: "01" };

/** idTokens for the fixture's facilities, from the auth route of a built server. */
export async function issueTokens(app: { inject: FastifyInstance["inject"] }): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const f of [FACILITY, OTHER_FACILITY]) {
    const res = await app.inject({ method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload: { MedicalInstitutionCode: f.code, Credential: f.credential } });
    tokens[f.code] = res.json().result.idToken;
  }
  return tokens;
}

export async function loadFixture(db: Db): Promise<void> {
  for (const f of [FACILITY, OTHER_FACILITY]) {
    await db.query(
      "insert into facilities (medical_institution_code, name, kind, prefecture, credential_hash) values ($1, $2, 'hospital', $3, $4)",
      [f.code, `テスト病院${f.code}`, Number(f.code.slice(0, 2)), publicCredentialHash(f.credential)],
    );
  }
  await db.query("insert into insurers values ('01130012', '全国健康保険協会東京支部', 'kyokai', 13)");
  await db.query(
    `insert into persons (person_id, name, name_kana, sex, birthdate, address, post_number)
     values (1, '診療　太郎', 'シンリョウ　タロウ', 1, '1980-01-01', '東京都千代田区', '100-0001')`,
  );
  await db.query(
    `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification,
       insured_card_symbol, insured_identification_number, insured_branch_number, personal_family_classification,
       insured_name, qualification_date)
     values (1, 1, '01130012', '01', '1234', '5678', '00', 1, '診療　太郎', '2020-04-01')`,
  );
  await db.query(
    `insert into limit_certificates (person_id, qualification_id, classification, classification_flag, valid_start, valid_end)
     values (1, 1, '01', 'A03', '2026-01-01', '2026-12-31')`,
  );
}
