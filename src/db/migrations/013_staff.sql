-- Staff accounts of the 資格確認端末's 閲覧画面 (issue 13 item 5) and their signed-in sessions.
-- A login id is unique within its facility only: two facilities may both have "tanaka". A disabled
-- account stays (the audit names it) but cannot sign in, and its sessions are deleted.
create table staff_accounts (
  account_id bigserial primary key,
  medical_institution_code text not null references facilities (medical_institution_code),
  login_id text not null,
  display_name text not null,
  role text not null check (role in ('doctor', 'dentist', 'pharmacist', 'nurse', 'clerk')),
  administrator boolean not null,
  password_hash text not null,           -- scrypt "salt:hash" (hex), src/domain/credential.ts
  created_at timestamptz not null,
  disabled_at timestamptz,
  unique (medical_institution_code, login_id)
);

-- Server-side sessions: the cookie holds a random token, the row only its SHA-256, so a read of
-- this table signs no one in. Expiry (idle and absolute) is src/domain/staff.ts's rule.
create table staff_sessions (
  token_hash text primary key,
  account_id bigint not null references staff_accounts (account_id),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null
);
create index staff_sessions_account on staff_sessions (account_id);
