-- Payment alerts in Telegram. A link code (only its hash kept) is made by an owner or manager
-- and used once, within 10 minutes, by `/start <code>` in a chat; the chat is then linked with
-- the code's scope and language.
create table telegram_link_code (
    code_hash   text primary key,
    merchant_id text not null references merchant (merchant_id),
    language    text not null,
    store_id    text,
    terminal_id text,
    events      text not null default '[]',
    expires_at  bigint not null,
    used_at     bigint,
    created_at  bigint not null
);
create index telegram_link_code_merchant on telegram_link_code (merchant_id, created_at);

-- A linked chat (or forum topic). `leased_until`: the sender working on it; `paused_until`:
-- nothing is sent before (Telegram's retry_after, back-off); `summary_day`: the last shop-local
-- day whose summary was queued.
create table telegram_chat (
    link_id           text primary key,
    merchant_id       text not null references merchant (merchant_id),
    chat_id           bigint not null,
    thread_id         bigint,
    title             text not null,
    language          text not null,
    store_id          text,
    terminal_id       text,
    events            text not null default '[]',
    quiet_from        bigint,
    quiet_to          bigint,
    summary_hour      bigint not null default 22,
    status            text not null default 'active',
    removed_reason    text,
    last_delivered_at bigint,
    summary_day       bigint,
    leased_until      bigint,
    paused_until      bigint,
    failures          bigint not null default 0,
    created_at        bigint not null,
    updated_at        bigint not null,
    deleted_at        bigint
);
create unique index telegram_chat_live on telegram_chat (merchant_id, chat_id, coalesce(thread_id, 0)) where deleted_at is null;
create index telegram_chat_by_chat on telegram_chat (chat_id);

-- The outbox: one row per (event, chat), written in the event's transaction. A row that got a
-- `message_id` back is never sent again. `maybe_sent`: a send timed out after it went out (it
-- is retried once, then left `unconfirmed`).
create table telegram_message (
    message_row_id text primary key,
    link_id        text not null references telegram_chat (link_id),
    merchant_id    text not null,
    seq            bigint,
    kind           text not null,
    body           text not null,
    status         text not null default 'pending',
    message_id     bigint,
    attempts       bigint not null default 0,
    maybe_sent     bigint not null default 0,
    last_error     text,
    sent_at        bigint,
    created_at     bigint not null,
    updated_at     bigint not null
);
create index telegram_message_waiting on telegram_message (link_id, created_at) where status = 'pending';
create unique index telegram_message_once on telegram_message (link_id, seq) where seq is not null;

-- The bot's `getUpdates` offset, and which instance polls (a lease, as the Bakong poller's).
create table telegram_bot (
    id          bigint primary key,
    next_update bigint not null default 0,
    holder      text,
    until       bigint
);
insert into telegram_bot (id, next_update) values (1, 0);
