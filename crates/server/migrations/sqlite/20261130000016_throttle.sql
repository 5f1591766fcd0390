-- Counters every instance shares (sign-in failures), in fixed windows.
create table throttle (
    key          text primary key,
    window_start integer not null,
    hits         integer not null,
    updated_at   integer not null
);
create index throttle_window on throttle (window_start);
