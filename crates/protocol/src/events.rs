//! The per-merchant event log as the websocket carries it: sequenced, replayable, forward compatible.
//!
//! Deserialization is written out (module `de`) rather than derived: the derived form of a
//! flattened, internally tagged enum buffers every event into an intermediate tree and doubles
//! the code of each payload type, which the web app pays for in its download size.

use serde::Serialize;

use crate::{ChargeView, PaymentView};

/// One entry of a merchant's event log. `seq` rises by one per merchant, with no gaps.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// sequence number within the merchant's log
    pub seq: u64,
    /// when it happened, epoch ms
    pub at_ms: i64,
    /// what happened
    #[serde(flatten)]
    pub data: EventData,
}

/// What happened.
// reason: short-lived wire values; boxing would only add noise at every construction site
#[allow(clippy::large_enum_variant)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventData {
    /// a charge was created
    ChargeCreated {
        /// the charge
        charge: ChargeView,
    },
    /// a payment settled a charge (paid or paid late)
    ChargePaid {
        /// the charge after payment
        charge: ChargeView,
        /// the payment
        payment: PaymentView,
    },
    /// a charge was cancelled
    ChargeCancelled {
        /// the charge
        charge: ChargeView,
    },
    /// a charge expired unpaid
    ChargeExpired {
        /// the charge
        charge: ChargeView,
    },
    /// a late payment was resolved by the merchant
    ChargeResolved {
        /// the charge
        charge: ChargeView,
    },
    /// a payment to a counter's static QR (the payer typed the amount): a sale at that counter
    PaymentReceived {
        /// the payment, with its counter
        payment: PaymentView,
    },
    /// a payment matched no charge; kept for the merchant to resolve
    PaymentUnmatched {
        /// the payment
        payment: PaymentView,
    },
    /// the merchant resolved a payment that settled no charge
    PaymentResolved {
        /// the payment, with its resolution
        payment: PaymentView,
    },
    /// how tonle's checks with Bakong are going changed (token saved, refused, unreachable…)
    BakongStatus {
        /// the new state
        bakong: crate::BakongHealth,
    },
    /// an event kind this client does not know yet
    #[serde(other)]
    Unknown,
}

/// A message from server to client on `GET /api/v1/events`.
// reason: as for EventData
#[allow(clippy::large_enum_variant)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// sent first: the replay after `since` follows, then live events
    Hello {
        /// the highest sequence number at connect time
        head: u64,
    },
    /// one event
    Event {
        /// the event
        event: Event,
    },
    /// keep-alive
    Heartbeat {
        /// head sequence number now
        head: u64,
    },
    /// a message kind this client does not know yet
    #[serde(other)]
    Unknown,
}

/// Close codes: 1012 and 4000–4499 reconnect and resume; 4500–4999 do not reconnect.
pub mod close {
    /// this instance is restarting or stopping (RFC 6455 "service restart"): reconnect at once,
    /// with `since`; a balancer sends the new socket to another instance
    pub const SHUTDOWN: u16 = 1012;
    /// the client fell behind the live stream, or left too much unread; reconnect with `since`
    pub const LAGGED: u16 = 4000;
    /// what this person may see changed (a new role or counter): reconnect with `since`
    pub const ACCESS_CHANGED: u16 = 4002;
    /// credentials no longer valid: the session ended (signed out, here or everywhere; removed
    /// from the shop; a new password; expired or idle); sign in again
    pub const UNAUTHORIZED: u16 = 4501;
    /// this device was revoked from settings; pair again
    pub const REVOKED: u16 = 4503;
}

mod de {
    use std::fmt;

    use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

    use super::{Event, EventData, ServerMsg};
    use crate::{ChargeView, PaymentView};

    /// Fills a field once; a repeated key is an error, as derived code makes it.
    fn once<T, E: Error>(slot: &mut Option<T>, value: T, name: &'static str) -> Result<(), E> {
        if slot.is_some() {
            return Err(E::duplicate_field(name));
        }
        *slot = Some(value);
        Ok(())
    }

