//! A charge's life: pending until it is paid (in time or late), expires or is cancelled; a late
//! payment is then kept or refunded, once. `step` says whether a move is allowed from where a
//! charge stands and where it lands; `event` says what the screens are told. Payments move a
//! charge through `settlement::judge`, which decides paid or paid late.

use khqr::Money;

use crate::api;
use crate::api::ChargeStatus as S;
use crate::clock::rfc3339;

/// A charge.
#[derive(Debug, Clone)]
pub struct ChargeRow {
    /// id
    pub charge_id: api::ChargeId,
    /// merchant
    pub merchant_id: api::MerchantId,
    /// bill number
    pub bill_number: api::BillNumber,
    /// amount
    pub money: Money,
    /// state
    pub status: api::ChargeStatus,
    /// QR payload
    pub payload: String,
    /// md5
    pub md5: khqr::khqr::Md5,
    /// name on the QR
    pub merchant_name: String,
    /// note
    pub note: Option<String>,
    /// hash of the creating request (idempotency)
    pub request_hash: Option<String>,
    /// terminal it was made at
    pub terminal_id: Option<api::TerminalId>,
    /// how a late payment was resolved
    pub resolution: Option<api::Resolution>,
    /// expiry, epoch ms
    pub expires_at: i64,
    /// creation, epoch ms
    pub created_at: i64,
    /// what it sold and the rates it used
    pub sale: Sale,
}

/// What a charge sold, as sold, with the rates it used (stored with the charge as JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sale {
    /// the lines
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<api::SoldLine>,
    /// riel per dollar used for dollar-priced items
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_khr_rate: Option<String>,
    /// the yuan estimate shown to the payer
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cny_estimate: Option<api::CnyEstimate>,
}

impl Sale {
    /// Nothing to keep.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.usd_khr_rate.is_none() && self.cny_estimate.is_none()
    }
}

/// A charge for the wire.
pub fn view(c: &ChargeRow) -> api::ChargeView {
    api::ChargeView {
        id: c.charge_id.to_string(),
        bill_number: c.bill_number.to_string(),
        amount: c.money.to_decimal_string(),
        currency: c.money.currency,
        status: c.status,
        payload: c.payload.clone(),
        md5: c.md5.to_string(),
        merchant_name: c.merchant_name.clone(),
        note: c.note.clone(),
        terminal_id: c.terminal_id.as_deref().map(str::to_owned),
        resolution: c.resolution,
        created_at_ms: c.created_at,
        expires_at: rfc3339(c.expires_at),
        expires_at_ms: c.expires_at,
        lines: c.sale.lines.clone(),
        usd_khr_rate: c.sale.usd_khr_rate.clone(),
        cny_estimate: c.sale.cny_estimate.clone(),
    }
}

/// A move someone (or the clock) asks of a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// staff cancel it before it is paid
    Cancel,
    /// its QR's lifetime ran out unpaid
    Expire,
    /// the merchant keeps or refunds a late payment
    Resolve(api::Resolution),
}

/// Why a move is refused: the charge is not where the move starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// where it stands
    pub status: api::ChargeStatus,
}

/// Where `charge` lands after `mv`: its new status and resolution, or why not.
pub fn step(
    charge: &ChargeRow,
    mv: Move,
) -> Result<(api::ChargeStatus, Option<api::Resolution>), Refused> {
    let refused = Refused {
        status: charge.status,
    };
    match (charge.status, mv) {
        (S::Pending, Move::Cancel) => Ok((S::Cancelled, None)),
        (S::Pending, Move::Expire) => Ok((S::Expired, None)),
        (S::PaidLate, Move::Resolve(r)) if charge.resolution.is_none() => {
            Ok((S::PaidLate, Some(r)))
        }
        _ => Err(refused),
    }
}

/// What the screens (and webhooks) are told after `mv` moved `charge` (as it is after it).
pub fn event(mv: Move, charge: &ChargeRow) -> api::EventData {
    let charge = view(charge);
    match mv {
        Move::Cancel => api::EventData::ChargeCancelled { charge },
        Move::Expire => api::EventData::ChargeExpired { charge },
        Move::Resolve(_) => api::EventData::ChargeResolved { charge },
    }
}

#[cfg(test)]
mod tests {
    use khqr::{Currency, Money};

    use super::*;

    fn charge(status: api::ChargeStatus, resolution: Option<api::Resolution>) -> ChargeRow {
        ChargeRow {
            charge_id: "c".into(),
            merchant_id: "m".into(),
            bill_number: "B-1".into(),
            money: Money::parse("100", Currency::Khr).unwrap(),
            status,
            payload: String::new(),
            md5: khqr::khqr::Md5::of(""),
            merchant_name: "Shop".into(),
            note: None,
            request_hash: None,
            terminal_id: None,
            resolution,
            expires_at: 0,
            created_at: 0,
            sale: Default::default(),
        }
    }

    #[test]
    fn only_a_pending_charge_is_cancelled_or_expires() {
        for mv in [Move::Cancel, Move::Expire] {
            assert!(step(&charge(S::Pending, None), mv).is_ok());
            for status in [S::Paid, S::PaidLate, S::Expired, S::Cancelled] {
                assert_eq!(
                    step(&charge(status, None), mv),
                    Err(Refused { status }),
                    "{mv:?} from {status:?}"
                );
            }
        }
        assert_eq!(
            step(&charge(S::Pending, None), Move::Cancel),
            Ok((S::Cancelled, None))
        );
        assert_eq!(
            step(&charge(S::Pending, None), Move::Expire),
            Ok((S::Expired, None))
        );
    }

    #[test]
    fn a_late_payment_is_resolved_once() {
        let keep = Move::Resolve(api::Resolution::Accepted);
        assert_eq!(
            step(&charge(S::PaidLate, None), keep),
            Ok((S::PaidLate, Some(api::Resolution::Accepted)))
        );
        assert!(step(&charge(S::PaidLate, Some(api::Resolution::RefundDue)), keep).is_err());
        for status in [S::Pending, S::Paid, S::Expired, S::Cancelled] {
            assert!(step(&charge(status, None), keep).is_err(), "{status:?}");
        }
    }

    #[test]
    fn each_move_tells_its_own_event() {
        let c = charge(S::Cancelled, None);
        assert!(matches!(
            event(Move::Cancel, &c),
            api::EventData::ChargeCancelled { .. }
        ));
        assert!(matches!(
            event(Move::Expire, &c),
            api::EventData::ChargeExpired { .. }
        ));
        assert!(matches!(
            event(Move::Resolve(api::Resolution::Accepted), &c),
            api::EventData::ChargeResolved { .. }
        ));
    }
}
