-- Paired customer-facing devices (kiosks): a device token scoped to one terminal, revocable.
create table pairing (
    code_hash   text primary key,
    merchant_id text not null references merchant (merchant_id),
    terminal_id text not null references terminal (terminal_id),
    expires_at  integer not null,
    used_at     integer,
    created_at  integer not null,
    updated_at  integer not null
);
create table device (
    device_id   text primary key,
    merchant_id text not null references merchant (merchant_id),
    terminal_id text not null references terminal (terminal_id),
    token_hash  text not null unique,
    name        text not null,
    revoked_at  integer,
    created_at  integer not null,
    updated_at  integer not null
);
create index device_merchant on device (merchant_id, created_at);
