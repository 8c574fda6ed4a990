-- マイナンバーカード (synthetic): the test certification authority, the certificates it issued,
-- the physical cards (chip and face), each facility's reader certificate (特定機関認証), the
-- single-use challenges of the reader protocol and the reader sessions that follow a verified card.
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

-- Who a card was issued to: what J-LIS and the insurer's 中間サーバー know behind the 個人番号, which
-- onshi never has. Only 保険証利用登録 reads it, to copy the person into cards.person_id.
create table card_holders (
  card_id text primary key references cards (card_id),
  person_id bigint not null references persons (person_id)
);

-- Each facility's 顔認証付きカードリーダー: its 特定機関 certificate and key from the authority, made
-- on first use. It vouches for face and eye checks (docs/card-model.md).
create table card_readers (
  medical_institution_code text primary key references facilities (medical_institution_code),
  certificate_serial text not null unique check (certificate_serial ~ '^[0-9a-f]+$'),
  certificate_pem text not null,
  private_key_pem text not null,      -- PKCS#8; the reader device's, kept here as the simulator is the device
  not_after timestamptz not null,
  issued_at timestamptz not null
);

-- Revoked serials of cards and readers alike: the authority's one CRL lists both.
create table card_revocations (
  certificate_serial text primary key,
  revoked_at timestamptz not null
);

-- Challenges carry their expiry and a MAC under this key (src/card/challenges.ts): issuing one
-- stores nothing, and every server process checks them alike.
create table card_challenge_key (
  id smallint primary key check (id = 1),
  mac_key bytea not null
);

-- Challenges answered and accepted, until they expire: a second answer to one is a replay.
create table card_challenges (
  nonce text primary key check (nonce ~ '^[0-9a-f]{64}$'),
  used_at timestamptz not null,
  expires_at timestamptz not null
);
create index card_challenges_expiry on card_challenges (expires_at);

-- A verified card at a facility's reader: the patient walks through registration and the consent
-- screens within its lifetime, and completing the check spends it. In the database, so a restart
-- or a second server process carries on.
create table reader_sessions (
  session text primary key check (session ~ '^[0-9a-f]{64}$'),
  medical_institution_code text not null references facilities (medical_institution_code),
  certificate_serial text not null references cards (certificate_serial),
  method text not null check (method in ('pin', 'face', 'visual')),
  scope text not null check (scope in ('full', 'qualification-only')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
