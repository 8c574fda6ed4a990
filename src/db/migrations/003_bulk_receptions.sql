-- Two-phase bulk messages (一括照会 OQSmuquc01/02, 照会番号一括登録 OQSmuimm01/02): an upload is
-- stored as a reception with its rows, answered with a ReceptionNumber, and processed in the
-- background in chunks. Each chunk's results are inserted in the transaction that computes
-- them, keyed by (reception_number, row_index): a worker killed mid-chunk leaves no partial
-- chunk, the next worker redoes exactly the rows that have no result, and a row cannot get two.
-- Progress is derived from what is stored (no counter to drift).

create table receptions (
  -- 20 digits: JST yyyyMMddHHmmss of the upload + 6 random digits (the real format is not public).
  reception_number text primary key check (reception_number ~ '^[0-9]{20}$'),
  medical_institution_code text not null references facilities (medical_institution_code),
  kind text not null check (kind in ('muquc', 'muimm')),
  confirmation_date date,                 -- QualificationConfirmationDate (一括照会 only)
  arbitrary_file_identifier text,
  row_count integer not null check (row_count > 0),
  received_at timestamptz not null,
  -- Results are shown no earlier than this (the optional artificial processing delay).
  ready_at timestamptz not null,
  finished_at timestamptz,                -- set by the worker once every row has a result
  expires_at timestamptz not null,
  -- Set when the retention period has passed and the rows were deleted; the reception itself is
  -- kept so that a late download is told "expired" rather than "unknown".
  expired boolean not null default false
);
create index receptions_unfinished on receptions (received_at) where finished_at is null;
create index receptions_expiry on receptions (expires_at) where not expired;

-- The uploaded rows, as the message tree (json, not jsonb: element order is significant).
create table reception_items (
  reception_number text not null references receptions (reception_number) on delete cascade,
  row_index integer not null,
  request json not null,
  primary key (reception_number, row_index)
);

-- One result per row: ProcessingResultStatus (1 正常, 2 エラー) and the answer tree.
create table reception_results (
  reception_number text not null references receptions (reception_number) on delete cascade,
  row_index integer not null,
  status smallint not null check (status in (1, 2)),
  result json not null,
  primary key (reception_number, row_index)
);
