//! The rule that decides what a reported payment does to the charge it names: settle it (paid or
//! paid late) or send it to the merchant's review queue with the reason. Pure: no storage, no
//! clock; the ingest path asks it inside its transaction and persists the answer.
//!
//! The md5 of the paid code wins over a bill number: it is a hash of the whole payload, so the
//! amount, payee and bill number inside it are exactly what the payer saw. A bill number alone
//! can be typed into any code, so a payment whose md5 is not the charge's never settles it.

use khqr::Money;

use super::charge::ChargeRow;
use crate::api::{self, ChargeStatus, ReviewReason};

/// What a network reported about one payment.
#[derive(Debug, Clone, Copy)]
pub struct Reported<'a> {
    /// md5 of the paid code, lowercase hex, when reported
    pub md5: Option<&'a str>,
    /// bill number, when reported
    pub bill_number: Option<&'a str>,
    /// the payee account, when reported
    pub payee: Option<&'a str>,
    /// the amount credited
    pub money: Money,
    /// when it was paid (the network's clock), epoch ms
    pub paid_at: i64,
}

/// What the payment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// it settles the charge with this status (`Paid` or `PaidLate`); `note` records a harmless
    /// oddity (a bill number that disagrees with the md5)
    Settles {
        /// the charge's new status
        status: ChargeStatus,
        /// what was odd, if anything
        note: Option<ReviewReason>,
    },
    /// it settles nothing: the merchant reviews it
    Review(ReviewReason),
}

/// The payee accounts a code pays: its Bakong account, and its UnionPay merchant account (the
/// whole tag 15 value and the merchant id inside it, as networks report either).
pub fn payees(payload: &str) -> Vec<String> {
    let Ok(decoded) = khqr::khqr::decode_any(payload) else {
        return Vec::new();
    };
    let f = decoded.fields;
    let mut out: Vec<String> = f.bakong_account_id.into_iter().collect();
    if let Some(upi) = f.upi_merchant_account {
        if let Ok(account) = khqr::unionpay::UpiAccount::parse(&upi) {
            out.push(account.merchant_id().to_owned());
        }
        out.push(upi);
    }
    out
}

/// Decides what `reported` does to `charge` (found by the reported md5 or bill number).
pub fn judge(charge: &ChargeRow, reported: &Reported<'_>) -> Verdict {
    let md5_matches = reported
        .md5
        .is_some_and(|m| m.eq_ignore_ascii_case(charge.md5.as_str()));
    if reported.md5.is_some() && !md5_matches {
        return Verdict::Review(ReviewReason::Md5Mismatch);
    }
    if let Some(payee) = reported.payee.map(str::trim).filter(|p| !p.is_empty())
        && !payees(&charge.payload).iter().any(|a| a == payee)
    {
        return Verdict::Review(ReviewReason::PayeeMismatch);
    }
    if reported.money != charge.money {
        return Verdict::Review(ReviewReason::AmountMismatch);
    }
    // Late is when the payer paid (the network's clock), not when tonle learned of it: a code paid
    // a second before expiry and seen by the next poll after it is paid in time.
    let late = match charge.status {
        ChargeStatus::Pending | ChargeStatus::Expired => reported.paid_at > charge.expires_at,
        ChargeStatus::Paid
        | ChargeStatus::PaidLate
        | ChargeStatus::Cancelled
        | ChargeStatus::Unknown => return Verdict::Review(ReviewReason::ChargeClosed),
    };
    let note = (md5_matches
        && reported
            .bill_number
            .is_some_and(|b| charge.bill_number != b.trim()))
    .then_some(ReviewReason::BillNumberMismatch);
    Verdict::Settles {
        status: if late {
            ChargeStatus::PaidLate
        } else {
            ChargeStatus::Paid
        },
        note,
    }
}

