-- Reading a month of every facility (the usage rates' group totals, docs/usage.md): the tables of
-- migration 020 are keyed by facility first, so a month's rows would otherwise be a scan of all
-- months (230,000 facilities × 25 months in the national simulation). A facility's own months are
-- served by the primary keys.
create index usage_month_totals_month on usage_month_totals (month);
create index usage_days_day on usage_days (day);
create index usage_card_persons_month on usage_card_persons (month, medical_institution_code);
create index usage_receipts_month on usage_receipts (month);
