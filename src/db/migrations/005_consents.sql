-- What each facility's card reader asks (consent_settings; no row = the real reader's factory
-- settings, src/domain/consent.ts) and each person's answers there (consents). One consent row
-- per facility and person: a new card check replaces it (spec §5.1). available_time is kept,
-- not derived in queries, so "who may be viewed now" is one indexed range test.
create table consent_settings (
  medical_institution_code text primary key references facilities (medical_institution_code),
  pharmacists boolean not null,
  specific_health_checkups boolean not null,
  diagnosis boolean not null,
  operation boolean not null,
  limit_certificate boolean not null,
  specific_diseases boolean not null,
  medical_subsidy boolean not null,
  updated_at timestamptz not null
);

create table consents (
  medical_institution_code text not null references facilities (medical_institution_code),
  person_id bigint not null references persons (person_id),
  cons_time timestamptz not null,
  available_time timestamptz not null,
  pharmacists boolean not null,
  specific_health_checkups boolean not null,
  diagnosis boolean not null,
  operation boolean not null,
  limit_certificate boolean not null,
  specific_diseases boolean not null,
  medical_subsidy boolean not null,
  -- PrescriptionIssueSelect (OQSCD017): 1 電子処方箋, 2 紙; null when the reader did not ask
  prescription_issue_select text check (prescription_issue_select in ('1', '2')),
  primary key (medical_institution_code, person_id),
  check (available_time = cons_time + interval '24 hours')
);
