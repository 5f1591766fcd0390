//! Which events of the log a linked Telegram chat is told of, as what kind, and at which
//! counter (a chat scoped to a counter or a store is told only of its own).

use crate::api;

/// The kind of chat message an event is, and the counter it happened at, or `None` when chats
/// are not told of it. The body a chat's row carries is the event itself.
pub fn of(event: &api::Event) -> Option<(api::ChatEvent, Option<&str>)> {
    match &event.data {
        api::EventData::ChargePaid { charge, payment } => {
            let kind = if charge.status == api::ChargeStatus::PaidLate {
                api::ChatEvent::PaidLate
            } else {
                api::ChatEvent::Paid
            };
            let at = charge
                .terminal_id
                .as_deref()
                .or(payment.terminal_id.as_deref());
            Some((kind, at))
        }
        // A payment to a counter's printed code: the payer typed the amount.
        api::EventData::PaymentReceived { payment } => {
            Some((api::ChatEvent::Paid, payment.terminal_id.as_deref()))
        }
        api::EventData::PaymentUnmatched { payment } => {
            Some((api::ChatEvent::Review, payment.terminal_id.as_deref()))
        }
        api::EventData::BakongStatus { bakong }
            if bakong.status == api::BakongStatus::Unauthorized =>
        {
            Some((api::ChatEvent::Bakong, None))
        }
        _ => None,
    }
}

/// The event as a chat row stores it.
pub fn body(event: &api::Event) -> Result<String, serde_json::Error> {
    serde_json::to_string(event)
}
