-- Which payment settled a charge, so every other payment is listed for review.
alter table charge add column payment_id text;
update charge set payment_id = (
    select p.payment_id from payment p where p.charge_id = charge.charge_id
    order by p.created_at, p.payment_id limit 1
) where status in ('paid', 'paid_late');
