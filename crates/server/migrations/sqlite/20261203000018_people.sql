-- People: sessions get an id (to list and end them one by one), the time they were last used
-- (idle sessions end) and the browser they came from; staff can be removed (their email is freed
-- and kept aside for the record) and say whether they proved their address; invitations get an
-- id and can be revoked.
alter table session add column session_id text;
alter table session add column last_seen_at bigint;
alter table session add column user_agent text;
update session set session_id = 'ses_' || substr(token_hash, 1, 24), last_seen_at = created_at;
create unique index session_by_id on session (session_id);

alter table app_user add column removed_at bigint;
alter table app_user add column removed_email text;
alter table app_user add column email_verified_at bigint;

alter table invitation add column invitation_id text;
alter table invitation add column revoked_at bigint;
alter table invitation add column emailed_at bigint;
update invitation set invitation_id = 'inv_' || substr(token_hash, 1, 24);
create unique index invitation_by_id on invitation (invitation_id);
create index invitation_by_merchant on invitation (merchant_id, expires_at);
