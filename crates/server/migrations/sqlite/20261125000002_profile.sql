-- The full merchant profile: KHQR merchant account, UnionPay account, MCC, alternate language.
alter table merchant add column merchant_category_code text not null default '5999';
alter table merchant add column khqr_merchant_id text;
alter table merchant add column acquiring_bank text;
alter table merchant add column upi_account text;
alter table merchant add column alt_language text;
alter table merchant add column alt_name text;
alter table merchant add column alt_city text;
