-- The 利用者リスト: each completed card check at a facility, in order. sequence counts up per
-- facility (never reset, so a live list resumes from Last-Event-ID across days); it is taken from
-- card_user_counters in the completing transaction, whose row lock orders the facility's
-- completions, so a reader of "sequence > n" never misses one committed late.
create table card_user_counters (
  medical_institution_code text primary key references facilities (medical_institution_code),
  last_sequence bigint not null
);

create table card_users (
  medical_institution_code text not null references facilities (medical_institution_code),
  sequence bigint not null,
  checked_date date not null,          -- JST
  person_id bigint not null references persons (person_id),
  entry json not null,                 -- the list entry as the API answers it, its key order kept (json, not jsonb)
  primary key (medical_institution_code, sequence)
);
create index card_users_date on card_users (medical_institution_code, checked_date, sequence);