    fn need<T, E: Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
        value.ok_or_else(|| E::missing_field(name))
    }

    fn known_event(kind: &str) -> bool {
        matches!(
            kind,
            "charge_created"
                | "charge_paid"
                | "charge_cancelled"
                | "charge_expired"
                | "charge_resolved"
                | "payment_received"
                | "payment_unmatched"
                | "payment_resolved"
                | "bakong_status"
        )
    }

    /// What an event object may hold, in any order. The server writes `type` first: a payload
    /// after an unknown `type` is skipped unread, so new event kinds never fail old clients.
    #[derive(Default)]
    struct Parts {
        seq: Option<u64>,
        at_ms: Option<i64>,
        kind: Option<String>,
        charge: Option<ChargeView>,
        payment: Option<PaymentView>,
        bakong: Option<crate::BakongHealth>,
    }

    impl Parts {
        fn skip_payloads(&self) -> bool {
            self.kind.as_deref().is_some_and(|k| !known_event(k))
        }

        fn data<E: Error>(self) -> Result<EventData, E> {
            let Parts {
                kind,
                charge,
                payment,
                bakong,
                ..
            } = self;
            Ok(
                match kind.as_deref().ok_or_else(|| E::missing_field("type"))? {
                    "charge_created" => EventData::ChargeCreated {
                        charge: need(charge, "charge")?,
                    },
                    "charge_paid" => EventData::ChargePaid {
                        charge: need(charge, "charge")?,
                        payment: need(payment, "payment")?,
                    },
                    "charge_cancelled" => EventData::ChargeCancelled {
                        charge: need(charge, "charge")?,
                    },
                    "charge_expired" => EventData::ChargeExpired {
                        charge: need(charge, "charge")?,
                    },
                    "charge_resolved" => EventData::ChargeResolved {
                        charge: need(charge, "charge")?,
                    },
                    "payment_received" => EventData::PaymentReceived {
                        payment: need(payment, "payment")?,
                    },
                    "payment_unmatched" => EventData::PaymentUnmatched {
                        payment: need(payment, "payment")?,
                    },
                    "payment_resolved" => EventData::PaymentResolved {
                        payment: need(payment, "payment")?,
                    },
                    "bakong_status" => EventData::BakongStatus {
                        bakong: need(bakong, "bakong")?,
                    },
                    _ => EventData::Unknown,
                },
            )
        }
    }

    struct PartsVisitor;

    impl<'de> Visitor<'de> for PartsVisitor {
        type Value = Parts;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an event object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts, A::Error> {
            let mut p = Parts::default();
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "seq" => once(&mut p.seq, map.next_value()?, "seq")?,
                    "at_ms" => once(&mut p.at_ms, map.next_value()?, "at_ms")?,
                    "type" => once(&mut p.kind, map.next_value()?, "type")?,
                    "charge" if !p.skip_payloads() => {
                        once(&mut p.charge, map.next_value()?, "charge")?;
                    }
                    "payment" if !p.skip_payloads() => {
                        once(&mut p.payment, map.next_value()?, "payment")?;
                    }
                    "bakong" if !p.skip_payloads() => {
                        once(&mut p.bakong, map.next_value()?, "bakong")?;
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(p)
        }
    }

    impl<'de> Deserialize<'de> for EventData {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(PartsVisitor)?.data()
        }
    }

    impl<'de> Deserialize<'de> for Event {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let mut p = d.deserialize_map(PartsVisitor)?;
            let seq = p.seq.take().ok_or_else(|| D::Error::missing_field("seq"))?;
            let at_ms = p
                .at_ms
                .take()
                .ok_or_else(|| D::Error::missing_field("at_ms"))?;
            Ok(Event {
                seq,
                at_ms,
                data: p.data()?,
            })
        }
    }

    struct MsgVisitor;

    impl<'de> Visitor<'de> for MsgVisitor {
        type Value = ServerMsg;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a server message object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ServerMsg, A::Error> {
            let mut kind: Option<String> = None;
            let mut head: Option<u64> = None;
            let mut event: Option<Event> = None;
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "type" => once(&mut kind, map.next_value()?, "type")?,
                    "head" => once(&mut head, map.next_value()?, "head")?,
                    "event" if kind.as_deref().is_none_or(|k| k == "event") => {
                        once(&mut event, map.next_value()?, "event")?;
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }

            Ok(
                match kind
                    .as_deref()
                    .ok_or_else(|| A::Error::missing_field("type"))?
                {
                    "hello" => ServerMsg::Hello {
                        head: need(head, "head")?,
                    },
                    "heartbeat" => ServerMsg::Heartbeat {
                        head: need(head, "head")?,
                    },
                    "event" => ServerMsg::Event {
                        event: need(event, "event")?,
                    },
                    _ => ServerMsg::Unknown,
                },
            )
        }
    }

    impl<'de> Deserialize<'de> for ServerMsg {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(MsgVisitor)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // reason: test code
mod tests {
    use super::*;
    use crate::{ChargeStatus, Payer};

    fn charge() -> ChargeView {
        ChargeView {
            id: "ch_1".into(),
            bill_number: "TL-000001".into(),
            amount: "12.50".into(),
            currency: khqr::Currency::Usd,
            status: ChargeStatus::Paid,
            payload: "000201".into(),
            md5: "0".repeat(32),
            merchant_name: "Shop".into(),
            note: None,
            terminal_id: Some("t_1".into()),
            resolution: None,
            created_at_ms: 1,
            expires_at: "2026-11-25T00:00:00Z".into(),
            expires_at_ms: 2,
            lines: Vec::new(),
            usd_khr_rate: None,
            cny_estimate: None,
        }
    }

    fn payment() -> PaymentView {
        PaymentView {
            id: "pay_1".into(),
            network: crate::Network::Bakong,
            transaction_id: "tx".into(),
            charge_id: Some("ch_1".into()),
            bill_number: Some("TL-000001".into()),
            terminal_id: Some("t-1".into()),
            amount: "12.50".into(),
            currency: khqr::Currency::Usd,
            payer: Payer {
                wallet: "ABA".into(),
                institution: None,
                country: "KH".into(),
                amount: None,
                currency: None,
                rate: None,
                account: None,
                reference: None,
            },
            received_at_ms: 3,
            resolution: None,
            review: None,
            lines: Vec::new(),
            usd_khr_rate: None,
        }
    }

    #[test]
    fn every_event_kind_round_trips() {
        let all = [
            EventData::ChargeCreated { charge: charge() },
            EventData::ChargePaid {
                charge: charge(),
                payment: payment(),
            },
            EventData::ChargeCancelled { charge: charge() },
            EventData::ChargeExpired { charge: charge() },
            EventData::ChargeResolved { charge: charge() },
            EventData::PaymentReceived { payment: payment() },
            EventData::PaymentUnmatched { payment: payment() },
            EventData::PaymentResolved { payment: payment() },
            EventData::BakongStatus {
                bakong: crate::BakongHealth {
                    status: crate::BakongStatus::Unauthorized,
                    last_error: Some("token refused".into()),
                },
            },
        ];
        for (seq, data) in (1..).zip(all) {
            let json = serde_json::to_string(&data).unwrap();
            assert_eq!(serde_json::from_str::<EventData>(&json).unwrap(), data);
            let event = Event {
                seq,
                at_ms: 5,
                data,
            };
            let msg = ServerMsg::Event { event };
            let json = serde_json::to_string(&msg).unwrap();
            assert_eq!(serde_json::from_str::<ServerMsg>(&json).unwrap(), msg);
        }
        for msg in [
            ServerMsg::Hello { head: 7 },
            ServerMsg::Heartbeat { head: 9 },
        ] {
            let json = serde_json::to_string(&msg).unwrap();
            assert_eq!(serde_json::from_str::<ServerMsg>(&json).unwrap(), msg);
        }
    }

    #[test]
    fn fields_in_any_order_and_unknown_kinds_are_read() {
        let charge = serde_json::to_value(charge()).unwrap();
        let late_tag = serde_json::json!({"charge": charge, "seq": 3, "type": "charge_created", "at_ms": 4, "extra": [1]});
        let e: Event = serde_json::from_value(late_tag).unwrap();
        assert_eq!((e.seq, e.at_ms), (3, 4));
        assert!(matches!(e.data, EventData::ChargeCreated { .. }));
        // A future kind whose payload this client cannot read is skipped, not an error (the
        // server writes `type` first).
        let future = r#"{"type":"refund_sent","seq":1,"at_ms":2,"charge":{"new":"shape"}}"#;
        assert_eq!(
            serde_json::from_str::<Event>(future).unwrap().data,
            EventData::Unknown
        );
        let msg = r#"{"type":"shutdown_notice","event":5}"#;
        assert_eq!(
            serde_json::from_str::<ServerMsg>(msg).unwrap(),
            ServerMsg::Unknown
        );
    }

    #[test]
    fn missing_and_repeated_fields_are_named() {
        let err = serde_json::from_str::<Event>(r#"{"seq":1,"at_ms":2,"type":"charge_paid"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("charge"), "{err}");
        let err = serde_json::from_str::<Event>(r#"{"at_ms":2,"type":"x"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("seq"), "{err}");
        let err = serde_json::from_str::<ServerMsg>(r#"{"type":"hello","head":1,"head":2}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("duplicate field `head`"), "{err}");
        assert!(serde_json::from_str::<ServerMsg>(r#"[1]"#).is_err());
    }
}
