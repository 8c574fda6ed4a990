-- オンライン診療・訪問診療 (居宅同意取得型): the consents a patient gives at home with the card, for
-- one facility and one kind of care, and the bulk kinds that list them (OQSmuonq, OQSmuhvq; OQSmutic
-- lists 医療扶助 医療券 by treatment month). Periods are whole days in Japan time, both ends in.

create table remote_consents (
  consent_id bigint generated always as identity primary key,
  medical_institution_code text not null references facilities (medical_institution_code),
  person_id bigint not null references persons (person_id),
  -- MedicalTreatmentFlag: 2 訪問診療, 3 オンライン診療
  treatment text not null check (treatment in ('2', '3')),
  consented_at timestamptz not null,
  consent_date date not null,
  -- the booked day of an オンライン診療 (searched by ExaminationDateFrom/To); none for 訪問診療
  examination_date date,
  valid_from date not null,
  valid_to date not null,
  -- set when the patient withdraws it on the same page; a withdrawn consent is listed no more
  withdrawn_at timestamptz,
  pharmacists boolean not null,
  specific_health_checkups boolean not null,
  diagnosis boolean not null,
  operation boolean not null,
  check ((treatment = '3') = (examination_date is not null)),
  check (valid_from = consent_date and valid_to >= valid_from)
);
-- The bulk searches: a facility's consents of one kind by consent day or by examination day.
create index remote_consents_by_consent on remote_consents (medical_institution_code, treatment, consent_date);
create index remote_consents_by_examination on remote_consents (medical_institution_code, examination_date) where examination_date is not null;
create index remote_consents_person on remote_consents (person_id);

alter table receptions drop constraint receptions_kind_check;
alter table receptions add constraint receptions_kind_check check (kind in ('muquc', 'muimm', 'muonq', 'muhvq', 'mutic'));
