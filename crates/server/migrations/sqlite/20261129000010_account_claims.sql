-- A payee account (Bakong account ID, or UnionPay merchant ID) named by a merchant's profile is a
-- claim anyone can make. Whoever runs the server verifies which merchant an account belongs to;
-- a payment that settled no charge is credited only to that merchant.
create table account_verification (
    account     text primary key,
    merchant_id text not null references merchant (merchant_id),
    verified_at integer not null,
    created_at  integer not null,
    updated_at  integer not null
);

-- Payments that settled no charge and name an account nobody holds a verified claim on: kept,
-- credited to no one, until the account is verified.
create table unassigned_payment (
    payment_id     text primary key,
    network        text not null,
    transaction_id text not null,
    account        text not null,
    amount_minor   integer not null,
    currency       text not null,
    payer          text not null,
    paid_at        integer not null,
    assigned_to    text references merchant (merchant_id),
    assigned_at    integer,
    created_at     integer not null,
    updated_at     integer not null,
    unique (network, transaction_id)
);
create index unassigned_payment_account on unassigned_payment (account) where assigned_to is null;

-- Why a payment settled no charge (or what was odd about one that did): shown in the review queue.
alter table payment add column review_reason text;
