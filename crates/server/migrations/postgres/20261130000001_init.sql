-- The PostgreSQL schema: the same tables as migrations/sqlite after its migration 16, with
-- bigint for every integer (epoch ms, minor units, counters), unique constraints named so a
-- conflict names its field (see store/errors.rs), and `event_head`, the per-merchant counter
-- row that makes each merchant's event sequence gap-free under concurrent writers.

create table merchant (
    merchant_id            text primary key,
    business_name          text not null,
    merchant_city          text not null,
    country                text not null,
    bakong_account_id      text,
    default_currency       text not null,
    qr_lifetime_secs       bigint not null,
    bill_prefix            text not null constraint merchant_bill_prefix_key unique,
    bill_counter           bigint not null default 0,
    merchant_category_code text not null default '5999',
    khqr_merchant_id       text,
    acquiring_bank         text,
    upi_account            text,
    alt_language           text,
    alt_name               text,
    alt_city               text,
    created_at             bigint not null,
    updated_at             bigint not null
);

create table store (
    store_id    text primary key,
    merchant_id text not null references merchant (merchant_id),
    name        text not null,
    created_at  bigint not null,
    updated_at  bigint not null,
    constraint store_name_key unique (merchant_id, name)
);

create table terminal (
    terminal_id text primary key,
    merchant_id text not null references merchant (merchant_id),
    store_id    text not null references store (store_id),
    label       text not null,
    created_at  bigint not null,
    updated_at  bigint not null,
    constraint terminal_label_key unique (merchant_id, label)
);

create table app_user (
    user_id       text primary key,
    merchant_id   text not null references merchant (merchant_id),
    email         text not null constraint app_user_email_key unique,
    password_hash text not null,
    role          text not null,
    terminal_id   text references terminal (terminal_id),
    created_at    bigint not null,
    updated_at    bigint not null
);

create table session (
    token_hash  text primary key,
    user_id     text not null references app_user (user_id),
    merchant_id text not null references merchant (merchant_id),
    expires_at  bigint not null,
    created_at  bigint not null,
    updated_at  bigint not null
);
create index session_by_user on session (user_id);

create table charge (
    charge_id       text primary key,
    merchant_id     text not null references merchant (merchant_id),
    bill_number     text not null unique,
    amount_minor    bigint not null,
    currency        text not null,
    status          text not null,
    payload         text not null,
    md5             text not null unique,
    merchant_name   text not null,
    note            text,
    idempotency_key text,
    request_hash    text,
    terminal_id     text references terminal (terminal_id),
    resolution      text,
    resolved_at     bigint,
    payment_id      text,
    bakong_done     bigint not null default 0,
    expires_at      bigint not null,
    paid_at         bigint,
    created_at      bigint not null,
    updated_at      bigint not null,
    constraint charge_idempotency_key unique (merchant_id, idempotency_key)
);
create index charge_pending_expiry on charge (status, expires_at);
create index charge_terminal on charge (terminal_id);
create index charge_merchant_time on charge (merchant_id, created_at);
create index charge_bakong_open on charge (merchant_id, created_at)
    where bakong_done = 0 and status in ('pending', 'expired', 'cancelled');

create table payment (
    payment_id     text primary key,
    merchant_id    text not null references merchant (merchant_id),
    network        text not null,
    transaction_id text not null,
    charge_id      text references charge (charge_id),
    amount_minor   bigint not null,
    currency       text not null,
    payer          text not null,
    paid_at        bigint not null,
    resolution     text,
    resolved_at    bigint,
    review_reason  text,
    terminal_id    text references terminal (terminal_id),
    created_at     bigint not null,
    updated_at     bigint not null,
    unique (network, transaction_id)
);
create index payment_merchant_time on payment (merchant_id, created_at);
create index payment_charge on payment (charge_id);
create index payment_unmatched on payment (merchant_id, created_at) where charge_id is null;

-- The head of each merchant's event sequence: taken `update … returning` inside the event's
-- transaction, so writers of one merchant queue on this row and commit in sequence order.
create table event_head (
    merchant_id text primary key references merchant (merchant_id),
    seq         bigint not null
);

create table event (
    merchant_id text not null references merchant (merchant_id),
    seq         bigint not null,
    kind        text not null,
    data        text not null,
    created_at  bigint not null,
    updated_at  bigint not null,
    primary key (merchant_id, seq)
);

create table webhook_receipt (
    network    text not null,
    webhook_id text not null,
    body_hash  text not null,
    created_at bigint not null,
    updated_at bigint not null,
    primary key (network, webhook_id)
);

