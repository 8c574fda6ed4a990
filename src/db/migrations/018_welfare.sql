-- 医療扶助 (生活保護): the 福祉事務所 that decide it and the 医療券・調剤券 they record for a
-- recipient and a facility (docs/welfare.md).

-- A 福祉事務所 is the 実施機関 of 医療扶助 under its 公費負担者番号 (法別番号 12, 都道府県番号,
-- 実施機関番号, 検証番号). It is also an insurers row (kind other): a recipient's qualification names
-- it where a 保険者 stands, as real results carry the 公費負担者番号 in InsurerNumber.
create table welfare_offices (
  public_expense_number text primary key references insurers (insurer_number)
    check (public_expense_number ~ '^12[0-9]{6}$'),
  municipality_code text check (municipality_code ~ '^[0-9]{6}$'),
  -- scrypt hash ("salt:hash", hex) of the office's credential for the 医療券 route; none: no access
  credential_hash text
);

-- One 医療券 (調剤券 at a pharmacy) per recipient's qualification, facility and 診療年月: the
-- office records it before the first visit of the month; later visits of the month use it too.
create table medical_tickets (
  ticket_id bigint generated always as identity primary key,   -- 交付番号
  person_id bigint not null references persons (person_id),
  qualification_id bigint not null references qualifications (qualification_id),
  public_expense_number text not null references welfare_offices (public_expense_number),
  medical_institution_code text not null references facilities (medical_institution_code),
  ticket_type text not null check (ticket_type in ('medical', 'dispensing')),
  treatment_type text not null check (treatment_type in ('inpatient', 'outpatient', 'dental', 'dispensing')),
  treatment_month text not null check (treatment_month ~ '^[0-9]{4}(0[1-9]|1[0-2])$'),  -- 診療年月 YYYYMM
  visit_date date not null,                                    -- the visit it was asked for
  valid_from date not null,
  valid_to date not null,
  self_pay_amount integer not null default 0 check (self_pay_amount between 0 and 9999999),  -- 本人支払額 (円)
  injury_name_1 text,
  injury_name_2 text,
  injury_name_3 text,
  issued_at timestamptz not null,
  check (valid_to >= valid_from),
  unique (qualification_id, medical_institution_code, treatment_month)
);
-- A card check: the person's tickets at the facility.
create index medical_tickets_person on medical_tickets (person_id, medical_institution_code);
-- 医療扶助の一括照会 (OQSmutic): a facility's tickets of a 診療年月.
create index medical_tickets_facility_month on medical_tickets (medical_institution_code, treatment_month, person_id);
