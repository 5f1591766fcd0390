-- The review queue: a late payment is resolved by the merchant (accepted, or refund due).
alter table charge add column resolution text;
alter table charge add column resolved_at integer;
create index payment_unmatched on payment (merchant_id, created_at) where charge_id is null;
