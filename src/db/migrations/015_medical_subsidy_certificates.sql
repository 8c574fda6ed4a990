-- 受給者証 of 医療費助成 (PMH): one row per record of an issuing entity (a municipality or a
-- prefecture), keyed as the 自治体→PMH registration API keys it, by the entity and its historyKey.
-- A deleted record stays as a tombstone (is_deleted), so that a delete sent twice, or a late
-- register of a record already deleted, is told apart from a key never seen.
-- Under Citus this table would be distributed by person_id like the other person tables; the
-- upload's lookup by (issuer_code, history_key) would then need a small reference table of keys.
create table medical_subsidy_certificates (
  issuer_code text not null check (issuer_code ~ '^[0-9]{6}$'),
  history_key text not null check (length(history_key) between 1 and 100),
  person_id bigint not null references persons (person_id),
  programme text not null check (programme ~ '^[A-Za-z]{1,40}$'),
  org_certificate_type_id text check (length(org_certificate_type_id) between 1 and 100),
  insurer_number text not null check (insurer_number ~ '^[0-9]{8}$'),
  recipient_number text check (recipient_number ~ '^[0-9A-Za-z-]{1,30}$'),
  certification_name text not null check (length(certification_name) between 1 and 100),
  certification_sub_key text check (length(certification_sub_key) <= 100),
  segment text check (length(segment) <= 100),
  income_segment text check (length(income_segment) <= 100),
  additional_conditions text check (length(additional_conditions) <= 1000),
  -- 医療機関コード; empty: valid at any facility
  designated_medical_institutions text[] not null default '{}',
  always_reimbursement boolean not null default false,
  -- 自己負担上限額 in yen (maxCopaymentAmount); null: no such cap
  max_copayment_monthly integer check (max_copayment_monthly >= 0),
  max_copayment_per_visit integer check (max_copayment_per_visit >= 0),
  valid_from date not null,
  valid_to date,
  is_deleted boolean not null default false,
  -- 券面項目: [{ "label", "value" }]
  certification_detail jsonb not null default '[]',
  updated_at timestamptz not null,
  primary key (issuer_code, history_key),
  check (valid_to is null or valid_to >= valid_from)
);
-- certificatesValidOn: a person's records in force on a date.
create index medical_subsidy_certificates_person on medical_subsidy_certificates (person_id, valid_from) where not is_deleted;
