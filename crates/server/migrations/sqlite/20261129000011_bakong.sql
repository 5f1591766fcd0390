-- A merchant's Bakong Open API token, sealed with the server key, and how checks with it go.
create table bakong_integration (
    merchant_id      text primary key references merchant (merchant_id),
    token_sealed     text not null,
    token_hint       text not null,
    token_expires_at integer,
    status           text not null,
    last_error       text,
    last_checked_at  integer,
    created_at       integer not null,
    updated_at       integer not null
);

-- Set once tonle has asked Bakong about a charge for the last time (its expiry plus a grace
-- window), or Bakong said it cannot tell (a static code). Open charges are what the poller reads
-- at every start, so a restart forgets nothing.
alter table charge add column bakong_done integer not null default 0;
create index charge_bakong_open on charge (merchant_id, created_at)
    where bakong_done = 0 and status in ('pending', 'expired', 'cancelled');
