-- マイナ保険証利用率 from onshi's own records (docs/usage.md).
--
-- Every answered qualification check adds 1 to its facility × day × method × transport counter,
-- in the same statement or transaction as the answer. `shard` spreads one busy facility's day
-- over a few rows (pg_backend_pid() % 8) so concurrent checks do not queue on one row lock; a
-- reader sums the shards.
create table usage_days (
  medical_institution_code text not null check (medical_institution_code ~ '^[0-9]{10}$'),
  day date not null,
  method text not null check (method in ('card_face', 'card_pin', 'card_visual', 'insurance_number', 'reference_number', 'bulk_row')),
  transport text not null check (transport in ('webapi', 'folder', 'reader', 'cli')),
  shard smallint not null default 0 check (shard between 0 and 7),
  count bigint not null check (count >= 0),
  primary key (medical_institution_code, day, method, transport, shard)
);

-- 名寄せ: a person who used the card at a facility in a month, once (spec: one person counted once
-- per facility per month). `month` is the month's first day.
create table usage_card_persons (
  medical_institution_code text not null check (medical_institution_code ~ '^[0-9]{10}$'),
  month date not null check (extract(day from month) = 1),
  person_id bigint not null,
  primary key (medical_institution_code, month, person_id)
);

-- A month's totals written as such: by the national-scale simulation, whose volume (about 2.5 億
-- checks a month) is beyond recording check by check. The columns are usage_days' methods summed
-- over days and transports, and the persons after 名寄せ as a count. A facility-month's figures
-- are this row (if any) plus what usage_days and usage_card_persons hold for it.
create table usage_month_totals (
  medical_institution_code text not null check (medical_institution_code ~ '^[0-9]{10}$'),
  month date not null check (extract(day from month) = 1),
  card_face bigint not null default 0 check (card_face >= 0),
  card_pin bigint not null default 0 check (card_pin >= 0),
  card_visual bigint not null default 0 check (card_visual >= 0),
  insurance_number bigint not null default 0 check (insurance_number >= 0),
  reference_number bigint not null default 0 check (reference_number >= 0),
  bulk_row bigint not null default 0 check (bulk_row >= 0),
  card_persons bigint not null default 0 check (card_persons >= 0),
  primary key (medical_institution_code, month)
);

-- A facility's receipts of a 診療月 (レセプト件数, of which 外来): onshi does not produce receipts, so
-- the facility (or the simulation) uploads them; the same upload again changes nothing.
create table usage_receipts (
  medical_institution_code text not null references facilities (medical_institution_code),
  month date not null check (extract(day from month) = 1),
  receipts bigint not null check (receipts >= 0),
  outpatient_receipts bigint not null check (outpatient_receipts between 0 and receipts),
  updated_at timestamptz not null,
  primary key (medical_institution_code, month)
);

-- What the subsidy engine's facility profile needs beyond kind and place; null = not known.
alter table facilities add column opened_on date;
alter table facilities add column readers_provided smallint check (readers_provided between 0 and 10000);
alter table facilities add column readers_in_use smallint check (readers_in_use between 0 and 10000);
