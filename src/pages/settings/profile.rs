//! Settings → profile: the business profile form, checked by the codec as it is typed, with a
//! live preview of the counter QR (also the sign-up wizard's step). The form edits one
//! [`ProfileDraft`]; turning it into a profile is a pure function, tested natively.

use khqr::Currency;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::app::use_session;
use crate::components::field::{Bound, Field};
use crate::components::qr_code::QrImage;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::profile::{codec_field, static_qr};

/// The profile form's contents, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileDraft {
    /// business name (tag 59)
    pub business_name: String,
    /// city (tag 60)
    pub city: String,
    /// Bakong account, `name@bank`
    pub bakong: String,
    /// alternate language, `km`/`zh` or empty for none
    pub alt_language: String,
    /// name in that language
    pub alt_name: String,
    /// city in that language
    pub alt_city: String,
    /// UnionPay acquirer IIN
    pub upi_acquirer: String,
    /// UnionPay forwarding IIN
    pub upi_forwarding: String,
    /// UnionPay merchant id
    pub upi_merchant: String,
    /// the currency charges start in
    pub currency: Currency,
    /// a dynamic QR's lifetime, in minutes
    pub minutes: String,
    /// the largest riel charge, empty for none
    pub max_khr: String,
    /// the largest dollar charge, empty for none
    pub max_usd: String,
}

fn cap_of(p: &api::MerchantProfile, currency: Currency) -> String {
    p.max_charge
        .iter()
        .find(|c| c.currency == currency)
        .map(|c| c.amount.clone())
        .unwrap_or_default()
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ProfileDraft {
    /// The form filled with `p`.
    pub fn of(p: &api::MerchantProfile) -> Self {
        let alt = p.alternate.as_ref();
        let upi = p.upi.as_ref();
        Self {
            business_name: p.business_name.clone(),
            city: p.merchant_city.clone(),
            bakong: p.bakong_account_id.clone().unwrap_or_default(),
            alt_language: alt.map(|a| a.language.clone()).unwrap_or_default(),
            alt_name: alt.map(|a| a.name.clone()).unwrap_or_default(),
            alt_city: alt.and_then(|a| a.city.clone()).unwrap_or_default(),
            upi_acquirer: upi.map(|u| u.acquirer_iin.clone()).unwrap_or_default(),
            upi_forwarding: upi.map(|u| u.forwarding_iin.clone()).unwrap_or_default(),
            upi_merchant: upi.map(|u| u.merchant_id.clone()).unwrap_or_default(),
            currency: p.default_currency,
            minutes: (p.qr_lifetime_secs / 60).to_string(),
            max_khr: cap_of(p, Currency::Khr),
            max_usd: cap_of(p, Currency::Usd),
        }
    }

    /// The profile the form describes; what it does not edit comes from `base`.
    pub fn profile(&self, base: &api::MerchantProfile) -> api::MerchantProfile {
        let upi = [&self.upi_acquirer, &self.upi_forwarding, &self.upi_merchant];
        api::MerchantProfile {
            business_name: self.business_name.clone(),
            merchant_city: self.city.clone(),
            bakong_account_id: text(&self.bakong),
            alternate: text(&self.alt_language).map(|language| api::AlternateName {
                language,
                name: self.alt_name.clone(),
                city: text(&self.alt_city),
            }),
            upi: upi
                .iter()
                .any(|s| text(s).is_some())
                .then(|| api::UpiAccountView {
                    acquirer_iin: self.upi_acquirer.trim().to_owned(),
                    forwarding_iin: self.upi_forwarding.trim().to_owned(),
                    merchant_id: self.upi_merchant.trim().to_owned(),
                }),
            default_currency: self.currency,
            qr_lifetime_secs: self.lifetime_minutes().unwrap_or(0).saturating_mul(60),
            max_charge: [
                (Currency::Khr, &self.max_khr),
                (Currency::Usd, &self.max_usd),
            ]
            .into_iter()
            .filter_map(|(currency, amount)| {
                text(amount).map(|amount| api::ChargeCap { currency, amount })
            })
            .collect(),
            ..base.clone()
        }
    }

    /// The QR lifetime when it is a whole number of minutes from 1 to 60.
    pub fn lifetime_minutes(&self) -> Option<u32> {
        self.minutes
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=60).contains(m))
    }
}

