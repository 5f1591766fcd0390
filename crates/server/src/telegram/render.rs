//! A chat's outbox rows as the message that carries them: the event a row holds, read with what
//! the shop knows (its name and time zone, the counter's and store's names), put in words by
//! `text` and `notice` in the chat's language.

use khqr::Money;

use super::notice;
use super::text::{self, PaymentAlert};
use crate::api;
use crate::store::{ChatRow, MessageRow, Store};

/// What the shop knows that a message needs.
pub struct Shop {
    /// its name
    pub name: String,
    /// its offset from UTC, ms
    pub offset_ms: i64,
}

impl Shop {
    /// The merchant's name and time zone.
    pub async fn of(store: &dyn Store, merchant_id: &str) -> Result<Self, String> {
        let m = store
            .merchant(merchant_id)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Self {
            name: m.business_name,
            offset_ms: api::calendar::utc_offset_ms(m.country),
        })
    }
}

/// Whether a row is a payment a listing may carry.
pub fn is_payment(row: &MessageRow) -> bool {
    row.kind == api::ChatEvent::Paid.as_str() || row.kind == api::ChatEvent::PaidLate.as_str()
}

fn event(row: &MessageRow) -> Result<api::Event, String> {
    serde_json::from_str(&row.body).map_err(|e| format!("stored event unreadable: {e}"))
}

fn payment_of(e: &api::Event) -> Option<(&api::PaymentView, Option<&api::ChargeView>)> {
    match &e.data {
        api::EventData::ChargePaid { charge, payment } => Some((payment, Some(charge))),
        api::EventData::PaymentReceived { payment }
        | api::EventData::PaymentUnmatched { payment } => Some((payment, None)),
        _ => None,
    }
}

/// A payment row as the alert `text` words.
async fn alert(
    store: &dyn Store,
    chat: &ChatRow,
    shop: &Shop,
    row: &MessageRow,
) -> Result<PaymentAlert, String> {
    let e = event(row)?;
    let (p, charge) = payment_of(&e).ok_or("not a payment")?;
    let money = Money::parse(&p.amount, p.currency).map_err(|e| e.to_string())?;
    let counter_id = charge
        .and_then(|c| c.terminal_id.as_deref())
        .or(p.terminal_id.as_deref());
    let place = match counter_id {
        Some(id) => store.terminal(&chat.merchant_id, id).await.ok(),
        None => None,
    };
    let payer_paid = match (&p.payer.amount, p.payer.currency, &p.payer.rate) {
        (Some(amount), Some(c), Some(rate)) if c != p.currency => {
            Money::parse(amount, c).ok().map(|m| (m, rate.clone()))
        }
        _ => None,
    };
    let wallet = match p.network {
        api::Network::Bakong => "Bakong".to_owned(),
        api::Network::Unionpay => "UnionPay".to_owned(),
        _ => p.payer.wallet.clone(),
    };
    Ok(PaymentAlert {
        money,
        late: row.kind == api::ChatEvent::PaidLate.as_str(),
        counter: place.as_ref().map(|t| t.label.clone()),
        store: place.map(|t| t.store_name),
        paid_at_ms: p.received_at_ms,
        utc_offset_ms: shop.offset_ms,
        wallet,
        payer_bank: p.payer.institution.clone(),
        payer_paid,
        bill_number: charge
            .map(|c| c.bill_number.clone())
            .or_else(|| p.bill_number.clone())
            .unwrap_or_else(|| "-".into()),
        reference: p.transaction_id.clone(),
    })
}

/// The message carrying `rows` (one row, or several payments as one listing).
pub async fn html(
    store: &dyn Store,
    chat: &ChatRow,
    shop: &Shop,
    rows: &[MessageRow],
) -> Result<String, String> {
    let lang = chat.language;
    if rows.len() > 1 {
        let mut alerts = Vec::with_capacity(rows.len());
        for r in rows {
            alerts.push(alert(store, chat, shop, r).await?);
        }
        return Ok(text::listing(lang, &alerts));
    }
    let row = rows.first().ok_or("nothing to send")?;
    match row.kind.as_str() {
        "paid" | "paid_late" => Ok(text::payment(lang, &alert(store, chat, shop, row).await?)),
        "review" => {
            let e = event(row)?;
            let (p, _) = payment_of(&e).ok_or("not a payment")?;
            let money = Money::parse(&p.amount, p.currency).map_err(|e| e.to_string())?;
            let when = text::local_time(p.received_at_ms, shop.offset_ms);
            Ok(notice::review(lang, &money, &when, &p.transaction_id))
        }
        "linked" => {
            let scope = match (&chat.terminal_id, &chat.store_id) {
                (Some(t), _) => store
                    .terminal(&chat.merchant_id, t)
                    .await
                    .ok()
                    .map(|t| t.label),
                (None, Some(s)) => store
                    .stores(&chat.merchant_id)
                    .await
                    .ok()
                    .and_then(|all| all.into_iter().find(|x| &x.store_id == s))
                    .map(|s| s.name),
                (None, None) => None,
            };
            Ok(notice::linked(lang, &shop.name, scope.as_deref()))
        }
        "test" => Ok(notice::test(lang)),
        "summary" | "text" => Ok(row.body.clone()),
        "bakong" => Ok(notice::bakong_refused(lang)),
        "bakong_expiring" => {
            let at: i64 = row.body.parse().map_err(|_| "expiry unreadable")?;
            let days = (at - row.created_at).div_euclid(86_400_000).max(0);
            let date = text::local_time(at, shop.offset_ms);
            let date = date.split(' ').next().unwrap_or_default();
            Ok(notice::bakong_expiring(lang, days, date))
        }
        "webhook_off" => {
            let v: serde_json::Value =
                serde_json::from_str(&row.body).map_err(|e| e.to_string())?;
            let id = v["endpoint_id"].as_str().unwrap_or_default();
            let url = store
                .webhook_endpoint(&chat.merchant_id, id)
                .await
                .map(|e| e.url)
                .unwrap_or_else(|_| id.to_owned());
            Ok(notice::webhook_off(
                lang,
                &url,
                v["reason"].as_str().unwrap_or_default(),
            ))
        }
        other => Err(format!("unknown message kind {other}")),
    }
}
