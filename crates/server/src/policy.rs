//! Who may do what: the one place that decides. Every route asks `allow` before it acts and
//! `sees_counter` (or a filter built from `counter_filter`) before it shows or changes a charge;
//! the event stream asks `sees_event`.
//!
//! - owner: everything;
//! - manager: everything but payout details, API keys, Bakong, and inviting, changing or
//!   removing managers (they manage cashiers);
//! - cashier: charges at their own counter (a cashier invited without a counter works the
//!   counter-less till), that counter's day and its totals; no exports, staff, devices or
//!   settings;
//! - every person: their own sessions (list, end one, sign out everywhere);
//! - paired device: watches its counter (its charges, its counter QR, its events, whether payments
//!   can be checked) and may ask Bakong about its counter's charge now; changes nothing (on a
//!   sandbox server its merchant controls may pay its counter's charge as a test wallet);
//! - on a sandbox server, whoever may make a charge at a counter may pay it as a test wallet
//!   (a paired display too, behind its long press);
//! - API key: what its scopes say, at every counter (`charges:read`, `charges:write`,
//!   `payments:read`, `events:read`); never staff, settings, devices, webhooks, Telegram or keys.

use crate::api;
use crate::api::StaffRole as Role;
use crate::auth::Caller;
use crate::error::ApiError;

/// Something a caller asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// make a charge
    CreateCharge,
    /// see a charge or list charges
    ReadCharges,
    /// cancel a pending charge
    CancelCharge,
    /// keep or refund a late payment, or a payment that settled nothing
    ResolvePayment,
    /// see payments
    ReadPayments,
    /// daily totals (a cashier: their counter's day)
    ReadTotals,
    /// the CSV export of payments
    ExportPayments,
    /// see the business profile
    ReadProfile,
    /// change the profile (name, city, QR lifetime…)
    EditProfile,
    /// change where money goes (accounts, bank, country)
    EditPayout,
    /// see stores and counters
    ReadCounters,
    /// add stores and counters
    EditCounters,
    /// a counter's static QR
    CounterQr,
    /// see staff
    ReadStaff,
    /// invite a member of staff with this role, or revoke such an invitation
    Invite(api::StaffRole),
    /// change the role of, or remove, a member of staff who has (or is given) this role
    ManageStaff(api::StaffRole),
    /// list and end one's own sessions (sign out everywhere)
    OwnSessions,
    /// pair, list and revoke customer displays
    ManageDevices,
    /// the live event stream
    WatchEvents,
    /// see how payment checks with Bakong go (every screen warns when they cannot)
    ReadIntegrations,
    /// save or remove the merchant's Bakong token
    ManageIntegrations,
    /// ask Bakong about a charge now ("check now")
    CheckCharge,
    /// pay a charge as a test wallet (a server in sandbox mode only)
    TestPayment,
    /// add, change and delete webhook endpoints, see and retry their deliveries
    ManageWebhooks,
    /// make, list and revoke API keys
    ManageApiKeys,
    /// link Telegram chats, see, change, test and unlink them
    ManageTelegram,
    /// see the shop's items (a cart is built from them)
    ReadItems,
    /// add, change, reorder, import and delete items
    EditItems,
    /// see the reference rates behind the yuan estimate
    ReadRates,
    /// set the shop's own yuan rate, or confirm a fetched rate's jump
    ManageRates,
}

/// The scope an API key needs for `action`; `None`: no key may do it.
pub fn scope_for(action: Action) -> Option<api::Scope> {
    use Action as A;
    match action {
        A::CreateCharge | A::CancelCharge | A::TestPayment => Some(api::Scope::ChargesWrite),
        A::ReadCharges
        | A::CheckCharge
        | A::ReadCounters
        | A::CounterQr
        | A::ReadProfile
        | A::ReadIntegrations
        | A::ReadItems
        | A::ReadRates => Some(api::Scope::ChargesRead),
        A::ReadPayments | A::ReadTotals | A::ExportPayments => Some(api::Scope::PaymentsRead),
        A::WatchEvents => Some(api::Scope::EventsRead),
        A::ResolvePayment
        | A::EditProfile
        | A::EditPayout
        | A::EditCounters
        | A::ReadStaff
        | A::Invite(_)
        | A::ManageStaff(_)
        | A::OwnSessions
        | A::ManageDevices
        | A::ManageIntegrations
        | A::ManageWebhooks
        | A::ManageApiKeys
        | A::ManageTelegram
        | A::EditItems
        | A::ManageRates => None,
    }
}

