-- tonle's first schema: merchants and their users, sessions, charges, payments and the event log.
create table merchant (
    merchant_id       text primary key,
    business_name     text not null,
    merchant_city     text not null,
    country           text not null,
    bakong_account_id text,
    default_currency  text not null,
    qr_lifetime_secs  integer not null,
    bill_prefix       text not null unique,
    bill_counter      integer not null default 0,
    created_at        integer not null,
    updated_at        integer not null
);

create table app_user (
    user_id       text primary key,
    merchant_id   text not null references merchant (merchant_id),
    email         text not null unique,
    password_hash text not null,
    role          text not null,
    created_at    integer not null,
    updated_at    integer not null
);

create table session (
    token_hash  text primary key,
    user_id     text not null references app_user (user_id),
    merchant_id text not null references merchant (merchant_id),
    expires_at  integer not null,
    created_at  integer not null,
    updated_at  integer not null
);

create table charge (
    charge_id       text primary key,
    merchant_id     text not null references merchant (merchant_id),
    bill_number     text not null unique,
    amount_minor    integer not null,
    currency        text not null,
    status          text not null,
    payload         text not null,
    md5             text not null unique,
    merchant_name   text not null,
    note            text,
    idempotency_key text,
    request_hash    text,
    expires_at      integer not null,
    paid_at         integer,
    created_at      integer not null,
    updated_at      integer not null,
    unique (merchant_id, idempotency_key)
);
create index charge_pending_expiry on charge (status, expires_at);

create table payment (
    payment_id     text primary key,
    merchant_id    text not null references merchant (merchant_id),
    network        text not null,
    transaction_id text not null,
    charge_id      text references charge (charge_id),
    amount_minor   integer not null,
    currency       text not null,
    payer          text not null,
    paid_at        integer not null,
    created_at     integer not null,
    updated_at     integer not null,
    unique (network, transaction_id)
);
create index payment_merchant_time on payment (merchant_id, created_at);

create table event (
    merchant_id text not null references merchant (merchant_id),
    seq         integer not null,
    kind        text not null,
    data        text not null,
    created_at  integer not null,
    updated_at  integer not null,
    primary key (merchant_id, seq)
);
