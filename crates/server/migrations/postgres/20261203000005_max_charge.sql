-- The largest amount one charge may ask, per currency: a JSON array of {amount, currency} in
-- minor units (none: up to what a QR carries).
alter table merchant add column max_charge text;
