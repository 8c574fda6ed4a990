// The subsidy office's accounts (022_subsidy_office.sql's office_accounts): a 取りまとめ者 (vendor,
// 第8 3) applies for the facilities it registered, the 支払基金's examiner examines and decides.
// A facility acts through its own terminal staff (an administrator), not through an office account.

export const OFFICE_ROLES = {
  vendor: "取りまとめ者",
  examiner: "支払基金 審査担当",
} as const;

export type OfficeRole = keyof typeof OFFICE_ROLES;

export const OFFICE_ROLE_NAMES = Object.keys(OFFICE_ROLES) as OfficeRole[];

export function isOfficeRole(value: unknown): value is OfficeRole {
  return typeof value === "string" && Object.hasOwn(OFFICE_ROLES, value);
}
