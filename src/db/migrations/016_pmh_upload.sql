-- 医療費助成 (PMH) uploads by municipalities (issue 14 item 3): who may upload, and how the
-- 個人番号 an upload carries finds its person without onshi ever keeping the number.

-- A municipality's (or prefecture's) credential for the upload route, per 全国地方公共団体コード,
-- as facilities have theirs: only its scrypt hash ("salt:hash", hex; src/domain/credential.ts).
-- Issued again, it replaces the one before.
create table municipality_credentials (
  municipality_code text primary key check (municipality_code ~ '^[0-9]{6}$'),
  credential_hash text not null,
  issued_at timestamptz not null
);

-- The key of the one-way keyed hash (HMAC-SHA-256) that turns a 個人番号 into a digest, one per
-- database, made on first use like card_challenge_key. It is never in the digests' table.
create table person_resolution_key (
  id smallint primary key check (id = 1),
  hmac_key bytea not null check (length(hmac_key) = 32)
);

-- The digest of each person's 個人番号 under that key, filled when a population is loaded (every
-- synthetic person has one, docs/pmh.md). An upload's number is hashed and looked up here, then
-- discarded: no table holds the number itself. No foreign key to persons: the rows are derived,
-- written only by the loader for the persons it has just committed (and persons are never
-- deleted), and the key's check per row was a third of the time these rows add to a seeding.
create table person_resolution_digests (
  digest bytea primary key check (length(digest) = 32),
  person_id bigint not null unique
);
