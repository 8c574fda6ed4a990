-- マイナンバーカード (synthetic): the test certification authority, the certificates it issued,
-- the physical cards (chip and face) and the single-use challenges of the reader protocol.
-- docs/card-model.md explains what is real cryptography and what is modelled.

-- One row: the authority's key and certificate, made once so they survive restarts, and its
-- current signed revocation list (CRL, DER) with a number that grows on every publication.
create table card_authority (
  id smallint primary key check (id = 1),
  certificate_pem text not null,
  private_key_pem text not null,      -- PKCS#8
  crl_der bytea not null,
  crl_number integer not null,
  created_at timestamptz not null
);

-- What the authority and OQS know of a card: its 利用者証明用電子証明書. person_id stays null
-- until 保険証利用登録 links the certificate serial to a person (never a 個人番号).
create table cards (
  card_id text primary key check (card_id ~ '^[0-9A-F]{16}$'),
  certificate_serial text not null unique check (certificate_serial ~ '^[0-9a-f]+$'),
  certificate_pem text not null,
  not_after timestamptz not null,
  issued_at timestamptz not null,
  person_id bigint references persons (person_id),
  registered_at timestamptz
);
create index cards_person on cards (person_id);

-- The physical card: what only the chip holds (private key, PIN, failure counters, which live on
-- the card as in JPKI) and what is printed on its face. The verifier never reads this table.
create table card_chips (
  card_id text primary key references cards (card_id),
  private_key_pem text not null,      -- PKCS#8
  pin_hash text not null,             -- "salt:hmac" (hex), see src/card/pin.ts
  pin_failures smallint not null default 0 check (pin_failures between 0 and 3),
  face_failures smallint not null default 0 check (face_failures between 0 and 10),
  face_name text not null,
  face_address text not null,
  face_birthdate date not null,
  face_sex smallint not null check (face_sex in (1, 2, 3)),
  face_expiry date not null,          -- the card's own 有効期限, printed on its face
  security_code text not null check (security_code ~ '^[0-9]{4}$')
);

create table card_revocations (
  certificate_serial text primary key references cards (certificate_serial),
  revoked_at timestamptz not null
);

-- Kept after use so that a replay is told apart from an unknown challenge.
create table card_challenges (
  nonce text primary key check (nonce ~ '^[0-9a-f]{64}$'),
  issued_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
