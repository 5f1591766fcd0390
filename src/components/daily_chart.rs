//! Money received per business day, as an SVG bar chart that scales to any screen.

use khqr::{Currency, Money};
use leptos::prelude::*;

use crate::format;
use crate::i18n::{Key, t, use_i18n};

/// One bar: a local date and the minor units received that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// `YYYY-MM-DD`
    pub date: String,
    /// minor units
    pub minor: u64,
    /// payments that day
    pub count: u64,
}

const W: u32 = 600;
const H: u32 = 180;
const LABEL: u32 = 22;

/// The chart; the tallest bar fills the height.
#[component]
pub fn DailyChart(
    /// the days, oldest first
    #[prop(into)]
    bars: Signal<Vec<Bar>>,
    /// their currency
    #[prop(into)]
    currency: Signal<Currency>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let body = move || {
        let bars = bars.get();
        let cur = currency.get();
        let l = lang.get();
        let n = u32::try_from(bars.len()).unwrap_or(1).max(1);
        let max = bars.iter().map(|b| b.minor).max().unwrap_or(0).max(1);
        let slot = W / n;
        let plot = H - LABEL;
        let label_every = n.div_ceil(6).max(1);
        bars.into_iter()
            .enumerate()
            .map(|(i, b)| {
                let i = u32::try_from(i).unwrap_or(0);
                // Integer scaling: at least 1 px for any day with money, so small days still show.
                let h = u32::try_from(u64::from(plot) * b.minor / max).unwrap_or(plot);
                let h = if b.minor > 0 { h.max(1) } else { 0 };
                let x = i * slot + slot / 8;
                let money = Money::new(khqr::MinorUnits::new(b.minor), cur);
                let title = format!(
                    "{} · {} · {} {}",
                    format::short_date(l, &b.date),
                    format::amount(&money.to_decimal_string(), cur),
                    b.count,
                    t(l, Key::PaymentsCount)
                );
                let label = (i % label_every == 0 || i + 1 == n).then(|| {
                    // The end labels hug the edges so they are never clipped.
                    let (lx, anchor) = if i == 0 {
                        (x, "start")
                    } else if i + 1 == n {
                        (x + slot * 3 / 4, "end")
                    } else {
                        (x + slot * 3 / 8, "middle")
                    };
                    view! { <text x=lx y=H - 4 text-anchor=anchor class="axis">{format::short_date(l, &b.date)}</text> }
                });
                view! {
                    <g data-testid="chart-bar" data-date=b.date.clone() data-minor=b.minor>
                        <rect x=x y=plot - h width=slot * 3 / 4 height=h rx="2" class="bar"><title>{title}</title></rect>
                        {label}
                    </g>
                }
            })
            .collect_view()
    };
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" preserveAspectRatio="none"
            aria-label=move || t(lang.get(), Key::Received) data-testid="daily-chart">
            <line x1="0" x2=W y1=H - LABEL y2=H - LABEL class="baseline"/>
            {body}
        </svg>
    }
}
