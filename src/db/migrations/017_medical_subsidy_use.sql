-- The facility's 医療費助成情報 setting (OQS 環境設定: 利用する / 利用しない). What is in force is
-- consent_settings.medical_subsidy (005): it is what makes the reader ask the 医療費助成 consent
-- screen. Choosing 利用する is taken as accepting the PMH terms of use, so every change is kept
-- here with when and by whom; a later 利用しない does not erase an acceptance.
create table medical_subsidy_use_changes (
  change_id bigint generated always as identity primary key,
  medical_institution_code text not null references facilities (medical_institution_code),
  in_use boolean not null,
  changed_at timestamptz not null,
  changed_by text not null check (length(changed_by) between 1 and 100)
);
create index medical_subsidy_use_changes_facility on medical_subsidy_use_changes (medical_institution_code, change_id);
