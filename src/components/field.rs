//! A labelled text input with its error line.

use leptos::prelude::*;

use crate::i18n::{Key, tr};

/// One form field.
#[component]
pub fn Field(
    /// label text
    label: Key,
    /// bound value
    value: RwSignal<String>,
    /// `data-testid` of the input
    testid: &'static str,
    /// input type
    #[prop(default = "text")]
    kind: &'static str,
    /// autocomplete hint
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// error to show under the field
    #[prop(into)]
    error: Signal<Option<Key>>,
) -> impl IntoView {
    let id = format!("f-{testid}");
    let err_id = format!("{id}-err");
    let lang = crate::i18n::use_i18n().lang;
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{tr(label)}</label>
            <input
                id=id
                type=kind
                autocomplete=autocomplete
                data-testid=testid
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=err_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p class="field-error" id=err_id role="alert" data-testid=format!("{testid}-error")>
                {move || error.get().map(|k| crate::i18n::t(lang.get(), k))}
            </p>
        </div>
    }
}
