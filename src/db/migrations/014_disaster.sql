-- Disaster mode (災害時医療情報閲覧): where a facility is, and the declarations of 厚生労働省保険局
-- that open viewing without a card in some municipalities for a period.

-- The facility's 全国地方公共団体コード (6 digits with its check digit; a 行政区 where the city has
-- wards). Null when onshi cannot tell: such a facility is in no declaration's area.
alter table facilities add column municipality_code text check (municipality_code ~ '^[0-9]{6}$');
-- Demo facilities loaded before this migration (src/seed/demo.ts registers them in 千代田区).
update facilities set municipality_code = '131016' where prefecture = 13 and municipality = '千代田区';

-- Periods are half-open [starts_at, ends_at). ends_at is the end in force: the declared end, an
-- extension, or an early end; every change is kept in disaster_period_changes.
create table disaster_declarations (
  declaration_id bigint generated always as identity primary key,
  name text not null,
  declared_by text not null,
  declared_at timestamptz not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- equal only for a declaration ended before it began (cancelled)
  check (ends_at >= starts_at)
);

create table disaster_municipalities (
  declaration_id bigint not null references disaster_declarations (declaration_id),
  municipality_code text not null check (municipality_code ~ '^[0-9]{6}$'),
  primary key (declaration_id, municipality_code)
);
-- activeDeclarationFor: from the facility's municipality to its declarations.
create index disaster_municipalities_code on disaster_municipalities (municipality_code, declaration_id);

create table disaster_period_changes (
  declaration_id bigint not null references disaster_declarations (declaration_id),
  changed_at timestamptz not null,
  changed_by text not null,
  kind text not null check (kind in ('extend', 'end')),
  previous_end timestamptz not null,
  new_end timestamptz not null
);
create index disaster_period_changes_declaration on disaster_period_changes (declaration_id, changed_at);
