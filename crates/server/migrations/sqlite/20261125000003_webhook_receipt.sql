-- Every signed notification we accepted, by its webhook-id: a replay is recognised, and an id
-- reused with a different body is refused.
create table webhook_receipt (
    network    text not null,
    webhook_id text not null,
    body_hash  text not null,
    created_at integer not null,
    updated_at integer not null,
    primary key (network, webhook_id)
);
