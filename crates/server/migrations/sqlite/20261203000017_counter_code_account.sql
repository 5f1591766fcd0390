-- The payee account a remembered counter code encodes: the code is its merchant's only while
-- that merchant holds the account beyond doubt (verified, or the only one claiming it).
alter table counter_code add column account text;