create table invitation (
    token_hash  text primary key,
    merchant_id text not null references merchant (merchant_id),
    email       text not null,
    role        text not null,
    terminal_id text references terminal (terminal_id),
    invited_by  text not null references app_user (user_id),
    expires_at  bigint not null,
    used_at     bigint,
    created_at  bigint not null,
    updated_at  bigint not null
);

create table pairing (
    code_hash   text primary key,
    merchant_id text not null references merchant (merchant_id),
    terminal_id text not null references terminal (terminal_id),
    expires_at  bigint not null,
    used_at     bigint,
    created_at  bigint not null,
    updated_at  bigint not null
);

create table device (
    device_id   text primary key,
    merchant_id text not null references merchant (merchant_id),
    terminal_id text not null references terminal (terminal_id),
    token_hash  text not null unique,
    name        text not null,
    revoked_at  bigint,
    created_at  bigint not null,
    updated_at  bigint not null
);
create index device_merchant on device (merchant_id, created_at);

create table account_verification (
    account     text primary key,
    merchant_id text not null references merchant (merchant_id),
    verified_at bigint not null,
    created_at  bigint not null,
    updated_at  bigint not null
);

create table unassigned_payment (
    payment_id     text primary key,
    network        text not null,
    transaction_id text not null,
    account        text not null,
    amount_minor   bigint not null,
    currency       text not null,
    payer          text not null,
    paid_at        bigint not null,
    assigned_to    text references merchant (merchant_id),
    assigned_at    bigint,
    created_at     bigint not null,
    updated_at     bigint not null,
    unique (network, transaction_id)
);
create index unassigned_payment_account on unassigned_payment (account) where assigned_to is null;

create table bakong_integration (
    merchant_id      text primary key references merchant (merchant_id),
    token_sealed     text not null,
    token_hint       text not null,
    token_expires_at bigint,
    status           text not null,
    last_error       text,
    last_checked_at  bigint,
    poll_holder      text,
    poll_until       bigint,
    created_at       bigint not null,
    updated_at       bigint not null
);

create table counter_code (
    md5         text primary key,
    merchant_id text not null references merchant (merchant_id),
    terminal_id text not null references terminal (terminal_id),
    created_at  bigint not null,
    updated_at  bigint not null
);

create table password_reset (
    token_hash text primary key,
    email      text not null,
    expires_at bigint not null,
    used_at    bigint,
    created_at bigint not null,
    updated_at bigint not null
);

create table webhook_endpoint (
    endpoint_id            text primary key,
    merchant_id            text not null references merchant (merchant_id),
    url                    text not null,
    description            text,
    -- JSON array of event types; [] is every event
    events                 text not null,
    secret_sealed          text not null,
    previous_secret_sealed text,
    previous_secret_until  bigint,
    enabled                bigint not null default 1,
    disabled_reason        text,
    failing_since          bigint,
    deleted_at             bigint,
    created_at             bigint not null,
    updated_at             bigint not null
);
create index webhook_endpoint_merchant on webhook_endpoint (merchant_id) where deleted_at is null;

create table webhook_delivery (
    delivery_id      text primary key,
    endpoint_id      text not null references webhook_endpoint (endpoint_id),
    merchant_id      text not null,
    seq              bigint not null,
    event_type       text not null,
    body             text not null,
    status           text not null default 'pending',
    attempts         bigint not null default 0,
    next_attempt_at  bigint,
    leased_until     bigint,
    last_status_code bigint,
    last_error       text,
    delivered_at     bigint,
    created_at       bigint not null,
    updated_at       bigint not null
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, created_at);
create index webhook_delivery_leased on webhook_delivery (endpoint_id) where leased_until is not null;

create table api_key (
    key_id       text primary key,
    merchant_id  text not null references merchant (merchant_id),
    name         text not null,
    prefix       text not null,
    key_hash     text not null unique,
    -- JSON array of scopes
    scopes       text not null,
    created_by   text not null,
    last_used_at bigint,
    revoked_at   bigint,
    created_at   bigint not null,
    updated_at   bigint not null
);
create index api_key_merchant on api_key (merchant_id) where revoked_at is null;

-- Counters every instance shares (sign-in failures), in fixed windows.
create table throttle (
    key          text primary key,
    window_start bigint not null,
    hits         bigint not null,
    updated_at   bigint not null
);
create index throttle_window on throttle (window_start);
