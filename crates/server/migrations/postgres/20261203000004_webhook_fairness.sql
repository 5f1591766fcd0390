-- An endpoint that fails is backed off as a whole: `failures` counts its attempts failed in a
-- row, and nothing is sent to it before `paused_until` (then one delivery probes it).
alter table webhook_endpoint add column failures bigint not null default 0;
alter table webhook_endpoint add column paused_until bigint;
create index webhook_delivery_in_flight on webhook_delivery (merchant_id) where leased_until is not null;
