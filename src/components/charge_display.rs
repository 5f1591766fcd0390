//! The QR for the customer with amount, merchant name and countdown, and the paid/expired states.

use leptos::prelude::*;
use protocol::{ChargeStatus, ChargeView};

use crate::screens::ChargePhase;

use crate::components::charge_lines::ChargeLines;
use crate::components::cny_estimate::{CnyEstimateLine, Estimate};
use crate::components::confirm_button::ConfirmButton;
use crate::components::qr_code::KhqrCard;
use crate::format;
use crate::i18n::{Key, tr};

/// How long the full-screen confirmation stays before the next charge.
const AUTO_RESET_MS: u64 = 8_000;

/// A charge on screen.
#[component]
pub fn ChargeDisplay(
    /// the charge as created
    charge: ChargeView,
    /// its live status
    #[prop(into)]
    status: Signal<ChargeStatus>,
    /// wall clock, epoch ms
    #[prop(into)]
    now: Signal<i64>,
    /// who paid, once known
    #[prop(into)]
    payer: Signal<Option<String>>,
    /// start over
    on_new: Callback<()>,
    /// cancel this charge
    on_cancel: Callback<()>,
    /// a fresh QR for the same amount, note and counter (after expiry)
    on_renew: Callback<()>,
    /// ask Bakong about it now
    on_check: Callback<()>,
    /// a check is under way
    #[prop(into)]
    checking: Signal<bool>,
) -> impl IntoView {
    let expires = charge.expires_at_ms;
    // What the screen shows is the charge's phase (a pure function, tested natively); a memo, so
    // it is redrawn when the phase changes, not on every clock tick.
    let phase = Memo::new(move |_| ChargePhase::of(status.get(), expires, now.get()));
    let paid = move || matches!(phase.get(), ChargePhase::Paid { .. });
    // After a payment the screen resets itself for the next customer.
    Effect::new(move |_| {
        if paid()
            && let Ok(h) = set_timeout_with_handle(
                move || on_new.run(()),
                std::time::Duration::from_millis(AUTO_RESET_MS),
            )
        {
            on_cleanup(move || h.clear());
        }
    });
    let amount = format::amount(&charge.amount, charge.currency);
    let payload = charge.payload.clone();
    let merchant = charge.merchant_name.clone();
    let (on_card, paid_amount) = (amount.clone(), amount.clone());
    let currency = charge.currency;
    let state = move || phase.get().name();
    // What the server kept with the charge: its lines, and the yuan estimate shown to the payer.
    let estimate = Signal::stored(charge.cny_estimate.as_ref().map(Estimate::kept));
    let lines = charge.lines.clone();
    let (sold, paid_sold) = (lines.clone(), lines);
    let total = charge.amount.clone();
    let paid_total = total.clone();
    let rate = charge.usd_khr_rate.clone();
    let paid_rate = rate.clone();
    view! {
        <section class="charge-display card" data-testid="charge-display" data-state=state data-bill=charge.bill_number.clone()>
            <Show when=move || state() == "pending" fallback={
                let amount = amount.clone();
                move || view! { <p class="amount-big" data-testid="charge-amount-display">{amount.clone()}</p> }
            }>
                <KhqrCard payload=payload.clone() merchant=merchant.clone() amount=on_card.clone() currency=currency/>
                <CnyEstimateLine estimate=estimate/>
                <ChargeLines lines=sold.clone() currency=currency total=total.clone() testid="charge-lines" usd_khr_rate=rate.clone()/>
                <p class="hint">{tr(Key::ScanToPay)}</p>
                <p class="countdown" data-testid="charge-countdown">
                    {tr(Key::ExpiresIn)}" "{move || format::countdown(expires - now.get())}
                </p>
                <p class="muted">{tr(Key::Waiting)}</p>
                <div class="row-actions">
                    <button type="button" class="secondary" data-testid="charge-check-now" disabled=move || checking.get()
                        on:click=move |_| on_check.run(())>{tr(Key::CheckNow)}</button>
                    <ConfirmButton label=Key::Cancel testid="charge-cancel" class="secondary" on_confirm=on_cancel/>
                </div>
            </Show>
            <Show when=paid fallback=|| ()>
                <div class="paid-overlay" data-testid="charge-paid" role="status" aria-live="assertive">
                    <span class="tick" aria-hidden="true">"✓"</span>
                    <p class="paid-title">{tr(Key::Paid)}</p>
                    <Show when=move || phase.get() == ChargePhase::Paid { late: true } fallback=|| ()>
                        <p class="paid-late" data-testid="charge-paid-late">{tr(Key::PaidLate)}</p>
                    </Show>
                    <p class="amount-big">{paid_amount.clone()}</p>
                    <ChargeLines lines=paid_sold.clone() currency=currency total=paid_total.clone() testid="charge-paid-lines" usd_khr_rate=paid_rate.clone()/>
                    <p class="paid-by" data-testid="charge-paid-by">{move || payer.get()}</p>
                    <p class="muted">{tr(Key::NextCustomer)}</p>
                    <button type="button" class="primary big" data-testid="charge-new" on:click=move |_| on_new.run(())>{tr(Key::NewCharge)}</button>
                </div>
            </Show>
            <Show when=move || state() == "expired" fallback=|| ()>
                <p class="expired" data-testid="charge-expired" role="status">{tr(Key::Expired)}</p>
                <button type="button" class="primary big" data-testid="charge-renew" on:click=move |_| on_renew.run(())>{tr(Key::NewQr)}</button>
            </Show>
            <Show when=move || state() == "cancelled" fallback=|| ()>
                <p class="muted" data-testid="charge-cancelled">{tr(Key::Cancelled)}</p>
                <button type="button" class="primary big" data-testid="charge-new" on:click=move |_| on_new.run(())>{tr(Key::NewCharge)}</button>
            </Show>
            <p class="bill muted">{tr(Key::Bill)}" "{charge.bill_number.clone()}</p>
        </section>
    }
}
