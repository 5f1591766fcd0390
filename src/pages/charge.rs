//! `/charge`: type an amount, show the QR, see it paid live with a chime and a voice.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{ChargeStatus, ChargeView, CreateCharge};

use crate::api::{self, error_key};
use crate::app::use_session;
use crate::components::bakong_warning::BakongWarning;
use crate::components::charge_display::ChargeDisplay;
use crate::components::charge_form::{ChargeForm, ChargeRequest};
use crate::components::payment_list::PaymentList;
use crate::components::top_bar::TopBar;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;
use crate::realtime::use_realtime;

const COUNTER_KEY: &str = "tonle.counter";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The charge screen.
#[component]
pub fn ChargePage() -> impl IntoView {
    let session = use_session().0;
    let rt = use_realtime();
    let lang = use_i18n().lang;
    let current = RwSignal::new(None::<ChargeView>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Key>);
    let now = RwSignal::new(now_ms());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(now_ms()),
        std::time::Duration::from_millis(250),
    ) {
        on_cleanup(move || handle.clear());
    }
    if let Some(rt) = rt {
        spawn_local(async move {
            if let Ok(list) = api::recent_payments(10).await {
                rt.merge_payments(list);
            }
        });
    }

    let status = Signal::derive(move || {
        let Some(c) = current.get() else {
            return ChargeStatus::Unknown;
        };
        rt.and_then(|rt| rt.charges.with(|m| m.get(&c.id).map(|x| x.status)))
            .unwrap_or(c.status)
    });
    // Announce a payment once: chime, then the confirmation spoken in the chosen language.
    let announced = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let paid = matches!(status.get(), ChargeStatus::Paid | ChargeStatus::PaidLate);
        let id = current.with(|c| c.as_ref().map(|c| c.id.clone()));
        if paid && id.is_some() && announced.get_untracked() != id {
            announced.set(id);
            crate::sound::chime();
            let l = lang.get_untracked();
            crate::sound::speak(t(l, Key::PaidVoice), l.tag());
        }
    });

    // The counter this device charges at (owners and managers pick it; a cashier's is fixed),
    // remembered on the device so its customer display shows every charge made here.
    let counter = RwSignal::new(
        storage()
            .and_then(|s| s.get_item(COUNTER_KEY).ok().flatten())
            .unwrap_or_default(),
    );
    Effect::new(move |_| {
        if let Some(s) = storage() {
            let _ = s.set_item(COUNTER_KEY, &counter.get());
        }
    });
    // After a reload (or a crash) the counter's open charge comes back on screen, so the cashier
    // still sees it paid.
    spawn_local(async move {
        let open = api::HistoryFilter {
            status: Some("pending".into()),
            limit: Some(20),
            ..Default::default()
        };
        let Ok(page) = api::charges(&open).await else {
            return;
        };
        let found = crate::screens::open_charge_at(&counter.get_untracked(), page.items, now_ms());
        if let Some(c) = found
            && current.with_untracked(Option::is_none)
        {
            if let Some(rt) = rt {
                rt.charges.update(|m| {
                    m.entry(c.id.clone()).or_insert_with(|| c.clone());
                });
            }
            current.set(Some(c));
        }
    });
    let picks = session.with_untracked(|s| s.as_ref().is_some_and(|s| s.role.manages()));
    // Every role reads the counters (a cashier sees their own): the counter's store says which
    // items it sells.
    let counters = Load::new(move || async move { api::terminals().await.unwrap_or_default() });
    let picker = move || {
        let list = counters.get().unwrap_or_default();
        (picks && !list.is_empty()).then(|| {
            view! {
                <label class="counter-pick">{tr(Key::Counter)}
                    <select data-testid="charge-terminal" on:change=move |ev| counter.set(event_target_value(&ev))>
                        <option value="" selected=move || counter.get().is_empty()>{tr(Key::NoCounter)}</option>
                        {list.into_iter().map(|c| {
                            let id = c.id.clone();
                            view! { <option value=c.id.clone() selected=move || counter.get() == id>{c.label.clone()}" · "{c.store_name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            }
        })
    };
    let shop = Shop::load(session, counters, counter);
    let line_error = RwSignal::new(None::<(usize, Key)>);
    let on_charge = Callback::new(move |req: ChargeRequest| {
        busy.set(true);
        error.set(None);
        let body = CreateCharge {
            amount: req.amount,
            currency: req.currency,
            note: req.note,
            terminal_id: Some(counter.get_untracked()).filter(|c| !c.is_empty()),
            lines: req.lines,
        };
        let key = api::new_idempotency_key();
        spawn_local(async move {
            match api::create_charge(&body, &key).await {
                Ok(c) => current.set(Some(c)),
                // The server priced the cart and refused a line: said on that line, and the
                // grid is read again (the item may have sold out meanwhile).
                Err(e) => match e
                    .field()
                    .and_then(|f| Some((crate::cart::line_of_field(f)?, f)))
                {
                    Some((i, field)) => {
                        line_error.set(Some((i, line_error_key(field))));
                        shop.items.refetch();
                    }
                    None => error.set(Some(error_key(&e))),
                },
            }
            busy.set(false);
        });
    });
    let on_new = Callback::new(move |_| current.set(None));
    // An expired QR: one tap makes a fresh one for the same amount, currency, note and counter.
    let on_renew = Callback::new(move |_| {
        let Some(c) = current.get_untracked() else {
            return;
        };
        let body = crate::screens::renewal(&c);
        let key = api::new_idempotency_key();
        busy.set(true);
        spawn_local(async move {
            match api::create_charge(&body, &key).await {
                Ok(c) => current.set(Some(c)),
                Err(e) => {
                    error.set(Some(error_key(&e)));
                    current.set(None);
                }
            }
            busy.set(false);
        });
    });
    let checking = RwSignal::new(false);
    let on_check = Callback::new(move |_| {
        let Some(id) = current.with_untracked(|c| c.as_ref().map(|c| c.id.clone())) else {
            return;
        };
        checking.set(true);
        spawn_local(async move {
            if let Ok(c) = api::check_charge(&id).await
                && let Some(rt) = rt
            {
                rt.charges.update(|m| {
                    m.insert(c.id.clone(), c);
                });
            }
            checking.set(false);
        });
    });
    let bakong = crate::realtime::bakong_status(rt);
    let on_cancel = Callback::new(move |_| {
        let Some(id) = current.with_untracked(|c| c.as_ref().map(|c| c.id.clone())) else {
            return;
        };
        spawn_local(async move {
            if let Ok(c) = api::cancel_charge(&id).await
                && let Some(rt) = rt
            {
                rt.charges.update(|m| {
                    m.insert(c.id.clone(), c);
                });
            }
        });
    });
    let default_currency = session
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.default_currency))
        .unwrap_or(khqr::Currency::Khr);
    let payments = Signal::derive(move || rt.map(|rt| rt.payments.get()).unwrap_or_default());
    // Who paid the charge on screen, for the confirmation: wallet, what they paid, from where.
    let payer = Signal::derive(move || {
        let id = current.with(|c| c.as_ref().map(|c| c.id.clone()))?;
        payments.with(|list| {
            list.iter()
                .find(|p| p.charge_id.as_deref() == Some(id.as_str()))
                .map(crate::format::payer_line)
        })
    });

    let test_wallet = test_wallet(current, status, now);

    view! {
        <TopBar/>
        <div class="charge-page">
            {picker}
            <BakongWarning status=bakong/>
            {move || match current.get() {
                None => view! { <ChargeForm currency=default_currency busy=busy error=error on_charge=on_charge
                    items=shop.here() usd_khr=shop.usd_khr rates=shop.rates() line_error=line_error/> }.into_any(),
                Some(c) => view! { <ChargeDisplay charge=c status=status now=now payer=payer on_new=on_new on_cancel=on_cancel on_renew=on_renew on_check=on_check checking=checking/> }.into_any(),
            }}
            {test_wallet}
            <PaymentList payments=payments/>
        </div>
    }
}

/// What the cart sells here, loaded once per visit without holding up the keypad: the items,
/// the counter's store (to hide other stores' items), the shop's dollar rate and the yuan rates.
#[derive(Clone, Copy)]
struct Shop {
    items: Load<Vec<protocol::ItemView>>,
    rates: Load<Option<protocol::FxRates>>,
    store: Memo<Option<Option<String>>>,
    usd_khr: Option<u64>,
}

impl Shop {
    fn load(
        session: RwSignal<Option<protocol::SessionView>>,
        counters: Load<Vec<protocol::TerminalView>>,
        counter: RwSignal<String>,
    ) -> Self {
        let items = Load::new(|| async { api::items().await.unwrap_or_default() });
        let rates = Load::new(|| async { api::fx_rates().await.ok() });
        // The store of the counter this device charges at, else of the one a cashier is bound
        // to: `None` while the counters are on their way (no other store's item flashes by),
        // `Some(None)` when no counter is known (every item).
        // (A cashier's own counter is the one they are shown: the session a sign-in answers
        // with does not name it.)
        let cashier = session.with_untracked(|s| s.as_ref().is_some_and(|s| !s.role.manages()));
        let store = Memo::new(move |_| {
            let here = Some(counter.get())
                .filter(|c| !c.is_empty())
                .or_else(|| session.with(|s| s.as_ref().and_then(|s| s.terminal_id.clone())));
            if here.is_none() && !cashier {
                return Some(None);
            }
            let list = counters.get()?;
            let found = match here {
                Some(id) => list.into_iter().find(|t| t.id == id),
                None => list.into_iter().next(),
            };
            Some(found.map(|t| t.store_id))
        });
        let usd_khr = session.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.merchant.profile.usd_khr_rate.as_deref())
                .and_then(protocol::parse_rate)
        });
        Self {
            items,
            rates,
            store,
            usd_khr,
        }
    }

    /// The items this counter sells, in grid order (none until they arrive).
    fn here(self) -> Signal<Vec<protocol::ItemView>> {
        Signal::derive(move || {
            let Some(store) = self.store.get() else {
                return Vec::new();
            };
            self.items
                .get()
                .unwrap_or_default()
                .into_iter()
                .filter(|i| crate::cart::sold_at(i, store.as_deref()))
                .collect()
        })
    }

    fn rates(self) -> Signal<Option<protocol::FxRates>> {
        Signal::derive(move || self.rates.get().flatten())
    }
}

/// What to say on a cart line the server refused (`lines[1].item_id`: sold out, gone, or no
/// price in this currency).
fn line_error_key(field: &str) -> Key {
    match field.rsplit('.').next() {
        Some("quantity") => Key::CartLineQuantity,
        Some("description") => Key::CartLineDescription,
        Some("amount") => Key::ErrAmount,
        _ => Key::CartLineUnavailable,
    }
}

/// The charge on screen while it can be paid, and whether its QR has expired (an expired one is
/// paid late): what "Pay as a test wallet" pays on a sandbox server.
fn test_wallet(
    current: RwSignal<Option<ChargeView>>,
    status: Signal<ChargeStatus>,
    now: RwSignal<i64>,
) -> impl IntoView {
    use crate::screens::ChargePhase;
    let payable = Memo::new(move |_| {
        let c = current.get()?;
        match ChargePhase::of(status.get(), c.expires_at_ms, now.get()) {
            ChargePhase::Pending => Some((c, false)),
            ChargePhase::Expired => Some((c, true)),
            _ => None,
        }
    });
    view! { <crate::sandbox::TestWallet payable=payable.into()/> }
}
