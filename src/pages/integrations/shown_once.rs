//! A secret shown this once (a webhook signing secret, an API key), with a copy button.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{pick, use_i18n};

const ONCE: [&str; 3] = [
    "Copy it now: it is not shown again.",
    "សូមចម្លងឥឡូវនេះ៖ វានឹងមិនបង្ហាញម្តងទៀតទេ។",
    "请立即复制：它不会再次显示。",
];
const COPY: [&str; 3] = ["Copy", "ចម្លង", "复制"];
const COPIED: [&str; 3] = ["Copied", "បានចម្លង", "已复制"];

/// The secret in a read-only box (select-all on focus) and a button that copies it.
#[component]
pub fn ShownOnce(
    /// what it is ("Signing secret", "API key")
    label: [&'static str; 3],
    /// the secret
    secret: String,
    /// `data-testid` of the box; the button is `{testid}-copy`
    testid: &'static str,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let copied = RwSignal::new(false);
    let text = secret.clone();
    let copy = move |_| {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return;
        };
        let promise = clipboard.write_text(&text);
        spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                copied.set(true);
            }
        });
    };
    view! {
        <div class="shown-once" role="status" data-testid=format!("{testid}-panel")>
            <label>{move || pick(lang.get(), label)}
                <input readonly class="mono" data-testid=testid prop:value=secret
                    on:focus=|ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }/>
            </label>
            <button type="button" class="primary" data-testid=format!("{testid}-copy") on:click=copy>
                {move || pick(lang.get(), if copied.get() { COPIED } else { COPY })}
            </button>
            <p class="muted">{move || pick(lang.get(), ONCE)}</p>
        </div>
    }
}
