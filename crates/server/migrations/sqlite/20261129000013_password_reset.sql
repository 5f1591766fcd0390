-- Emailed password-reset links: the token's hash only, valid for an hour, used once.
create table password_reset (
    token_hash text primary key,
    email      text not null,
    expires_at integer not null,
    used_at    integer,
    created_at integer not null,
    updated_at integer not null
);
