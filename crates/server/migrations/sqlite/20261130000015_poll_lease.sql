-- Which instance asks Bakong about a merchant's charges, until when (a lease: one instance polls
-- a merchant at a time; another takes over when it lapses).
alter table bakong_integration add column poll_holder text;
alter table bakong_integration add column poll_until integer;
