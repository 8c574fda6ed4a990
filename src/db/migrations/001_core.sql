-- Core reference and person tables. Person-scoped tables carry person_id so that a future
-- Citus deployment can distribute them by it; insurers and facilities are small reference tables.

create table insurers (
  insurer_number text primary key check (insurer_number ~ '^([0-9]{6}|[0-9]{8})$'),
  name text not null,
  kind text not null check (kind in ('kyokai', 'kumiai', 'kyosai', 'kokuho', 'kouki', 'other')),
  prefecture smallint not null check (prefecture between 1 and 47)
);

create table facilities (
  medical_institution_code text primary key check (medical_institution_code ~ '^[0-9]{10}$'),
  name text not null,
  kind text not null check (kind in ('hospital', 'medical_clinic', 'dental_clinic', 'pharmacy')),
  large_chain_pharmacy boolean not null default false,
  prefecture smallint not null check (prefecture between 1 and 47),
  municipality text,
  -- scrypt hash of the facility's WebAPI credential ("salt:hash", hex)
  credential_hash text
);

create table persons (
  person_id bigint primary key,
  name text not null,
  name_kana text not null,            -- 全角カナ; the interface renders it 半角
  name_of_other text,                 -- 通称
  name_of_other_kana text,
  sex smallint not null check (sex in (1, 2, 3)),
  birthdate date not null,
  address text,
  post_number text check (post_number ~ '^[0-9]{3}-[0-9]{4}$')
);

create table qualifications (
  qualification_id bigint primary key,
  person_id bigint not null references persons (person_id),
  insurer_number text not null references insurers (insurer_number),
  insured_card_classification text not null,
  insured_card_symbol text,
  insured_identification_number text not null,
  insured_branch_number text check (insured_branch_number ~ '^[0-9]{2}$'),
  personal_family_classification smallint not null check (personal_family_classification in (1, 2)),
  insured_name text,                  -- 被保険者（世帯主）氏名
  qualification_date date not null,   -- 資格取得年月日
  disqualification_date date,         -- 資格喪失年月日: the first day without the qualification
  reason_of_loss text,
  card_issuance_date date,
  card_valid_date date,
  card_expiration_date date,
  partial_contribution_ratio smallint check (partial_contribution_ratio between 0 and 100),
  preschool boolean not null default false,
  check (disqualification_date is null or disqualification_date >= qualification_date)
);
create index qualifications_key on qualifications (insurer_number, insured_identification_number);
create index qualifications_person on qualifications (person_id);

create table elderly_certificates (
  person_id bigint not null,
  qualification_id bigint not null references qualifications (qualification_id),
  certificate_date date,
  valid_start date not null,
  valid_end date not null,
  contribution_ratio smallint not null check (contribution_ratio in (10, 20, 30))
);
create index elderly_certificates_qualification on elderly_certificates (qualification_id);

create table limit_certificates (
  person_id bigint not null,
  qualification_id bigint not null references qualifications (qualification_id),
  classification text not null check (classification in ('01', '02', '03')),
  classification_flag text not null check (classification_flag ~ '^(A0[1-6]|B0[1-9]|B10)$'),
  certificate_date date,
  valid_start date not null,
  valid_end date not null,
  long_term_date date
);
create index limit_certificates_qualification on limit_certificates (qualification_id);

create table specific_disease_certificates (
  person_id bigint not null,
  qualification_id bigint not null references qualifications (qualification_id),
  disease_category text not null check (disease_category in ('1', '2', '3')),
  certificate_date date,
  valid_start date not null,
  valid_end date not null,
  self_pay integer not null check (self_pay >= 0)
);
create index specific_disease_certificates_qualification on specific_disease_certificates (qualification_id);
