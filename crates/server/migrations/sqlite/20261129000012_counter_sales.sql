-- A payment to a counter's static QR (its poster, the idle kiosk) is a sale at that counter:
-- each static code ever shown is remembered by its md5, so a poster printed before a profile
-- edit still names its counter.
create table counter_code (
    md5         text primary key,
    merchant_id text not null references merchant (merchant_id),
    terminal_id text not null references terminal (terminal_id),
    created_at  integer not null,
    updated_at  integer not null
);

-- The counter of a payment that settled no charge but paid a counter's code.
alter table payment add column terminal_id text references terminal (terminal_id);
