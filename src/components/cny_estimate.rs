//! "≈ ¥ 21.30" beside an amount in riel or dollars, with where the rate came from and its date:
//! what a Chinese tourist wants to know before scanning. Display only: never the QR's amount.

use khqr::{Currency, Money};
use leptos::prelude::*;
use protocol::{CnyEstimate, FxRates, RateSource};

use crate::i18n::{Key, Lang, t, tr, use_i18n};

/// An estimate as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// yuan, 2 decimals
    pub amount: String,
    /// where the rate came from
    pub source: RateSource,
    /// the date the source states
    pub date: String,
    /// the rate is more than 3 days old
    pub stale: bool,
}

impl Estimate {
    /// About how many yuan `money` is at the rate in use for its currency; `None` for yuan
    /// themselves, or when there is no usable rate.
    pub fn of(money: &Money, rates: &FxRates) -> Option<Self> {
        if money.currency == Currency::Cny {
            return None;
        }
        let rate = rates.rates.iter().find(|r| r.currency == money.currency)?;
        let e8 = protocol::parse_rate(&rate.cny_per_unit)?;
        Some(Self {
            amount: protocol::cny_amount(money, e8),
            source: rate.source,
            date: rate.date.clone(),
            stale: rate.stale,
        })
    }

    /// The estimate the server kept with a charge.
    pub fn kept(e: &CnyEstimate) -> Self {
        Self {
            amount: e.amount.clone(),
            source: e.source,
            date: e.date.clone(),
            stale: e.stale,
        }
    }

    /// "≈ ¥ 21.30"
    pub fn yuan(&self) -> String {
        format!("≈ ¥ {}", self.amount)
    }

    /// "NBC rate of 2026-12-07", in `lang`.
    pub fn rate_of(&self, lang: Lang) -> String {
        let template = match self.source {
            RateSource::Nbc => Key::FxRateOfNbc,
            RateSource::Owner => Key::FxRateOfShop,
            RateSource::Configured | RateSource::Unknown => Key::FxRateOfReference,
        };
        t(lang, template).replace("{date}", &self.date)
    }
}

/// The short name of a rate's source.
pub fn source_name(source: RateSource) -> Key {
    match source {
        RateSource::Nbc => Key::FxNbc,
        RateSource::Owner => Key::FxShops,
        RateSource::Configured | RateSource::Unknown => Key::FxReference,
    }
}

/// The estimate next to the amount on the charge screen: nothing when there is none.
#[component]
pub fn CnyEstimateLine(
    /// the estimate to show
    #[prop(into)]
    estimate: Signal<Option<Estimate>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    move || {
        estimate.get().map(|e| {
            let source = format!("{}, {}", t(lang.get(), source_name(e.source)), e.date);
            view! {
                <p class="cart-cny" data-testid="cny-estimate" data-stale=e.stale.to_string()
                    aria-label=move || t(lang.get(), Key::FxAbout)>
                    <span class="cart-cny-amount" lang="zh">{e.yuan()}</span>
                    <small class="cart-cny-source">{source}</small>
                    {e.stale.then(|| view! { <small class="cart-cny-stale">{tr(Key::FxMayBeOutdated)}</small> })}
                </p>
            }
        })
    }
}

/// The estimate on the kiosk, for the payer: larger when the kiosk speaks Chinese.
#[component]
pub fn KioskCnyEstimate(
    /// the estimate the server kept with the charge
    estimate: Estimate,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let stale = estimate.stale;
    view! {
        <div class="kiosk-cny" class:prominent=move || lang.get() == Lang::Zh data-testid="kiosk-cny-estimate">
            <p class="kiosk-cny-line">
                <span class="kiosk-cny-amount" lang="zh">{estimate.yuan()}</span>
                <span class="kiosk-cny-rate">{let e = estimate.clone(); move || format!(" · {}", e.rate_of(lang.get()))}</span>
            </p>
            {stale.then(|| view! { <p class="kiosk-cny-note cart-cny-stale">{tr(Key::FxMayBeOutdated)}</p> })}
            <p class="kiosk-cny-note">{tr(Key::FxIssuerFees)}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::FxRateView;

    fn rates() -> FxRates {
        let rate = |currency, cny: &str, source, stale| FxRateView {
            currency,
            cny_per_unit: cny.into(),
            source,
            date: "2026-12-07".into(),
            fetched_at_ms: 0,
            stale,
        };
        FxRates {
            fetching: "nbc".into(),
            rates: vec![
                rate(Currency::Khr, "0.001775", RateSource::Nbc, false),
                rate(Currency::Usd, "7.0812", RateSource::Owner, true),
            ],
            pending: Vec::new(),
        }
    }

    #[test]
    fn an_amount_in_riel_or_dollars_has_an_estimate_yuan_none() {
        let khr = Money::parse("12000", Currency::Khr).unwrap();
        let e = Estimate::of(&khr, &rates()).unwrap();
        assert_eq!(e.yuan(), "≈ ¥ 21.30");
        assert_eq!(e.rate_of(Lang::En), "NBC rate of 2026-12-07");
        assert!(!e.stale);
        let usd = Money::parse("3", Currency::Usd).unwrap();
        let e = Estimate::of(&usd, &rates()).unwrap();
        assert_eq!(e.amount, "21.24");
        assert!(e.stale);
        assert_eq!(e.rate_of(Lang::Zh), "本店 2026-12-07 汇率");
        let cny = Money::parse("3", Currency::Cny).unwrap();
        assert_eq!(Estimate::of(&cny, &rates()), None);
        let none = FxRates {
            fetching: "off".into(),
            rates: Vec::new(),
            pending: Vec::new(),
        };
        assert_eq!(Estimate::of(&khr, &none), None);
    }
}
