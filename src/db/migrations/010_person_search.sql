-- `onshi persons find`: a カナ prefix is a range in code point order (collation "C"), which the
-- index also gives the answer's order in; a birth date alone; a card number without its insurer.
create index persons_name_kana on persons (name_kana collate "C", birthdate);
create index persons_birthdate on persons (birthdate);
create index qualifications_number on qualifications (insured_identification_number);
