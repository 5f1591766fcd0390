//! The QR as SVG (quiet zone), rendered in wasm, and the KHQR card customers in Cambodia look
//! for: a red header with the KHQR mark and a cut corner, the merchant's name and the amount, a
//! dashed rule, then the code with the currency's mark at its centre.

use khqr::Currency;
use leptos::prelude::*;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The centre mark's width as a share of the whole image (code and quiet zone). The code under
/// it is drawn at error correction H (30% of codewords recoverable); the mark covers about 2%
/// of the modules, and a native test decodes codes with that square blanked.
pub const MARK_SHARE: f64 = 0.14;

/// The error correction for a code with or without a centre mark: M keeps a plain code sparse
/// for phone cameras; a marked code gets H.
pub fn ec_level(marked: bool) -> EcLevel {
    if marked { EcLevel::H } else { EcLevel::M }
}

/// The code's modules for `payload` (`true` dark), side by side, without the quiet zone.
pub fn modules(payload: &str, marked: bool) -> Option<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), ec_level(marked)).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, dark))
}

/// SVG markup for a payload, or `None` when it cannot be encoded.
pub fn svg_for(payload: &str, marked: bool) -> Option<String> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), ec_level(marked)).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(320, 320)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// The mark at the centre of a code in `currency`.
pub const fn currency_mark(currency: Currency) -> &'static str {
    match currency {
        Currency::Khr => "៛",
        Currency::Usd => "$",
        Currency::Cny => "¥",
    }
}

/// A QR image carrying `payload` (also exposed as `data-payload` for kiosk scripts and tests),
/// with the currency's mark at its centre when `mark` is given.
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
    /// the currency whose mark sits at the centre
    #[prop(optional)]
    mark: Option<Currency>,
) -> impl IntoView {
    let marked = mark.is_some();
    view! {
        <div
            class="qr"
            role="img"
            aria-label=move || label.get()
            data-testid=testid
            data-payload=move || payload.get()
        >
            <div class="qr-svg" inner_html=move || svg_for(&payload.get(), marked).unwrap_or_default()></div>
            {mark.map(|c| view! { <span class="qr-mark" aria-hidden="true">{currency_mark(c)}</span> })}
        </div>
    }
}

/// A code on the KHQR card. `amount` is the formatted amount of a dynamic code (none on a
/// static one, where the payer types it).
#[component]
pub fn KhqrCard(
    /// the payload
    #[prop(into)]
    payload: Signal<String>,
    /// the merchant's name as on the code
    #[prop(into)]
    merchant: String,
    /// the amount, formatted, for a dynamic code
    #[prop(optional, into)]
    amount: Option<String>,
    /// the code's currency (its mark goes at the centre)
    currency: Currency,
    /// `data-testid` of the code
    #[prop(default = "charge-qr")]
    testid: &'static str,
    /// `data-testid` of the amount
    #[prop(default = "charge-amount-display")]
    amount_testid: &'static str,
) -> impl IntoView {
    view! {
        <figure class="khqr-card" data-testid="khqr-card">
            <div class="khqr-head"><span class="khqr-logo">"KHQR"</span></div>
            <div class="khqr-body">
                <p class="khqr-name">{merchant}</p>
                {amount.map(|a| view! { <p class="khqr-amount" data-testid=amount_testid>{a}</p> })}
                <div class="khqr-rule" aria-hidden="true"></div>
                <div class="khqr-code">
                    <QrImage payload=payload label=Signal::derive(crate::i18n::tr(crate::i18n::Key::ScanToPay)) testid=testid mark=currency/>
                </div>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the code as a picture a camera would see, with the centre mark blanked out as
    /// a square (larger than the round mark), and decodes it.
    fn decode_marked(payload: &str) -> Option<String> {
        let (width, dark) = modules(payload, true)?;
        let scale = 8usize;
        let quiet = 4usize;
        let side = (width + 2 * quiet) * scale;
        let mark = (side as f64 * MARK_SHARE).ceil() as usize;
        let (lo, hi) = ((side - mark) / 2, (side + mark) / 2);
        let image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            if (lo..hi).contains(&x) && (lo..hi).contains(&y) {
                return 255;
            }
            let (mx, my) = (x / scale, y / scale);
            let inside =
                (quiet..quiet + width).contains(&mx) && (quiet..quiet + width).contains(&my);
            if inside && dark[(my - quiet) * width + (mx - quiet)] {
                0
            } else {
                255
            }
        });
        let mut image = image;
        let grid = image.detect_grids().into_iter().next()?;
        grid.decode().ok().map(|(_, text)| text)
    }

    #[test]
    fn codes_with_the_centre_mark_still_decode() {
        let short = "00020101021229180014tonle@sandbox5204599953031165802KH5910Phsar Cafe6010Phnom Penh6304ABCD";
        let long = format!(
            "{short}{}",
            "62360112TL-000000001070908Counter 10813Table 4 wine"
        );
        for payload in [short.to_owned(), long, "x".repeat(300)] {
            assert_eq!(decode_marked(&payload).as_deref(), Some(payload.as_str()));
        }
    }

    #[test]
    fn a_plain_code_is_m_and_a_marked_one_h() {
        assert_eq!(ec_level(false), EcLevel::M);
        assert_eq!(ec_level(true), EcLevel::H);
        let (plain, _) = modules("00020101021229180014tonle@sandbox", false).unwrap_or_default();
        let (marked, _) = modules("00020101021229180014tonle@sandbox", true).unwrap_or_default();
        assert!(marked >= plain);
    }
}
