//! `/poster/{terminal}`: the counter's static QR as a printable poster, with the merchant's name in
//! both languages and "scan to pay" in Khmer, Chinese and English, for A5 or A6 paper.

use leptos::prelude::*;

use crate::app::use_session;
use crate::components::qr_code::KhqrCard;
use crate::i18n::{Key, Lang, t, tr};
use crate::load::Load;

/// The poster.
#[component]
pub fn PosterPage(
    /// the counter whose code is printed
    terminal: protocol::web::TerminalId,
) -> impl IntoView {
    let session = use_session().0;
    let paper = RwSignal::new("a5");
    let qr = Load::new(move || {
        let id = terminal.clone();
        async move { crate::api::terminal_qr(id.as_str()).await }
    });
    let (name, alt, city) = session
        .with_untracked(|s| {
            s.as_ref().map(|s| {
                let p = &s.merchant.profile;
                (
                    p.business_name.clone(),
                    p.alternate.as_ref().map(|a| a.name.clone()),
                    p.merchant_city.clone(),
                )
            })
        })
        .unwrap_or_default();
    let on_card = name.clone();
    let currency = session
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.default_currency))
        .unwrap_or(khqr::Currency::Khr);
    let print = move |size: &'static str| {
        paper.set(size);
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="poster-tools no-print">
            <a href=crate::router::Route::SETTINGS.path()>{tr(Key::NavSettings)}</a>
            <button type="button" data-testid="poster-print-a5" on:click=move |_| print("a5")>{tr(Key::PrintA5)}</button>
            <button type="button" data-testid="poster-print-a6" on:click=move |_| print("a6")>{tr(Key::PrintA6)}</button>
        </div>
        <article class=move || format!("poster {}", paper.get()) data-testid="poster">
            <h1 class="poster-name">{name}</h1>
            {alt.map(|a| view! { <p class="poster-alt" data-testid="poster-alt-name">{a}</p> })}
            {qr.show(move |q| view! { <KhqrCard payload=q.payload merchant=on_card.clone() currency=currency testid="poster-qr"/> })}
            <ul class="poster-scan">
                {[Lang::Km, Lang::Zh, Lang::En].into_iter().map(|l| view! { <li lang=l.tag()>{t(l, Key::ScanToPay)}</li> }).collect_view()}
            </ul>
            <p class="poster-city">{city}</p>
        </article>
    }
}
