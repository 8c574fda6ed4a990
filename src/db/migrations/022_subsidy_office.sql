-- The subsidy office (docs/subsidy-office.md): the cases of the 実施要領's 第5–第14, the
-- 取りまとめ者 who apply for many facilities, and the 補助金台帳 (第13).
--
-- Who acts: a facility through its terminal staff (an administrator, staff_accounts); a vendor
-- (取りまとめ者) or an examiner (支払基金) through an office account below; 'system' for what a
-- date does by itself (a return deadline passing). Every actor is kept by role, id and name.

create table office_accounts (
  account_id bigserial primary key,
  login_id text not null unique,
  display_name text not null,
  role text not null check (role in ('vendor', 'examiner')),
  password_hash text not null,           -- scrypt "salt:hash" (hex), src/domain/credential.ts
  created_at timestamptz not null,
  disabled_at timestamptz
);

-- Server-side sessions of office accounts, as staff_sessions: the row holds only the token's SHA-256.
create table office_sessions (
  token_hash text primary key,
  account_id bigint not null references office_accounts (account_id),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null
);
create index office_sessions_account on office_sessions (account_id);

-- 第8 3: the facilities a 取りまとめ者 registered in advance; a batch line for any other is refused.
create table vendor_facilities (
  vendor_account_id bigint not null references office_accounts (account_id),
  medical_institution_code text not null references facilities (medical_institution_code),
  registered_at timestamptz not null,
  primary key (vendor_account_id, medical_institution_code)
);
create index vendor_facilities_facility on vendor_facilities (medical_institution_code);

-- A 取りまとめ者's batch as received: its mode and per-line outcome (line, field, code, message).
create table subsidy_batches (
  batch_id bigserial primary key,
  vendor_account_id bigint not null references office_accounts (account_id),
  mode text not null check (mode in ('partial', 'all_or_nothing')),
  format text not null check (format in ('csv', 'jsonl')),
  received_at timestamptz not null,
  lines integer not null check (lines >= 0),
  accepted integer not null check (accepted >= 0),
  refused integer not null check (refused >= 0),
  errors jsonb not null default '[]'
);

