-- 照会番号 (ReferenceNumber): a facility's own patient number (診察券番号) for a person, returned
-- in that facility's later results only (spec §7). One number per person and facility (a new
-- registration replaces it), and one person per number within a facility. A Citus deployment
-- would distribute this table by medical_institution_code: it is a facility's register, and both
-- unique keys include it.
create table reference_numbers (
  medical_institution_code text not null references facilities (medical_institution_code),
  person_id bigint not null references persons (person_id),
  -- 1 to 50 半角英数字 or '-' (docs/reference-numbers.md); leading zeros are kept
  reference_number text not null check (reference_number ~ '^[0-9A-Za-z-]{1,50}$'),
  registered_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (medical_institution_code, person_id),
  constraint reference_numbers_number_unique unique (medical_institution_code, reference_number)
);