/// Which counters a caller works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counters<'a> {
    /// every counter of the merchant, and charges made at none
    All,
    /// one counter (`None`: the charges made at no counter)
    One(Option<&'a str>),
}

/// The counters `caller` works with.
pub fn counters(caller: &Caller) -> Counters<'_> {
    match caller {
        Caller::Device { terminal_id, .. } => Counters::One(Some(terminal_id)),
        Caller::Staff {
            role: Role::Cashier,
            terminal_id,
            ..
        } => Counters::One(terminal_id.as_deref()),
        Caller::Staff { .. } | Caller::ApiKey { .. } => Counters::All,
    }
}

/// Whether `caller` may do `action` at all (which counter is checked by `sees_counter`).
pub fn allow(caller: &Caller, action: Action) -> Result<(), ApiError> {
    use Action as A;
    if let Caller::ApiKey { scopes, .. } = caller {
        return match scope_for(action) {
            Some(needed) if scopes.contains(&needed) => Ok(()),
            Some(needed) => Err(ApiError::Forbidden(format!(
                "this API key lacks the scope {}",
                needed.as_str()
            ))),
            None => Err(ApiError::Forbidden(
                "an API key cannot do this; a person signed in can".into(),
            )),
        };
    }
    let allowed = match caller {
        Caller::ApiKey { .. } => false,
        Caller::Device { .. } => matches!(
            action,
            A::ReadCharges
                | A::CounterQr
                | A::WatchEvents
                | A::ReadIntegrations
                | A::CheckCharge
                | A::TestPayment
                | A::ReadItems
                | A::ReadRates
        ),
        Caller::Staff { role, .. } => match (role, action) {
            (Role::Owner, A::Invite(Role::Owner) | A::ManageStaff(Role::Owner)) => false,
            (Role::Owner, _) => true,
            (
                Role::Manager,
                A::EditPayout | A::ManageIntegrations | A::ManageApiKeys | A::ManageRates,
            ) => false,
            (Role::Manager, A::Invite(r) | A::ManageStaff(r)) => r == Role::Cashier,
            (Role::Manager, _) => true,
            (Role::Cashier, a) => matches!(
                a,
                A::CreateCharge
                    | A::ReadCharges
                    | A::CancelCharge
                    | A::ReadPayments
                    | A::ReadTotals
                    | A::ReadProfile
                    | A::ReadCounters
                    | A::CounterQr
                    | A::WatchEvents
                    | A::ReadIntegrations
                    | A::CheckCharge
                    | A::TestPayment
                    | A::OwnSessions
                    | A::ReadItems
                    | A::ReadRates
            ),
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(refusal(caller, action).into()))
    }
}

fn refusal(caller: &Caller, action: Action) -> &'static str {
    match (caller, action) {
        (Caller::Device { .. }, _) => "a paired display only shows its counter's charges",
        (_, Action::Invite(api::StaffRole::Owner)) => {
            "a merchant has one owner; invite a manager or a cashier"
        }
        (_, Action::Invite(_)) => "your role cannot invite this role",
        (_, Action::ManageStaff(api::StaffRole::Owner)) => {
            "the owner stays the owner: they cannot be removed or given another role"
        }
        (_, Action::ManageStaff(_)) => "your role cannot change or remove this member",
        (_, Action::EditPayout) => "only the owner changes payout details",
        (_, Action::ManageIntegrations) => "only the owner connects Bakong",
        (_, Action::ManageApiKeys) => "only the owner makes and revokes API keys",
        (_, Action::ManageWebhooks) => "only an owner or manager sets up webhooks",
        (_, Action::ManageTelegram) => "only an owner or manager links Telegram chats",
        (_, Action::EditItems) => "only an owner or manager edits items",
        (_, Action::ManageRates) => "only the owner sets or confirms exchange rates",
        (_, Action::ResolvePayment) => "an owner or manager resolves payments",
        (_, Action::ExportPayments) => "exports are for owners and managers",
        (_, Action::ReadStaff) => "cashiers do not manage staff",
        (_, Action::ManageDevices) => "only an owner or manager pairs and revokes devices",
        (_, Action::EditCounters) => "only an owner or manager adds stores and counters",
        _ => "your role cannot do this",
    }
}

