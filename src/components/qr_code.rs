//! The QR as SVG (quiet zone, error correction M for phone cameras), rendered in wasm.

use leptos::prelude::*;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// SVG markup for a payload, or `None` when it cannot be encoded.
pub fn svg_for(payload: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(320, 320)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// A QR image carrying `payload` (also exposed as `data-payload` for kiosk scripts and tests).
#[component]
pub fn QrImage(
    /// the payload
    #[prop(into)]
    payload: Signal<String>,
    /// accessible label
    #[prop(into)]
    label: Signal<&'static str>,
    /// `data-testid`
    #[prop(default = "charge-qr")]
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div
            class="qr"
            role="img"
            aria-label=move || label.get()
            data-testid=testid
            data-payload=move || payload.get()
            inner_html=move || svg_for(&payload.get()).unwrap_or_default()
        ></div>
    }
}
