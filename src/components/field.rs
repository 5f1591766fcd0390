//! A labelled text input with its error line.

use leptos::prelude::*;

use crate::i18n::{Key, tr};

/// What a field reads and writes: a signal of its own, or one text of a larger draft.
#[derive(Clone, Copy)]
pub struct Bound {
    get: Signal<String>,
    set: Callback<String>,
}

impl From<RwSignal<String>> for Bound {
    fn from(s: RwSignal<String>) -> Self {
        Self {
            get: s.into(),
            set: Callback::new(move |v| s.set(v)),
        }
    }
}

impl Bound {
    /// One text of `draft`, chosen by `field`: reading it tracks the draft, typing updates
    /// that text alone (and notifies once).
    pub fn field<T: Send + Sync + 'static>(
        draft: RwSignal<T>,
        field: fn(&mut T) -> &mut String,
    ) -> Self {
        Self {
            // The accessor takes `&mut`, so the read goes through an untracked update that
            // changes nothing; `track` makes it reactive.
            get: Signal::derive(move || {
                draft.track();
                draft
                    .try_update_untracked(|d| field(d).clone())
                    .unwrap_or_default()
            }),
            set: Callback::new(move |v| draft.update(|d| *field(d) = v)),
        }
    }
}

/// One form field.
#[component]
pub fn Field(
    /// label text
    label: Key,
    /// bound value
    #[prop(into)]
    value: Bound,
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
                prop:value=move || value.get.get()
                on:input=move |ev| value.set.run(event_target_value(&ev))
            />
            <p class="field-error" id=err_id role="alert" data-testid=format!("{testid}-error")>
                {move || error.get().map(|k| crate::i18n::t(lang.get(), k))}
            </p>
        </div>
    }
}
