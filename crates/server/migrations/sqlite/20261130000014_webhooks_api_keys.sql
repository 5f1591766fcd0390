-- Webhooks out: where a merchant's other systems want to hear of events, with the signing
-- secret sealed by the server key (and the previous one for 24 hours after a rotation).
create table webhook_endpoint (
    endpoint_id            text primary key,
    merchant_id            text not null references merchant (merchant_id),
    url                    text not null,
    description            text,
    -- JSON array of event types; [] is every event
    events                 text not null,
    secret_sealed          text not null,
    previous_secret_sealed text,
    previous_secret_until  integer,
    enabled                integer not null default 1,
    disabled_reason        text,
    failing_since          integer,
    deleted_at             integer,
    created_at             integer not null,
    updated_at             integer not null
);
create index webhook_endpoint_merchant on webhook_endpoint (merchant_id) where deleted_at is null;

-- The outbox: one row per event per endpoint, written in the event's own transaction, so a
-- crash loses no delivery. Its id is the `webhook-id` of every attempt.
create table webhook_delivery (
    delivery_id      text primary key,
    endpoint_id      text not null references webhook_endpoint (endpoint_id),
    merchant_id      text not null,
    seq              integer not null,
    event_type       text not null,
    body             text not null,
    status           text not null default 'pending',
    attempts         integer not null default 0,
    next_attempt_at  integer,
    -- set while a worker sends it: no other worker takes it, and one endpoint has at most a few
    -- in flight (a crash mid-send retries once the lease ends)
    leased_until     integer,
    last_status_code integer,
    last_error       text,
    delivered_at     integer,
    created_at       integer not null,
    updated_at       integer not null
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, created_at);
create index webhook_delivery_leased on webhook_delivery (endpoint_id) where leased_until is not null;

-- API keys: only the SHA-256 of the key is kept.
create table api_key (
    key_id       text primary key,
    merchant_id  text not null references merchant (merchant_id),
    name         text not null,
    prefix       text not null,
    key_hash     text not null unique,
    -- JSON array of scopes
    scopes       text not null,
    created_by   text not null,
    last_used_at integer,
    revoked_at   integer,
    created_at   integer not null,
    updated_at   integer not null
);
create index api_key_merchant on api_key (merchant_id) where revoked_at is null;
