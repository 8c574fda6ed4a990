-- The notices the 支払基金 sends electronically (第8 4: decisions, cancellations, return orders and
-- 延滞金 orders), one per transition that sends one. The content is kept as issued (jsonb, the
-- notice's view model): the PDF is drawn from it on demand, and the same content gives the same
-- bytes (src/services/pdf-sheet.ts), so the notice read later is the one sent.
create table subsidy_notices (
  notice_id bigserial primary key,
  case_id bigint not null,
  seq integer not null,                  -- the transition it notifies
  kind text not null check (kind in ('decision', 'cancellation', 'return_order', 'late_interest')),
  notice_number text not null unique,
  medical_institution_code text not null references facilities (medical_institution_code),
  issued_on date not null,
  content jsonb not null,
  created_at timestamptz not null,
  foreign key (case_id, seq) references subsidy_case_transitions (case_id, seq),
  unique (case_id, seq, kind)
);
create index subsidy_notices_facility on subsidy_notices (medical_institution_code, notice_id);