-- A case: one facility's reader provision request or subsidy application under one programme.
-- `state` is src/domain/subsidy-case.ts's state machine; `version` counts transitions, so an
-- action taken on what its actor saw (expected version) fails cleanly when someone acted first.
create table subsidy_cases (
  case_id bigserial primary key,
  medical_institution_code text not null references facilities (medical_institution_code),
  program text not null,
  kind text not null check (kind in ('reader_request', 'application')),
  state text not null check (state in ('applied', 'sent_back', 'decided', 'paid', 'partly_cancelled',
    'cancelled', 'return_ordered', 'returned', 'overdue', 'settled')),
  version integer not null check (version >= 1),
  application jsonb not null,            -- the project as applied (src/subsidy/profile.ts Project) and the facility facts
  calculation jsonb,                     -- the engine's answer for it when applied (amount, reasons, sources)
  requested_yen bigint check (requested_yen >= 0),
  requested_readers integer check (requested_readers >= 0),
  decided_yen bigint check (decided_yen >= 0),
  decided_readers integer check (decided_readers >= 0),
  paid_yen bigint check (paid_yen >= 0),
  paid_on date,                          -- 第12 1: 延滞金 counts from the receipt of the subsidy
  batch_id bigint references subsidy_batches (batch_id),
  applied_by_role text not null check (applied_by_role in ('facility', 'vendor')),
  applied_by_account bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index subsidy_cases_facility on subsidy_cases (medical_institution_code, program);
create index subsidy_cases_queue on subsidy_cases (state, case_id);
-- One live case per facility, programme and kind: a second application waits for the first to be
-- decided or withdrawn (sent back cases count as live, they are resubmitted, not duplicated).
create unique index subsidy_cases_live on subsidy_cases (medical_institution_code, program, kind)
  where state in ('applied', 'sent_back');

-- Every transition, in order per case (seq = the case's version after it): who, when, why, and
-- the documents it refers to (notice numbers, the return order, a payment's record).
create table subsidy_case_transitions (
  case_id bigint not null references subsidy_cases (case_id),
  seq integer not null check (seq >= 1),
  from_state text,                       -- null for the application that opened the case
  to_state text not null,
  action text not null,
  actor_role text not null check (actor_role in ('facility', 'vendor', 'examiner', 'system')),
  actor_account bigint,
  actor_name text not null,
  at timestamptz not null,
  reason text,
  documents jsonb not null default '[]',
  detail jsonb not null default '{}',
  primary key (case_id, seq)
);

-- A write route's Idempotency-Key: the first answer is kept with a hash of its request, so a retry
-- of the same request gets that answer again and changes nothing, and a different request under
-- the same key is refused. Keys are per actor, so no one can replay another's answer.
create table office_idempotency (
  actor_role text not null,
  actor_account bigint not null,
  idempotency_key text not null,
  request_hash text not null,
  status integer not null,
  answer jsonb not null,
  created_at timestamptz not null,
  primary key (actor_role, actor_account, idempotency_key)
);

-- 第11: a return order on a case, with its deadline and its two parts (the subsidy, and the
-- reader at its depreciated value, src/subsidy/reader-return.ts).
create table subsidy_return_orders (
  case_id bigint primary key references subsidy_cases (case_id),
  ordered_on date not null,
  deadline date not null,
  subsidy_yen bigint not null check (subsidy_yen >= 0),
  reader_yen bigint not null check (reader_yen >= 0),
  received_on date not null,             -- the receipt the 延滞金 counts from (第12 1)
  ground text not null
);

-- Money coming back on a return order, as recorded; 延滞金 and principal shares are computed by
-- src/subsidy/late-interest.ts from the whole list, never stored apart from it.
create table subsidy_return_payments (
  payment_id bigserial primary key,
  case_id bigint not null references subsidy_return_orders (case_id),
  paid_on date not null,
  yen bigint not null check (yen > 0),
  recorded_at timestamptz not null,
  recorded_by bigint not null references office_accounts (account_id)
);
create index subsidy_return_payments_case on subsidy_return_payments (case_id, paid_on);

-- 第13 補助金台帳: append-only. A correction is a new entry naming the one it corrects; the
-- trigger below refuses any update or delete, whoever asks.
create table subsidy_ledger (
  entry_id bigserial primary key,
  medical_institution_code text not null references facilities (medical_institution_code),
  case_id bigint references subsidy_cases (case_id),
  program text not null,
  fiscal_year integer not null,          -- 年度 of `on` (April–March)
  entry text not null check (entry in ('readers_distributed', 'decided', 'paid', 'cancelled',
    'return_ordered', 'returned', 'interest', 'disposal_approved', 'correction')),
  on_date date not null,
  yen bigint not null default 0,         -- signed: a cancellation or a correction may be negative
  readers integer not null default 0,
  corrects bigint references subsidy_ledger (entry_id),
  note text,
  actor_role text not null,
  actor_name text not null,
  recorded_at timestamptz not null
);
create index subsidy_ledger_facility on subsidy_ledger (medical_institution_code, entry_id);
create index subsidy_ledger_year on subsidy_ledger (fiscal_year, program);

create function subsidy_ledger_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the 補助金台帳 is append-only (% refused): record a correction instead', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger subsidy_ledger_append_only before update or delete on subsidy_ledger
  for each row execute function subsidy_ledger_refuse_change();
create trigger subsidy_ledger_no_truncate before truncate on subsidy_ledger
  for each statement execute function subsidy_ledger_refuse_change();

-- 第5 1(2)(3): disposing of funded equipment within its useful life needs approval.
create table equipment_disposals (
  disposal_id bigserial primary key,
  medical_institution_code text not null references facilities (medical_institution_code),
  case_id bigint not null references subsidy_cases (case_id),
  state text not null check (state in ('requested', 'approved', 'refused')),
  readers integer not null check (readers > 0),
  reason text not null,
  requested_at timestamptz not null,
  decided_at timestamptz,
  decided_by bigint references office_accounts (account_id),
  decision_note text
);
create index equipment_disposals_facility on equipment_disposals (medical_institution_code);
