-- 医療機関等向け電子証明書: the TLS client certificates by which the real WebAPI knows a facility,
-- issued by onshi's test authority (`onshi facilities cert issue`). Only the certificate is kept:
-- its private key goes to the facility alone. The authority's one CRL (card_revocations) covers
-- these serials too.
create table facility_certificates (
  certificate_serial text primary key check (certificate_serial ~ '^[0-9a-f]+$'),
  medical_institution_code text not null references facilities (medical_institution_code),
  certificate_pem text not null,
  not_after timestamptz not null,
  issued_at timestamptz not null
);
create index facility_certificates_facility on facility_certificates (medical_institution_code);

-- One row: the HTTPS server's own certificate (`onshi serve --tls`) from the same authority, kept
-- so a restart serves the certificate the facilities already trust.
create table tls_server_certificate (
  id smallint primary key check (id = 1),
  certificate_pem text not null,
  private_key_pem text not null       -- PKCS#8
);
