//! "Pay as a test wallet" beside a QR on a sandbox server: pick Bakong or a UnionPay wallet from
//! China (with its yuan rate), and pay; an expired QR is paid late.

use leptos::prelude::*;
use protocol::{Currency, TestPayment, TestWallet};

use crate::i18n::{Key, t, tr, use_i18n};

/// The test wallet's button, and its choices once opened.
#[component]
pub fn TestWalletPanel(
    /// the charge's currency (the yuan rate is in it)
    currency: Currency,
    /// the QR has expired: paying it is a late payment
    #[prop(into)]
    expired: Signal<bool>,
    /// a payment is under way
    #[prop(into)]
    busy: Signal<bool>,
    /// why the last one failed
    #[prop(into)]
    error: Signal<Option<Key>>,
    /// pay
    on_pay: Callback<TestPayment>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let open = RwSignal::new(false);
    let wallet = RwSignal::new(TestWallet::Unionpay);
    let rate = RwSignal::new(protocol::default_cny_rate(currency).to_owned());
    let label = move || {
        if expired.get() {
            Key::TestPayLate
        } else {
            Key::TestPay
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = wallet.get_untracked();
        on_pay.run(TestPayment {
            wallet: chosen,
            rate: (chosen == TestWallet::Unionpay)
                .then(|| rate.get_untracked().trim().to_owned())
                .filter(|r| !r.is_empty()),
            after_expiry: expired.get_untracked(),
        });
    };
    let choice = move |w: TestWallet| {
        let key = match w {
            TestWallet::Bakong => Key::TestWalletBakong,
            TestWallet::Unionpay => Key::TestWalletUnionpay,
        };
        view! {
            <label class="test-wallet-choice">
                <input type="radio" name="test-wallet" data-testid=format!("test-wallet-{}", w.wallet_name().to_ascii_lowercase())
                    prop:checked=move || wallet.get() == w on:change=move |_| wallet.set(w)/>
                {tr(key)}
            </label>
        }
    };
    view! {
        <div class="test-wallet" data-testid="test-wallet">
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" class="secondary test-wallet-open" data-testid="test-pay-open"
                    on:click=move |_| open.set(true)>{move || t(lang.get(), label())}</button>
            }>
                <form class="test-wallet-form card" on:submit=submit data-testid="test-pay-form">
                    <fieldset>
                        <legend>{move || t(lang.get(), label())}</legend>
                        {choice(TestWallet::Unionpay)}
                        {choice(TestWallet::Bakong)}
                    </fieldset>
                    <Show when=move || wallet.get() == TestWallet::Unionpay fallback=|| ()>
                        <label>{move || t(lang.get(), Key::TestRate).replace("{c}", currency.code())}
                            <input type="text" inputmode="decimal" data-testid="test-pay-rate"
                                prop:value=move || rate.get() on:input=move |ev| rate.set(event_target_value(&ev))/>
                        </label>
                    </Show>
                    <p class="muted small">{tr(Key::TestPayNote)}</p>
                    <p class="form-error" role="alert" data-testid="test-pay-error">{move || error.get().map(|k| t(lang.get(), k))}</p>
                    <div class="row-actions">
                        <button type="submit" class="primary" data-testid="test-pay-submit" disabled=move || busy.get()>{move || t(lang.get(), label())}</button>
                        <button type="button" class="link" data-testid="test-pay-close" on:click=move |_| open.set(false)>{tr(Key::Close)}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
