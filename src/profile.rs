//! A merchant profile checked by the codec in the page: the static KHQR it would print, and which
//! form field a codec error belongs to, so mistakes show as the merchant types.

use protocol as api;

use crate::i18n::Key;

/// The static KHQR this profile prints (tag 15 and tag 64 included when set).
pub fn static_qr(p: &api::MerchantProfile) -> Result<String, khqr::KhqrError> {
    let upi = match &p.upi {
        Some(u) => Some(
            khqr::unionpay::UpiAccount::new(&u.acquirer_iin, &u.forwarding_iin, &u.merchant_id)?
                .as_tag_value(),
        ),
        None => None,
    };
    let alt = p.alternate.as_ref();
    let input = khqr::KhqrInput {
        bakong_account_id: p
            .bakong_account_id
            .clone()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        merchant_name: p.business_name.trim().to_owned(),
        merchant_city: Some(p.merchant_city.trim().to_owned()),
        merchant_category_code: Some(p.merchant_category_code.clone()),
        currency: Some(p.default_currency),
        language_preference: alt.map(|a| a.language.clone()),
        merchant_name_alternate_language: alt.map(|a| a.name.trim().to_owned()),
        merchant_city_alternate_language: alt.and_then(|a| a.city.clone()),
        upi_merchant_account: upi.filter(|_| p.default_currency == khqr::Currency::Khr),
        ..Default::default()
    };
    khqr::khqr::encode(&input, 0).map(|e| e.payload)
}

/// The form field a codec error is about, and its message.
pub fn codec_field(e: &khqr::KhqrError) -> (&'static str, Key) {
    match e.field {
        "merchant_name" => ("business_name", Key::ErrBusinessName),
        "merchant_city" => ("merchant_city", Key::ErrCity),
        f if f.starts_with("upi") => ("upi", Key::ErrUpi),
        f if f.contains("alternate") || f == "language_preference" => {
            ("alternate", Key::ErrAltName)
        }
        _ => ("bakong_account_id", Key::ErrBakong),
    }
}
