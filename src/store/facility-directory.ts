// Which 医療機関コード are registered. Facilities are few and rarely added, so known codes are
// remembered; an unknown code is asked again each time (it may have just been registered).
import type { Db } from "../db/client.ts";

export interface FacilityAccount {
  code: string;
  name: string;
  credentialHash: string | null;
}

export class FacilityDirectory {
  private readonly known = new Set<string>();

  constructor(private readonly db: Db) {}

  async exists(code: string): Promise<boolean> {
    if (this.known.has(code)) return true;
    const found = (await this.account(code)) !== undefined;
    if (found) this.known.add(code);
    return found;
  }

  async account(code: string): Promise<FacilityAccount | undefined> {
    const rows = await this.db.query<{ name: string; credential_hash: string | null }>(
      "select name, credential_hash from facilities where medical_institution_code = $1",
      [code],
    );
    const row = rows[0];
    return row && { code, name: row.name, credentialHash: row.credential_hash };
  }
}
