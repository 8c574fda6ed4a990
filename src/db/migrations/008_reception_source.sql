-- The request file a bulk upload came from (folder gateway: its name and the SHA-256 of its bytes).
-- A gateway that stored the reception and died before answering reads the same file again at
-- its next start; it must answer the ReceptionNumber it already made, not start a second run of
-- the same rows. The unique index makes that hold even for two gateways racing on one folder.
-- The hash is cleared when the reception expires, so the same file may be sent again afterwards.
alter table receptions add column source_file_name text;
alter table receptions add column source_sha256 text check (source_sha256 ~ '^[0-9a-f]{64}$');
create unique index receptions_source on receptions (medical_institution_code, kind, source_file_name, source_sha256)
  where source_sha256 is not null;
