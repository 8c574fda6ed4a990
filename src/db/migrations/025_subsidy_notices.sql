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

-- A notice sent is not rewritten: a correction is a new transition with its own notice.
create function subsidy_notices_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'a notice is kept as issued (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger subsidy_notices_as_issued before update or delete on subsidy_notices
  for each row execute function subsidy_notices_refuse_change();
