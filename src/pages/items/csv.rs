//! The items as a spreadsheet: the export is a download of the server's CSV; the import sends
//! the chosen file as it is and says what it added and changed, or the row the server refused.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use super::Catalog;
use crate::api::{self as client, ClientError, error_key};
use crate::i18n::{Key, t, tr, use_i18n};

/// What the last import did.
#[derive(Debug, Clone, PartialEq)]
enum Imported {
    Done(protocol::ItemImport),
    Refused(ClientError),
}

/// The file chosen in a file input. `files[0]` is read through JS reflection: the typed
/// `FileList`/`File` bindings would be two more web-sys features for this one read.
fn chosen_file(ev: &leptos::ev::Event) -> Option<(web_sys::HtmlInputElement, JsValue)> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let files = js_sys::Reflect::get(&input, &JsValue::from_str("files")).ok()?;
    let file = js_sys::Reflect::get(&files, &JsValue::from_f64(0.0)).ok()?;
    (!file.is_undefined() && !file.is_null()).then_some((input, file))
}

/// "3 added, 1 updated", or why nothing was imported (the server names the row).
fn outcome(lang: crate::i18n::Lang, done: &Imported) -> String {
    match done {
        Imported::Done(n) => t(lang, Key::ItemsImported)
            .replace("{created}", &n.created.to_string())
            .replace("{updated}", &n.updated.to_string()),
        // The server's words name the row and column ("row 3: price_usd"): shown as sent.
        Imported::Refused(ClientError::Api(e)) => match &e.field {
            Some(at) => format!("{} {at}: {}", t(lang, Key::ItemsNotImported), e.message),
            None => format!("{} {}", t(lang, Key::ItemsNotImported), e.message),
        },
        Imported::Refused(e) => format!(
            "{} {}",
            t(lang, Key::ItemsNotImported),
            t(lang, error_key(e))
        ),
    }
}

/// Export and import.
#[component]
pub(super) fn CsvCard(catalog: Catalog) -> impl IntoView {
    let lang = use_i18n().lang;
    let last = RwSignal::new(None::<Imported>);
    let busy = RwSignal::new(false);
    let import = move |ev: leptos::ev::Event| {
        let Some((input, file)) = chosen_file(&ev) else {
            return;
        };
        busy.set(true);
        last.set(None);
        spawn_local(async move {
            let done = match client::import_items(file).await {
                Ok(n) => Imported::Done(n),
                Err(e) => Imported::Refused(e),
            };
            // The same file, corrected, can be chosen again.
            input.set_value("");
            busy.set(false);
            last.set(Some(done));
            catalog.items.refetch();
        });
    };
    let refused = move || last.with(|l| matches!(l, Some(Imported::Refused(_))));
    view! {
        <section class="card items-csv" aria-labelledby="items-csv-title" data-testid="items-csv">
            <h2 id="items-csv-title">{tr(Key::ItemsSpreadsheet)}</h2>
            <p class="muted">{tr(Key::ItemsCsvHint)}</p>
            <div class="items-csv-actions">
                <a class="button-link" href=client::ITEMS_CSV download="items.csv" data-testid="items-export">{tr(Key::ItemsExport)}</a>
                <label class="button-link items-import" class:busy=move || busy.get()>
                    {tr(Key::ItemsImport)}
                    <input type="file" accept=".csv,text/csv" data-testid="items-import" on:change=import/>
                </label>
            </div>
            <p class:ok=move || !refused() class:form-error=refused role="status" data-testid="items-import-result">
                {move || last.with(|l| l.as_ref().map(|l| outcome(lang.get(), l)))}
            </p>
        </section>
    }
}
