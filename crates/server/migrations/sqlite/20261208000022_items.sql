-- Items a cashier taps into a cart. Prices are minor units per currency (null: not sold in it);
-- names is a JSON object {km?, zh?}; store_ids a JSON array (empty: every store).
create table item (
    item_id     text primary key,
    merchant_id text not null references merchant (merchant_id),
    name        text not null,
    names       text not null default '{}',
    category    text,
    price_khr   integer,
    price_usd   integer,
    price_cny   integer,
    available   integer not null default 1,
    position    integer not null,
    store_ids   text not null default '[]',
    deleted_at  integer,
    created_at  integer not null,
    updated_at  integer not null
);
create index item_merchant on item (merchant_id, position);

-- What a charge sold, as sold, with the rates it used: JSON {lines, usd_khr_rate?, cny_estimate?}.
alter table charge add column sale text;

-- Riel per dollar at this shop, a decimal string (e.g. "4100").
alter table merchant add column usd_khr_rate text;

-- The latest reference rate fetched per currency: yuan per unit, in units of 10^-8.
create table fx_latest (
    currency   text primary key,
    cny_e8     integer not null,
    source     text not null,
    rate_date  text not null,
    fetched_at integer not null
);

-- The rate in use per merchant and currency; merchant_id '' is the server's baseline, used by a
-- merchant without a row of its own. A fetched rate within 10% of a row's replaces it; a larger
-- jump waits for the owner (who copies fx_latest into the merchant's row). source 'owner': the
-- owner's own rate, never replaced by a fetch.
create table fx_rate (
    merchant_id text not null,
    currency    text not null,
    cny_e8      integer not null,
    source      text not null,
    rate_date   text not null,
    fetched_at  integer not null,
    primary key (merchant_id, currency)
);
