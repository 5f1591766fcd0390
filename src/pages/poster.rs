//! `/poster/{terminal}`: the counter's static QR as a printable poster, with the merchant's name in
//! both languages and "scan to pay" in Khmer, Chinese and English, for A5 or A6 paper.

use leptos::prelude::*;

use crate::api::error_key;
use crate::app::use_session;
use crate::components::qr_code::QrImage;
use crate::i18n::{Key, Lang, t, tr, use_i18n};
use crate::load::Load;

/// The poster.
#[component]
pub fn PosterPage(
    /// the counter whose code is printed
    terminal: String,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let session = use_session().0;
    let paper = RwSignal::new("a5");
    let qr = Load::new(move || {
        let id = terminal.clone();
        async move { crate::api::terminal_qr(&id).await }
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
    let print = move |size: &'static str| {
        paper.set(size);
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="poster-tools no-print">
            <a href="/settings">{tr(Key::NavSettings)}</a>
            <button type="button" data-testid="poster-print-a5" on:click=move |_| print("a5")>{tr(Key::PrintA5)}</button>
            <button type="button" data-testid="poster-print-a6" on:click=move |_| print("a6")>{tr(Key::PrintA6)}</button>
        </div>
        <article class=move || format!("poster {}", paper.get()) data-testid="poster">
            <h1 class="poster-name">{name}</h1>
            {alt.map(|a| view! { <p class="poster-alt" data-testid="poster-alt-name">{a}</p> })}
            {move || match qr.get() {
                None => view! { <p class="loading">{tr(Key::Loading)}</p> }.into_any(),
                Some(Ok(q)) => view! { <QrImage payload=q.payload label=Signal::derive(tr(Key::ScanToPay)) testid="poster-qr"/> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error" role="alert">{move || t(lang.get(), error_key(&e))}</p> }.into_any(),
            }}
            <ul class="poster-scan">
                {[Lang::Km, Lang::Zh, Lang::En].into_iter().map(|l| view! { <li lang=l.tag()>{t(l, Key::ScanToPay)}</li> }).collect_view()}
            </ul>
            <p class="poster-city">{city}</p>
        </article>
    }
}