/// The profile form with its live QR preview.
#[component]
pub fn ProfileForm() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let Some(start) = session.with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.clone()))
    else {
        return ().into_any();
    };
    let draft = RwSignal::new(ProfileDraft::of(&start));
    let error = RwSignal::new(None::<ClientError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let profile = Memo::new(move |_| draft.with(|d| d.profile(&start)));
    let live = Memo::new(move |_| profile.with(static_qr));
    let err_for = move |name: &'static str| {
        Signal::derive(move || {
            let server = error.with(|e| {
                e.as_ref()
                    .filter(|e| {
                        e.field()
                            .is_some_and(|f| f == name || f.starts_with(&format!("{name}.")))
                    })
                    .map(error_key)
            });
            server.or_else(|| {
                live.with(|r| r.as_ref().err().map(codec_field))
                    .filter(|(f, _)| *f == name)
                    .map(|(_, k)| k)
            })
        })
    };
    let lifetime_err = Signal::derive(move || {
        draft
            .with(|d| d.lifetime_minutes().is_none())
            .then_some(Key::ErrQrMinutes)
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        saved.set(false);
        error.set(None);
        let body = profile.get_untracked();
        spawn_local(async move {
            match client::update_merchant(&body).await {
                Ok(view) => {
                    session.update(|s| {
                        if let Some(s) = s {
                            s.merchant = view;
                        }
                    });
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let preview =
        Signal::derive(move || live.with(|r| r.as_ref().ok().cloned().unwrap_or_default()));
    let general = move || error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(error_key));
    let no_error = || Signal::derive(|| None);
    let alt_lang = move || draft.with(|d| d.alt_language.clone());
    let currency = move || draft.with(|d| d.currency);
    crate::components::mark_ready("tonle:settings-ready");
    view! {
        <form class="card profile-form" on:submit=submit data-testid="profile-form" novalidate>
            <h2>{tr(Key::Profile)}</h2>
            <div class="profile-grid">
                <div class="profile-fields">
                    <Field label=Key::BusinessName value=Bound::field(draft, |d| &mut d.business_name) testid="profile-business-name" error=err_for("business_name")/>
                    <Field label=Key::City value=Bound::field(draft, |d| &mut d.city) testid="profile-city" error=err_for("merchant_city")/>
                    <Field label=Key::BakongAccount value=Bound::field(draft, |d| &mut d.bakong) testid="profile-bakong" error=err_for("bakong_account_id")/>
                    <label for="alt-lang">{tr(Key::AltLanguage)}</label>
                    <select id="alt-lang" data-testid="profile-alt-language" on:change=move |ev| draft.update(|d| d.alt_language = event_target_value(&ev))>
                        <option value="" selected=move || alt_lang().is_empty()>{tr(Key::AltNone)}</option>
                        <option value="km" selected=move || alt_lang() == "km">"ខ្មែរ"</option>
                        <option value="zh" selected=move || alt_lang() == "zh">"中文"</option>
                    </select>
                    <Show when=move || !alt_lang().is_empty() fallback=|| ()>
                        <Field label=Key::AltName value=Bound::field(draft, |d| &mut d.alt_name) testid="profile-alt-name" error=err_for("alternate")/>
                        <Field label=Key::AltCity value=Bound::field(draft, |d| &mut d.alt_city) testid="profile-alt-city" error=no_error()/>
                    </Show>
                    <fieldset class="upi">
                        <legend>{tr(Key::UpiTitle)}</legend>
                        <Field label=Key::UpiAcquirer value=Bound::field(draft, |d| &mut d.upi_acquirer) testid="profile-upi-acquirer" error=no_error()/>
                        <Field label=Key::UpiForwarding value=Bound::field(draft, |d| &mut d.upi_forwarding) testid="profile-upi-forwarding" error=no_error()/>
                        <Field label=Key::UpiMerchant value=Bound::field(draft, |d| &mut d.upi_merchant) testid="profile-upi-merchant" error=err_for("upi")/>
                    </fieldset>
                    <label for="default-currency">{tr(Key::DefaultCurrency)}</label>
                    <select id="default-currency" data-testid="profile-currency"
                        on:change=move |ev| if let Some(c) = Currency::from_code(&event_target_value(&ev)) { draft.update(|d| d.currency = c) }>
                        {[Currency::Khr, Currency::Usd].into_iter().map(|c| view! {
                            <option value=c.code() selected=move || currency() == c>{c.code()}</option>
                        }).collect_view()}
                    </select>
                    <Field label=Key::QrMinutes value=Bound::field(draft, |d| &mut d.minutes) testid="profile-qr-minutes" kind="number" error=lifetime_err/>
                    <fieldset class="max-charge">
                        <legend>{tr(Key::MaxCharge)}</legend>
                        <Field label=Key::MaxChargeKhr value=Bound::field(draft, |d| &mut d.max_khr) testid="profile-max-khr" error=err_for("max_charge")/>
                        <Field label=Key::MaxChargeUsd value=Bound::field(draft, |d| &mut d.max_usd) testid="profile-max-usd" error=no_error()/>
                    </fieldset>
                </div>
                <Show when=move || live.with(Result::is_ok) fallback=|| ()>
                    <figure class="qr-preview" data-testid="profile-preview">
                        <QrImage payload=preview label=Signal::derive(tr(Key::PreviewQr)) testid="profile-preview-qr"/>
                        <figcaption>{tr(Key::PreviewQr)}</figcaption>
                    </figure>
                </Show>
            </div>
            <p class="form-error" role="alert" data-testid="profile-error">{move || general().map(|k| t(lang.get(), k))}</p>
            <p class="ok" role="status" data-testid="profile-saved">{move || saved.get().then(|| t(lang.get(), Key::Saved))}</p>
            <button type="submit" class="primary" data-testid="profile-save"
                disabled=move || busy.get() || live.with(Result::is_err) || lifetime_err.get().is_some()>{tr(Key::Save)}</button>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::ProfileDraft;
    use protocol as api;

    fn base() -> api::MerchantProfile {
        api::MerchantProfile {
            business_name: "Phsar Cafe".into(),
            merchant_city: "Phnom Penh".into(),
            country: api::Country::KH,
            merchant_category_code: "5812".into(),
            bakong_account_id: Some("cafe@aclb".into()),
            merchant_id: None,
            acquiring_bank: None,
            upi: None,
            alternate: None,
            default_currency: khqr::Currency::Khr,
            qr_lifetime_secs: 600,
            max_charge: Vec::new(),
            usd_khr_rate: None,
        }
    }

    #[test]
    fn an_unchanged_draft_gives_the_profile_back() {
        let p = base();
        assert_eq!(ProfileDraft::of(&p).profile(&p), p);
    }

    #[test]
    fn blanks_are_none_and_text_is_trimmed_where_it_is_an_identifier() {
        let p = base();
        let mut d = ProfileDraft::of(&p);
        d.bakong = "  ".into();
        d.alt_language = "km".into();
        d.alt_name = "ហាងកាហ្វេ".into();
        d.upi_merchant = " 123456789012345 ".into();
        let out = d.profile(&p);
        assert_eq!(out.bakong_account_id, None);
        assert_eq!(out.alternate.as_ref().map(|a| a.city.clone()), Some(None));
        assert_eq!(
            out.upi.map(|u| u.merchant_id),
            Some("123456789012345".to_owned())
        );
    }

    #[test]
    fn the_lifetime_is_one_to_sixty_minutes() {
        let mut d = ProfileDraft::of(&base());
        for (typed, ok) in [
            ("1", true),
            ("60", true),
            ("0", false),
            ("61", false),
            ("5m", false),
            (" 15 ", true),
        ] {
            d.minutes = typed.into();
            assert_eq!(d.lifetime_minutes().is_some(), ok, "{typed}");
        }
        d.minutes = "15".into();
        assert_eq!(d.profile(&base()).qr_lifetime_secs, 900);
    }
}