/// Whether `caller` works with the counter `terminal` (`None`: no counter).
pub fn sees_counter(caller: &Caller, terminal: Option<&str>) -> bool {
    match counters(caller) {
        Counters::All => true,
        Counters::One(mine) => mine == terminal,
    }
}

/// The counter filter for a list query: `None` for everything, `Some("")` for charges made at
/// no counter (ids are never empty), `Some(id)` for one counter.
pub fn counter_filter(caller: &Caller, asked: Option<String>) -> Option<String> {
    match counters(caller) {
        Counters::All => asked,
        Counters::One(mine) => Some(mine.unwrap_or_default().to_owned()),
    }
}

/// Whether `caller` may see `event` on the stream: everything for owners and managers; for a
/// cashier or a display, their counter's charges only (a payment that settled no charge belongs
/// to no counter).
pub fn sees_event(caller: &Caller, event: &api::Event) -> bool {
    if counters(caller) == Counters::All {
        return true;
    }
    match &event.data {
        // Every screen says when payments cannot be checked.
        api::EventData::BakongStatus { .. } => true,
        api::EventData::ChargeCreated { charge }
        | api::EventData::ChargeCancelled { charge }
        | api::EventData::ChargeExpired { charge }
        | api::EventData::ChargeResolved { charge }
        | api::EventData::ChargePaid { charge, .. } => {
            sees_counter(caller, charge.terminal_id.as_deref())
        }
        // A sale at a counter's static code: that counter's.
        api::EventData::PaymentReceived { payment } => {
            sees_counter(caller, payment.terminal_id.as_deref())
        }
        api::EventData::PaymentUnmatched { .. }
        | api::EventData::PaymentResolved { .. }
        | api::EventData::Unknown => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role, terminal: Option<&str>) -> Caller {
        Caller::Staff {
            user_id: "u".into(),
            merchant_id: "m".into(),
            email: "e@x.com".into(),
            role,
            token_hash: "h".into(),
            session_id: "s".into(),
            expires_at: i64::MAX,
            terminal_id: terminal.map(str::to_owned),
        }
    }

    fn device(terminal: &str) -> Caller {
        Caller::Device {
            device_id: "d".into(),
            merchant_id: "m".into(),
            terminal_id: terminal.into(),
        }
    }

    #[test]
    fn devices_only_watch_and_cashiers_only_work_their_counter() {
        let d = device("t1");
        for a in [
            Action::CreateCharge,
            Action::CancelCharge,
            Action::ReadPayments,
        ] {
            assert!(allow(&d, a).is_err(), "{a:?}");
        }
        assert!(allow(&d, Action::ReadCharges).is_ok());
        assert!(sees_counter(&d, Some("t1")));
        assert!(!sees_counter(&d, Some("t2")));
        assert!(!sees_counter(&d, None));

        let c = staff(Role::Cashier, Some("t1"));
        assert!(allow(&c, Action::CancelCharge).is_ok());
        assert!(allow(&c, Action::ExportPayments).is_err());
        assert!(allow(&c, Action::ReadTotals).is_ok());
        assert!(!sees_counter(&c, Some("t2")));
        assert_eq!(counter_filter(&c, Some("t2".into())), Some("t1".into()));

        let till = staff(Role::Cashier, None);
        assert!(sees_counter(&till, None));
        assert!(!sees_counter(&till, Some("t1")));
        assert_eq!(counter_filter(&till, None), Some(String::new()));

        let m = staff(Role::Manager, None);
        assert!(sees_counter(&m, Some("t2")));
        assert!(allow(&m, Action::EditPayout).is_err());
        assert!(allow(&m, Action::Invite(api::StaffRole::Manager)).is_err());
        assert!(allow(&m, Action::Invite(api::StaffRole::Cashier)).is_ok());
        assert_eq!(counter_filter(&m, None), None);
    }
}
