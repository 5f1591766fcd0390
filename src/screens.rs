//! What the kiosk and the charge screen show, as pure functions of (charges, what was already
//! shown, now): no signals, timers or browser here, so every transition is unit-tested natively.
//! The components around them only feed them and draw the answer.

use std::collections::HashMap;

use protocol::{ChargeStatus, ChargeView, CreateCharge};

/// How long "thank you" and "expired" stay on the kiosk before the idle screen.
pub const BACK_TO_IDLE_MS: i64 = 6_000;
/// A link down this long (not a blip) makes the idle kiosk say it is offline.
pub const OFFLINE_AFTER_MS: i64 = 3_000;

/// Where a charge on screen stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargePhase {
    /// waiting for the customer to pay: the QR is shown
    Pending,
    /// paid (`late`: after its QR expired, still settled)
    Paid {
        /// paid after expiry
        late: bool,
    },
    /// no longer payable: a fresh QR for the same sale is one tap away
    Expired,
    /// the cashier cancelled it
    Cancelled,
}

impl ChargePhase {
    /// The phase of a charge with `status` that expires at `expires_at_ms`, at `now`: a pending
    /// charge past its expiry is expired on screen before the server says so.
    pub fn of(status: ChargeStatus, expires_at_ms: i64, now: i64) -> Self {
        match status {
            ChargeStatus::Paid => Self::Paid { late: false },
            ChargeStatus::PaidLate => Self::Paid { late: true },
            ChargeStatus::Cancelled => Self::Cancelled,
            ChargeStatus::Pending if now < expires_at_ms => Self::Pending,
            ChargeStatus::Pending | ChargeStatus::Expired | ChargeStatus::Unknown => Self::Expired,
        }
    }

    /// Its name, as `data-state` says it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid { .. } => "paid",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
        }
    }
}

/// After a reload or a crash: the open charge of `counter` ("" for the counter-less till)
/// among `pending`, newest first, if one is still payable.
pub fn open_charge_at(counter: &str, pending: Vec<ChargeView>, now: i64) -> Option<ChargeView> {
    pending.into_iter().find(|c| {
        c.status == ChargeStatus::Pending
            && c.terminal_id.as_deref().unwrap_or("") == counter
            && c.expires_at_ms > now
    })
}

/// The charge "make a new QR" creates for an expired one: same amount, currency, note and
/// counter.
pub fn renewal(c: &ChargeView) -> CreateCharge {
    // A cart is sold again as it was: its items priced again from the catalog, its custom
    // lines at their amounts.
    let lines: Vec<protocol::CartLine> = c
        .lines
        .iter()
        .map(|l| protocol::CartLine {
            item_id: l.item_id.clone(),
            description: l.item_id.is_none().then(|| l.name.clone()),
            amount: l.item_id.is_none().then(|| l.unit_price.clone()),
            quantity: l.quantity,
        })
        .collect();
    CreateCharge {
        amount: lines.is_empty().then(|| c.amount.clone()),
        currency: c.currency,
        note: c.note.clone(),
        terminal_id: c.terminal_id.clone(),
        lines,
    }
}

/// What the kiosk shows.
#[derive(Debug, Clone, PartialEq)]
pub enum KioskScreen {
    /// asking the server what this browser is
    Checking,
    /// not paired: the pairing form
    Pairing,
    /// the merchant revoked this display: the pairing form, saying why
    Revoked,
    /// paired, nothing to pay: welcome (and the counter QR, if chosen)
    Idle,
    /// paired, nothing to pay, and the link has been down a while
    Offline,
    /// a charge to pay: amount, QR, countdown
    Showing(ChargeView),
    /// just paid: "thank you"
    Paid(ChargeView),
    /// the charge on screen just expired
    Expired(ChargeView),
}

impl KioskScreen {
    /// Its name, as `data-state` says it.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Checking => "checking",
            Self::Pairing => "pairing",
            Self::Revoked => "revoked",
            Self::Idle => "idle",
            Self::Offline => "offline",
            Self::Showing(_) => "pending",
            Self::Paid(_) => "paid",
            Self::Expired(_) => "expired",
        }
    }
}

/// When the kiosk saw each charge's status change: "thank you" stays a fixed while from the
/// moment it was shown, not from when the server recorded the payment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shown {
    changed: HashMap<String, (ChargeStatus, i64)>,
}

impl Shown {
    /// Notes every status not seen before, at `now`.
    pub fn observe(&mut self, charges: &HashMap<String, ChargeView>, now: i64) {
        for c in charges.values() {
            let entry = self.changed.entry(c.id.clone()).or_insert((c.status, now));
            if entry.0 != c.status {
                *entry = (c.status, now);
            }
        }
    }

    fn since(&self, id: &str) -> Option<i64> {
        self.changed.get(id).map(|(_, at)| *at)
    }
}

/// What the kiosk knows besides its charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KioskLink {
    /// `None` while asking the server; then whether this browser is a paired display
    pub paired: Option<bool>,
    /// the server closed the stream because the display was revoked
    pub revoked: bool,
    /// since when the live link has been down (`None`: live)
    pub down_since: Option<i64>,
}

