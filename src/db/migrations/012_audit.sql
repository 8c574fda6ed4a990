-- The audit log of views of medical information (docs/audit.md). One hash chain over every record:
-- each row stores the canonical JSON of its event (body), the previous record's hash and its own,
--   hash = hex(sha256(utf8(prev_hash || E'\n' || body))), the first record's prev_hash 64 zeros.
-- at, facility_code and person_id repeat fields of body for the indexes; verify checks they agree.
create table audit_records (
  seq bigint primary key,
  at timestamptz not null,
  facility_code text not null,
  person_id bigint not null,
  body text not null,
  prev_hash text not null,
  hash text not null
);
create index audit_records_person on audit_records (person_id, seq);
create index audit_records_at on audit_records (at);

-- The chain's last record (seq 0 and 64 zeros before the first). An append locks this row until
-- its transaction ends, so concurrent appends queue and form one chain with gapless seq.
create table audit_chain_head (
  id int primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into audit_chain_head values (1, 0, repeat('0', 64));

-- No route updates or deletes a record; the database refuses it too. Whoever can drop these
-- triggers can rewrite the table, which `onshi audit verify` then detects.
create function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit records are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger audit_records_append_only before update or delete on audit_records
  for each row execute function audit_refuse_change();
create trigger audit_records_no_truncate before truncate on audit_records
  for each statement execute function audit_refuse_change();

-- The head only moves forward one record at a time, and never goes away.
create function audit_head_forward() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' or new.seq <> old.seq + 1 then
    raise exception 'the audit chain head only moves forward one record' using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;
create trigger audit_chain_head_forward before update or delete on audit_chain_head
  for each row execute function audit_head_forward();
create trigger audit_chain_head_no_truncate before truncate on audit_chain_head
  for each statement execute function audit_refuse_change();
