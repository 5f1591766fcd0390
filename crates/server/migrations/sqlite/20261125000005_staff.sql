-- Staff: one-time invitations, and the terminal a cashier works at.
create table invitation (
    token_hash  text primary key,
    merchant_id text not null references merchant (merchant_id),
    email       text not null,
    role        text not null,
    terminal_id text references terminal (terminal_id),
    invited_by  text not null references app_user (user_id),
    expires_at  integer not null,
    used_at     integer,
    created_at  integer not null,
    updated_at  integer not null
);
alter table app_user add column terminal_id text references terminal (terminal_id);