/// The kiosk's screen. The newest charge of the counter is the one a customer is paying; a
/// payment or an expiry stays on screen [`BACK_TO_IDLE_MS`] after the kiosk first saw it.
pub fn kiosk_screen(
    link: KioskLink,
    charges: &HashMap<String, ChargeView>,
    shown: &Shown,
    now: i64,
) -> KioskScreen {
    match link.paired {
        None => return KioskScreen::Checking,
        Some(_) if link.revoked => return KioskScreen::Revoked,
        Some(false) => return KioskScreen::Pairing,
        Some(true) => {}
    }
    let newest = charges
        .values()
        .filter(|c| c.status != ChargeStatus::Unknown)
        .max_by_key(|c| (c.created_at_ms, c.id.clone()));
    if let Some(c) = newest {
        let seen = shown.since(&c.id).unwrap_or(now);
        let recent = |from: i64| now - from < BACK_TO_IDLE_MS;
        match ChargePhase::of(c.status, c.expires_at_ms, now) {
            ChargePhase::Pending => return KioskScreen::Showing(c.clone()),
            ChargePhase::Paid { .. } if recent(seen) => return KioskScreen::Paid(c.clone()),
            // Expired on the clock (before the server says so) or by the server's event.
            ChargePhase::Expired if recent(seen.max(c.expires_at_ms.min(now))) => {
                return KioskScreen::Expired(c.clone());
            }
            _ => {}
        }
    }
    match link.down_since {
        Some(at) if now - at >= OFFLINE_AFTER_MS => KioskScreen::Offline,
        _ => KioskScreen::Idle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use khqr::Currency;

    const T0: i64 = 1_700_000_000_000;

    fn charge(id: &str, status: ChargeStatus, created: i64) -> ChargeView {
        ChargeView {
            id: id.into(),
            bill_number: format!("TL-{id}"),
            amount: "5000".into(),
            currency: Currency::Khr,
            status,
            payload: String::new(),
            md5: String::new(),
            merchant_name: "Phsar Cafe".into(),
            note: Some("table 4".into()),
            terminal_id: Some("t-1".into()),
            resolution: None,
            created_at_ms: created,
            expires_at: String::new(),
            expires_at_ms: created + 600_000,
            lines: Vec::new(),
            usd_khr_rate: None,
            cny_estimate: None,
        }
    }

    fn map(list: &[ChargeView]) -> HashMap<String, ChargeView> {
        list.iter().map(|c| (c.id.clone(), c.clone())).collect()
    }

    const PAIRED: KioskLink = KioskLink {
        paired: Some(true),
        revoked: false,
        down_since: None,
    };

    #[test]
    fn before_and_outside_pairing() {
        let none = HashMap::new();
        let s = Shown::default();
        let at = |paired, revoked| KioskLink {
            paired,
            revoked,
            down_since: None,
        };
        assert_eq!(
            kiosk_screen(at(None, false), &none, &s, T0),
            KioskScreen::Checking
        );
        assert_eq!(
            kiosk_screen(at(Some(false), false), &none, &s, T0),
            KioskScreen::Pairing
        );
        assert_eq!(
            kiosk_screen(at(Some(true), true), &none, &s, T0),
            KioskScreen::Revoked
        );
        assert_eq!(
            kiosk_screen(at(Some(false), true), &none, &s, T0),
            KioskScreen::Revoked
        );
        assert_eq!(kiosk_screen(PAIRED, &none, &s, T0), KioskScreen::Idle);
    }

    #[test]
    fn a_charge_is_shown_then_paid_then_idle() {
        let mut shown = Shown::default();
        let mut charges = map(&[charge("a", ChargeStatus::Pending, T0)]);
        shown.observe(&charges, T0);
        assert_eq!(
            kiosk_screen(PAIRED, &charges, &shown, T0 + 1_000).name(),
            "pending"
        );
        // Paid, seen at T0 + 30 s: thank you for BACK_TO_IDLE_MS from then.
        charges.insert("a".into(), charge("a", ChargeStatus::Paid, T0));
        let paid_at = T0 + 30_000;
        shown.observe(&charges, paid_at);
        assert_eq!(
            kiosk_screen(PAIRED, &charges, &shown, paid_at).name(),
            "paid"
        );
        let last = paid_at + BACK_TO_IDLE_MS - 1;
        assert_eq!(kiosk_screen(PAIRED, &charges, &shown, last).name(), "paid");
        assert_eq!(
            kiosk_screen(PAIRED, &charges, &shown, paid_at + BACK_TO_IDLE_MS),
            KioskScreen::Idle
        );
    }

    #[test]
    fn a_payment_the_kiosk_learns_of_late_still_says_thank_you() {
        // Reconnected an hour later: the paid status is new to this screen, so it is shown.
        let mut shown = Shown::default();
        let charges = map(&[charge("a", ChargeStatus::Paid, T0)]);
        let later = T0 + 3_600_000;
        shown.observe(&charges, later);
        assert_eq!(kiosk_screen(PAIRED, &charges, &shown, later).name(), "paid");
    }

    #[test]
    fn expiry_on_the_clock_and_by_event() {
        let c = charge("a", ChargeStatus::Pending, T0);
        let charges = map(std::slice::from_ref(&c));
        let mut shown = Shown::default();
        shown.observe(&charges, T0);
        let exp = c.expires_at_ms;
        assert_eq!(
            kiosk_screen(PAIRED, &charges, &shown, exp - 1).name(),
            "pending"
        );
        assert_eq!(
            kiosk_screen(PAIRED, &charges, &shown, exp).name(),
            "expired"
        );
        assert_eq!(
            kiosk_screen(PAIRED, &charges, &shown, exp + BACK_TO_IDLE_MS),
            KioskScreen::Idle
        );
        // The server's expiry event, arriving 2 s after the clock showed it, counts from when
        // the screen saw the status change.
        let expired = map(&[charge("a", ChargeStatus::Expired, T0)]);
        shown.observe(&expired, exp + 2_000);
        assert_eq!(
            kiosk_screen(PAIRED, &expired, &shown, exp + 2_000 + BACK_TO_IDLE_MS - 1).name(),
            "expired"
        );
        assert_eq!(
            kiosk_screen(PAIRED, &expired, &shown, exp + 2_000 + BACK_TO_IDLE_MS),
            KioskScreen::Idle
        );
    }

    #[test]
    fn the_newest_charge_wins_and_cancelled_goes_idle() {
        let mut shown = Shown::default();
        let charges = map(&[
            charge("old", ChargeStatus::Pending, T0),
            charge("new", ChargeStatus::Pending, T0 + 5_000),
        ]);
        shown.observe(&charges, T0 + 5_000);
        match kiosk_screen(PAIRED, &charges, &shown, T0 + 6_000) {
            KioskScreen::Showing(c) => assert_eq!(c.id, "new"),
            other => panic!("{other:?}"),
        }
        let cancelled = map(&[charge("new", ChargeStatus::Cancelled, T0 + 5_000)]);
        shown.observe(&cancelled, T0 + 7_000);
        assert_eq!(
            kiosk_screen(PAIRED, &cancelled, &shown, T0 + 7_000),
            KioskScreen::Idle
        );
    }

    #[test]
    fn offline_only_after_a_while_and_never_over_a_charge() {
        let none = HashMap::new();
        let s = Shown::default();
        let down = KioskLink {
            down_since: Some(T0),
            ..PAIRED
        };
        assert_eq!(kiosk_screen(down, &none, &s, T0 + 1_000), KioskScreen::Idle);
        assert_eq!(
            kiosk_screen(down, &none, &s, T0 + OFFLINE_AFTER_MS),
            KioskScreen::Offline
        );
        // A QR being paid stays up: the payment is caught up when the link is back.
        let charges = map(&[charge("a", ChargeStatus::Pending, T0)]);
        assert_eq!(
            kiosk_screen(down, &charges, &s, T0 + 10_000).name(),
            "pending"
        );
    }

    #[test]
    fn charge_phases() {
        let exp = T0 + 1_000;
        assert_eq!(
            ChargePhase::of(ChargeStatus::Pending, exp, T0),
            ChargePhase::Pending
        );
        assert_eq!(
            ChargePhase::of(ChargeStatus::Pending, exp, exp),
            ChargePhase::Expired
        );
        assert_eq!(
            ChargePhase::of(ChargeStatus::Expired, exp, T0),
            ChargePhase::Expired
        );
        assert_eq!(
            ChargePhase::of(ChargeStatus::Paid, exp, exp + 5),
            ChargePhase::Paid { late: false }
        );
        assert_eq!(
            ChargePhase::of(ChargeStatus::PaidLate, exp, exp + 5),
            ChargePhase::Paid { late: true }
        );
        assert_eq!(
            ChargePhase::of(ChargeStatus::Cancelled, exp, T0),
            ChargePhase::Cancelled
        );
    }

    #[test]
    fn a_reload_finds_its_counters_open_charge_and_renewal_keeps_the_sale() {
        let mut other = charge("b", ChargeStatus::Pending, T0);
        other.terminal_id = Some("t-2".into());
        let mine = charge("a", ChargeStatus::Pending, T0);
        let mut till = charge("c", ChargeStatus::Pending, T0);
        till.terminal_id = None;
        let list = vec![other.clone(), mine.clone(), till.clone()];
        assert_eq!(
            open_charge_at("t-1", list.clone(), T0 + 1).map(|c| c.id),
            Some("a".into())
        );
        assert_eq!(
            open_charge_at("", list.clone(), T0 + 1).map(|c| c.id),
            Some("c".into())
        );
        assert_eq!(open_charge_at("t-1", list, mine.expires_at_ms), None);
        let again = renewal(&mine);
        assert_eq!(
            (again.amount, again.currency, again.note, again.terminal_id),
            (
                Some(mine.amount),
                mine.currency,
                mine.note,
                mine.terminal_id
            )
        );
    }
}