/// The event a recorded payment appends: `charge_paid` when it settled the charge, otherwise
/// `payment_unmatched` for the review queue.
pub fn event(charge_after: Option<&ChargeRow>, payment: api::PaymentView) -> api::EventData {
    match charge_after {
        Some(c) if matches!(c.status, ChargeStatus::Paid | ChargeStatus::PaidLate) => {
            api::EventData::ChargePaid {
                charge: super::charge::view(c),
                payment,
            }
        }
        _ => api::EventData::PaymentUnmatched { payment },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use khqr::Currency;

    fn charge() -> ChargeRow {
        let input = khqr::KhqrInput {
            bakong_account_id: "sokha@aclb".into(),
            merchant_name: "Sokha".into(),
            merchant_city: Some("Phnom Penh".into()),
            currency: Some(Currency::Khr),
            amount: Some("5000".into()),
            bill_number: Some("ABCDE-000001".into()),
            created_at_ms: Some(1_764_000_000_000),
            expires_at_ms: Some(1_764_000_300_000),
            ..Default::default()
        };
        let qr = khqr::khqr::encode(&input, 1_764_000_000_000).unwrap();
        ChargeRow {
            charge_id: "c1".into(),
            merchant_id: "m1".into(),
            bill_number: "ABCDE-000001".into(),
            money: Money::parse("5000", Currency::Khr).unwrap(),
            status: ChargeStatus::Pending,
            payload: qr.payload,
            md5: qr.md5,
            merchant_name: "Sokha".into(),
            note: None,
            request_hash: None,
            terminal_id: None,
            resolution: None,
            expires_at: 1_764_000_300_000,
            created_at: 1_764_000_000_000,
            sale: Default::default(),
        }
    }

    fn reported<'a>(c: &'a ChargeRow) -> Reported<'a> {
        Reported {
            md5: Some(c.md5.as_str()),
            bill_number: Some(&c.bill_number),
            payee: Some("sokha@aclb"),
            money: c.money,
            paid_at: 1_764_000_100_000,
        }
    }

    #[test]
    fn the_right_payment_settles_and_after_expiry_settles_late() {
        let c = charge();
        let paid = Verdict::Settles {
            status: ChargeStatus::Paid,
            note: None,
        };
        assert_eq!(judge(&c, &reported(&c)), paid);
        let by_bill_only = Reported {
            md5: None,
            payee: None,
            ..reported(&c)
        };
        assert_eq!(judge(&c, &by_bill_only), paid);
        let late = Reported {
            paid_at: 1_764_000_300_001,
            ..reported(&c)
        };
        assert!(matches!(
            judge(&c, &late),
            Verdict::Settles {
                status: ChargeStatus::PaidLate,
                ..
            }
        ));
        let mut expired = c.clone();
        expired.status = ChargeStatus::Expired;
        assert_eq!(
            judge(&expired, &reported(&c)),
            paid,
            "paid before expiry, learned of after it"
        );
        assert!(matches!(
            judge(&expired, &late),
            Verdict::Settles {
                status: ChargeStatus::PaidLate,
                ..
            }
        ));
    }

    #[test]
    fn each_mismatch_goes_to_review_with_its_reason() {
        let c = charge();
        let wrong_md5 = Reported {
            md5: Some("00000000000000000000000000000000"),
            ..reported(&c)
        };
        assert_eq!(
            judge(&c, &wrong_md5),
            Verdict::Review(ReviewReason::Md5Mismatch)
        );
        let wrong_payee = Reported {
            payee: Some("thief@aclb"),
            ..reported(&c)
        };
        assert_eq!(
            judge(&c, &wrong_payee),
            Verdict::Review(ReviewReason::PayeeMismatch)
        );
        let wrong_amount = Reported {
            money: Money::parse("500", Currency::Khr).unwrap(),
            ..reported(&c)
        };
        assert_eq!(
            judge(&c, &wrong_amount),
            Verdict::Review(ReviewReason::AmountMismatch)
        );
        let mut paid = c.clone();
        paid.status = ChargeStatus::Paid;
        assert_eq!(
            judge(&paid, &reported(&c)),
            Verdict::Review(ReviewReason::ChargeClosed)
        );
    }

    #[test]
    fn the_md5_wins_over_a_disagreeing_bill_number_and_the_disagreement_is_noted() {
        let c = charge();
        let other_bill = Reported {
            bill_number: Some("ZZZZZ-000009"),
            ..reported(&c)
        };
        assert_eq!(
            judge(&c, &other_bill),
            Verdict::Settles {
                status: ChargeStatus::Paid,
                note: Some(ReviewReason::BillNumberMismatch)
            }
        );
    }
}
