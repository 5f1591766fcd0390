//! The rates beside the prices: the shop's own riel per dollar (dollar items sold in riel), and
//! the yuan reference rates behind the estimate a Chinese customer sees, each with its source
//! and date; the owner may set his own, or confirm a fetched rate that jumped.

use khqr::Currency;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::app::use_session;
use crate::components::field::Field;
use crate::format;
use crate::i18n::{Key, Lang, t, tr, use_i18n};
use crate::load::Load;

/// A rate as typed: empty is none, otherwise a positive decimal (`Err` if it is not one).
fn typed_rate(text: &str) -> Result<Option<String>, ()> {
    let t = text.trim();
    if t.is_empty() {
        Ok(None)
    } else {
        api::parse_rate(t)
            .map(|e8| Some(api::rate_text(e8)))
            .ok_or(())
    }
}

/// The shop's riel per dollar.
#[component]
pub(super) fn ShopRateCard() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let start = session
        .with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.merchant.profile.usd_khr_rate.clone())
        })
        .unwrap_or_default();
    let typed = RwSignal::new(start);
    let wrong = RwSignal::new(None::<Key>);
    let failed = RwSignal::new(None::<ClientError>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        failed.set(None);
        let Ok(rate) = typed_rate(&typed.get_untracked()) else {
            wrong.set(Some(Key::ItemErrRate));
            return;
        };
        wrong.set(None);
        spawn_local(async move {
            match client::set_usd_khr_rate(rate).await {
                Ok(view) => {
                    typed.set(view.profile.usd_khr_rate.clone().unwrap_or_default());
                    // The profile form saves the whole profile: it must see the new rate.
                    session.update(|s| {
                        if let Some(s) = s {
                            s.merchant = view;
                        }
                    });
                    saved.set(true);
                }
                Err(e) if e.field().is_some() => wrong.set(Some(Key::ItemErrRate)),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card items-rate" on:submit=save aria-labelledby="shop-rate-title" data-testid="shop-rate" novalidate>
            <h2 id="shop-rate-title">{tr(Key::ShopRateTitle)}</h2>
            <p class="muted">{tr(Key::ShopRateHint)}</p>
            <div class="items-rate-row">
                <Field label=Key::ShopRate value=typed testid="usd-khr-rate" error=wrong/>
                <button type="submit" class="primary" data-testid="usd-khr-rate-save">{tr(Key::Save)}</button>
            </div>
            <p class="form-error" role="alert" data-testid="usd-khr-rate-failed">
                {move || failed.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
            </p>
            <p class="ok" role="status" data-testid="usd-khr-rate-saved">{move || saved.get().then(|| t(lang.get(), Key::Saved))}</p>
        </form>
    }
}

/// "$1 = ¥7.0812" / "1 ៛ = ¥0.001775".
fn rate_line(r: &api::FxRateView) -> String {
    let one = match r.currency {
        Currency::Khr => "1 ៛",
        Currency::Usd => "$1",
        Currency::Cny => "¥1",
    };
    format!("{one} = ¥{}", r.cny_per_unit)
}

fn source_key(s: api::RateSource) -> Key {
    match s {
        api::RateSource::Nbc => Key::FxFromNbc,
        api::RateSource::Configured => Key::FxFromConfigured,
        api::RateSource::Owner => Key::FxFromOwner,
        api::RateSource::Unknown => Key::FxFromOther,
    }
}

/// "$1 = ¥7.0812 · National Bank of Cambodia · 25 Nov".
fn described(lang: Lang, r: &api::FxRateView) -> String {
    format!(
        "{} · {} · {}",
        rate_line(r),
        t(lang, source_key(r.source)),
        format::short_date(lang, &r.date)
    )
}

/// The yuan reference rates.
#[component]
pub(super) fn FxCard(
    /// only the owner sets or confirms a rate
    owner: bool,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let rates = Load::new(client::fx_rates);
    let failed = RwSignal::new(None::<ClientError>);
    let after = move |done: Result<(), ClientError>| {
        failed.set(done.err());
        rates.refetch();
    };
    view! {
        <section class="card items-fx" aria-labelledby="fx-title" data-testid="fx-card">
            <h2 id="fx-title">{tr(Key::FxTitle)}</h2>
            <p class="muted">{tr(Key::FxHint)}</p>
            {rates.show(move |fx: api::FxRates| {
                let off = fx.fetching == "off";
                view! {
                    {off.then(|| view! { <p class="muted" data-testid="fx-not-fetched">{tr(Key::FxNotFetched)}</p> })}
                    {[Currency::Khr, Currency::Usd].into_iter().map(|c| {
                        let current = fx.rates.iter().find(|r| r.currency == c).cloned();
                        let pending = fx.pending.iter().find(|r| r.currency == c).cloned();
                        view! { <FxRow currency=c current=current pending=pending owner=owner after=Callback::new(after)/> }
                    }).collect_view()}
                }
            })}
            <p class="form-error" role="alert" data-testid="fx-error">
                {move || failed.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
            </p>
        </section>
    }
}

/// One currency's rate: in use, the owner's own, a jump to confirm.
#[component]
fn FxRow(
    currency: Currency,
    current: Option<api::FxRateView>,
    pending: Option<api::FxRateView>,
    owner: bool,
    after: Callback<Result<(), ClientError>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let code = currency.code();
    let label = if currency == Currency::Khr {
        Key::FxPerRiel
    } else {
        Key::FxPerDollar
    };
    let stale = current.as_ref().is_some_and(|r| r.stale);
    let mine = current
        .as_ref()
        .is_some_and(|r| r.source == api::RateSource::Owner);
    let typed = RwSignal::new(
        current
            .as_ref()
            .map(|r| r.cny_per_unit.clone())
            .unwrap_or_default(),
    );
    let wrong = RwSignal::new(None::<Key>);
    let now = current.clone();
    let shown = move || match &now {
        Some(r) => described(lang.get(), r),
        None => t(lang.get(), Key::FxNone).to_owned(),
    };
    let set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match typed_rate(&typed.get_untracked()) {
            Ok(Some(rate)) => {
                wrong.set(None);
                spawn_local(
                    async move { after.run(client::set_fx_rate(currency, Some(rate)).await) },
                );
            }
            _ => wrong.set(Some(Key::ItemErrRate)),
        }
    };
    let clear =
        move |_| spawn_local(async move { after.run(client::set_fx_rate(currency, None).await) });
    let confirm =
        move |_| spawn_local(async move { after.run(client::confirm_fx_rate(currency).await) });
    view! {
        <div class="items-fx-row" data-testid=format!("fx-{code}")>
            <h3>{tr(label)}</h3>
            <p data-testid=format!("fx-current-{code}")>
                {shown}
                {stale.then(|| view! { <span class="badge items-stale" data-testid=format!("fx-stale-{code}")>{tr(Key::FxStale)}</span> })}
            </p>
            {pending.map(|p| view! {
                <div class="items-fx-jump" role="alert" data-testid=format!("fx-pending-{code}")>
                    <p>{tr(Key::FxJump)}" "<strong>{move || described(lang.get(), &p)}</strong></p>
                    {owner.then(|| view! {
                        <button type="button" class="primary" data-testid=format!("fx-confirm-{code}") on:click=confirm>{tr(Key::FxConfirm)}</button>
                    })}
                </div>
            })}
            {owner.then(|| view! {
                <form class="items-rate-row" on:submit=set novalidate>
                    <FxInput currency=currency typed=typed wrong=wrong/>
                    <button type="submit" data-testid=format!("fx-set-{code}")>{tr(Key::FxSet)}</button>
                </form>
                {mine.then(|| view! {
                    <button type="button" class="secondary items-fx-clear" data-testid=format!("fx-clear-{code}") on:click=clear>{tr(Key::FxClear)}</button>
                })}
            })}
        </div>
    }
}

/// The owner's rate for one currency (`fx-rate-KHR`, `fx-rate-USD`).
#[component]
fn FxInput(
    currency: Currency,
    typed: RwSignal<String>,
    wrong: RwSignal<Option<Key>>,
) -> impl IntoView {
    let testid = match currency {
        Currency::Khr => "fx-rate-KHR",
        Currency::Usd => "fx-rate-USD",
        Currency::Cny => "fx-rate-CNY",
    };
    view! { <Field label=Key::FxMine value=typed testid=testid error=wrong/> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_rate_is_none_or_a_positive_decimal() {
        assert_eq!(typed_rate("  "), Ok(None));
        assert_eq!(typed_rate(" 4100 "), Ok(Some("4100".into())));
        assert_eq!(typed_rate("7.08120"), Ok(Some("7.0812".into())));
        for bad in ["0", "-1", "4,100", "abc"] {
            assert_eq!(typed_rate(bad), Err(()), "{bad}");
        }
    }

    #[test]
    fn a_rate_reads_per_unit_with_its_source() {
        let r = api::FxRateView {
            currency: Currency::Usd,
            cny_per_unit: "7.0812".into(),
            source: api::RateSource::Nbc,
            date: "2025-11-25".into(),
            fetched_at_ms: 0,
            stale: false,
        };
        assert_eq!(
            described(Lang::En, &r),
            "$1 = ¥7.0812 · National Bank of Cambodia · 25 Nov"
        );
        assert_eq!(
            described(Lang::Zh, &r),
            "$1 = ¥7.0812 · 柬埔寨国家银行 · 11月25日"
        );
    }
}
