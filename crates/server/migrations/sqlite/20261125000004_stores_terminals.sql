-- Stores and their terminals (counters); a charge may name the terminal it was made at.
create table store (
    store_id    text primary key,
    merchant_id text not null references merchant (merchant_id),
    name        text not null,
    created_at  integer not null,
    updated_at  integer not null,
    unique (merchant_id, name)
);

create table terminal (
    terminal_id text primary key,
    merchant_id text not null references merchant (merchant_id),
    store_id    text not null references store (store_id),
    label       text not null,
    created_at  integer not null,
    updated_at  integer not null,
    unique (merchant_id, label)
);

alter table charge add column terminal_id text references terminal (terminal_id);
create index charge_terminal on charge (terminal_id);
