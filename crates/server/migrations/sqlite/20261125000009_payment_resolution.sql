-- A payment that settled no charge is resolved by the merchant too (kept as a sale, or refund due).
alter table payment add column resolution text;
alter table payment add column resolved_at integer;
