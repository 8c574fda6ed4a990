-- The populations that `onshi seed` and the demo loaded, with the seed each was drawn from. A
-- person's 薬剤・特定健診・診療・手術 history is derived from the person, their qualifications and
-- this seed when it is read (docs/medical-history.md), so no history row is stored per person.
create table populations (
  first_person_id bigint primary key,
  last_person_id bigint not null,
  seed bigint not null check (seed >= 0),
  kind text not null check (kind in ('seeded', 'demo')),
  -- The facilities the population's histories name (the demo's own); null: the generated
  -- facilities of each person's municipality (src/seed/facility-directory.ts).
  facility_codes text[],
  check (last_person_id >= first_person_id)
);
