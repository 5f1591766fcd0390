//! Paper sizes for printed views (receipts, end-of-day summaries): a switch that sets the page
//! size the print stylesheet uses, and prints.

use leptos::prelude::*;

use crate::i18n::{Key, tr};

/// A paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 58 mm thermal roll
    Roll58,
    /// 80 mm thermal roll
    Roll80,
    /// A4 sheet
    A4,
}

impl Paper {
    /// The class the print stylesheet keys on.
    pub const fn class(self) -> &'static str {
        match self {
            Self::Roll58 => "paper-58",
            Self::Roll80 => "paper-80",
            Self::A4 => "paper-a4",
        }
    }
}

/// Buttons that print on 58 mm, 80 mm or A4 paper.
#[component]
pub fn PrintButtons(
    /// the paper chosen
    paper: RwSignal<Paper>,
) -> impl IntoView {
    let print = move |p: Paper| {
        paper.set(p);
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let sizes = [
        (Paper::Roll58, Key::Paper58, "print-58"),
        (Paper::Roll80, Key::Paper80, "print-80"),
        (Paper::A4, Key::PaperA4, "print-a4"),
    ];
    view! {
        <div class="print-buttons no-print" role="group">
            <span>{tr(Key::PrintReceipt)}</span>
            {sizes.into_iter().map(|(p, key, testid)| view! {
                <button type="button" data-testid=testid on:click=move |_| print(p)>{tr(key)}</button>
            }).collect_view()}
        </div>
    }
}
