-- The disposal request workflow (第5 1(2)(3), docs/subsidy-office.md 「補助金台帳」): who asked for
-- the disposal and who decided it, by account and by the name shown then (as every actor of the
-- office is kept), and the day the facility means to dispose of the readers, which is the day
-- checked against their useful life.
alter table equipment_disposals
  add column planned_on date not null,
  add column requested_by bigint not null references staff_accounts (account_id),
  add column requested_by_name text not null,
  add column decided_by_name text;
create index equipment_disposals_pending on equipment_disposals (state, disposal_id);
