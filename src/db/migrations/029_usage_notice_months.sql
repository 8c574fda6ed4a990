-- The monthly notice's shared figures, kept as issued (docs/usage.md 「お知らせ」): a month's
-- group totals (the nation, each kind, each kind × prefecture), kept when a notice first shows the
-- month (its own or in its 12-month history), and every facility's standing within its kind,
-- kept when the month's first notice is made. A notice then says what it said when issued, and no
-- notice reads the whole nation's records again (at national scale that took tens of seconds).
create table usage_notice_months (
  month date primary key check (extract(day from month) = 1),
  computed_at timestamptz not null,
  groups jsonb not null,                 -- src/store/usage-store.ts GroupRow, one per group
  ranks_computed_at timestamptz          -- null until the month's standings are kept
);

create table usage_notice_ranks (
  month date not null references usage_notice_months (month),
  medical_institution_code text not null,
  basis text not null check (basis in ('receipt', 'online')),
  above integer not null check (above >= 0),
  ranked integer not null check (ranked > above),
  primary key (month, medical_institution_code, basis)
);
