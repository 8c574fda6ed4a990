// What every office route (/office/api/…) is given: put `onRequest: requireOfficeRole(deps.office, role)`
// (src/http/office-session.ts) on each, so the session, CSRF token and role are checked before any body is read.
import type { Db } from "../../../db/client.ts";
import type { OfficeSessions } from "../../../services/office-accounts.ts";
import type { StaffSessions } from "../../../services/staff.ts";

export interface OfficeRouteDeps {
  db: Db;
  now: () => Date;
  office: OfficeSessions;
  /** The facility's side (/terminal/subsidy…): requireSubsidyAdministrator(deps.staff). */
  staff: StaffSessions;
  /** HTTPS: session cookies are Secure. */
  secure: boolean;
}
