// A facility's staff accounts on the 資格確認端末's 閲覧画面 (issue 13 item 5): who may open which
// part of a patient's medical information, and how long a signed-in session lasts. Pure rules;
// the store keeps the accounts and sessions, the HTTP layer applies the rule on every route.
import type { StaffRole } from "./audit.ts";
import type { MedicalInfoCategory } from "./medical-history.ts";

export type { StaffRole } from "./audit.ts";

export const STAFF_ROLES = {
  doctor: "医師",
  dentist: "歯科医師",
  pharmacist: "薬剤師",
  nurse: "看護師",
  clerk: "事務",
} as const satisfies Record<StaffRole, string>;

export const STAFF_ROLE_NAMES = Object.keys(STAFF_ROLES) as StaffRole[];

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && Object.hasOwn(STAFF_ROLES, value);
}

/**
 * Who may open each category. Only 有資格者 view a patient's medical information: 「医師・歯科医師・
 * 薬剤師等の有資格者が薬剤情報/特定健診情報を閲覧」, 有資格者等 being 「医師・歯科医師・薬剤師等」 (seed 002
 * l.336, l.547–548); spec §5.1 narrows 特定健診 to 医師・歯科医師等, and the issue to 医師 or 歯科医師.
 * Our reading of the 「等」 for 看護師: a nurse is a 有資格者 (保健師助産師看護師法) who gives the
 * medicines and assists the treatment, so a nurse opens 薬剤・診療・手術, but not 特定健診, which
 * only a physician or dentist reads. 事務 opens none: a clerk runs qualification checks only.
 */
const MAY_VIEW: Readonly<Record<StaffRole, ReadonlySet<MedicalInfoCategory>>> = {
  doctor: new Set(["pharmacists", "specificHealthCheckups", "diagnosis", "operation"]),
  dentist: new Set(["pharmacists", "specificHealthCheckups", "diagnosis", "operation"]),
  pharmacist: new Set(["pharmacists", "diagnosis", "operation"]),
  nurse: new Set(["pharmacists", "diagnosis", "operation"]),
  clerk: new Set(),
};

export function mayView(role: StaffRole, category: MedicalInfoCategory): boolean {
  return MAY_VIEW[role].has(category);
}

/** Every role runs qualification checks (資格確認), the clerk's whole work at the terminal. */
export function mayCheckQualification(_role: StaffRole): boolean {
  return true;
}

/**
 * A session ends after 15 minutes without a request (the terminal left unattended in a consulting
 * room) or 8 hours after sign-in (one shift), whichever comes first. Our choice: the 安全管理
 * ガイドライン asks for an automatic sign-out of idle terminals but names no figure.
 */
export const SESSION_IDLE_MS = 15 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60 * 1000;

export interface StaffSessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

/** A session is good on [createdAt, createdAt + 8 h) and while less than 15 min have passed since its last request. */
export function sessionInForce(session: StaffSessionTimes, at: Date): boolean {
  const t = at.getTime();
  return t < session.createdAt.getTime() + SESSION_ABSOLUTE_MS && t < session.lastSeenAt.getTime() + SESSION_IDLE_MS;
}

/** A login id: 3–32 of a-z 0-9 . _ - (lower case, so "Tanaka" and "tanaka" are one account). */
export const LOGIN_ID_PATTERN = /^[a-z0-9._-]{3,32}$/;

/** Passwords: at least 10 characters, at most 128 (scrypt's cost does not depend on the length, but a body must stay small). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `パスワードは${PASSWORD_MIN}文字以上にしてください。`;
  if (password.length > PASSWORD_MAX) return `パスワードは${PASSWORD_MAX}文字以内にしてください。`;
  return undefined;
}
