//! Which payment scheme a merchant-presented payload belongs to, read from its account templates.

use crate::tlv::Tlv;

/// A scheme recognised from the account information objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Scheme {
    /// NBC Bakong KHQR (29/30 with `name@bank`)
    Khqr,
    /// UnionPay (tag 15) without a KHQR account
    Unionpay,
    /// Thai PromptPay
    Promptpay,
    /// Singapore PayNow
    Paynow,
    /// Brazil Pix
    Pix,
    /// Indonesia QRIS
    Qris,
    /// Vietnam VietQR / NAPAS
    Vietqr,
    /// any other EMVCo merchant-presented code
    Emvco,
}

impl Scheme {
    /// Recognises the scheme of parsed root objects.
    pub fn of(root: &[Tlv]) -> Self {
        let guid = |t: &Tlv| t.child_text("00").map(str::to_ascii_uppercase);
        let khqr = root.iter().any(|t| {
            (t.id == "29" || t.id == "30") && t.child_text("00").is_some_and(|v| v.contains('@'))
        });
        if khqr {
            return Self::Khqr;
        }
        for t in root
            .iter()
            .filter(|t| t.id.parse::<u8>().is_ok_and(|n| (26..=51).contains(&n)))
        {
            match guid(t).as_deref() {
                Some("A000000677010111" | "A000000677010112" | "A000000677010114") => {
                    return Self::Promptpay;
                }
                Some("SG.PAYNOW") => return Self::Paynow,
                Some("BR.GOV.BCB.PIX") => return Self::Pix,
                Some("ID.CO.QRIS.WWW") => return Self::Qris,
                Some("A000000727") => return Self::Vietqr,
                _ => {}
            }
        }
        if root.iter().any(|t| t.id == "15" || t.id == "16") {
            return Self::Unionpay;
        }
        Self::Emvco
    }

    /// The snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Khqr => "khqr",
            Self::Unionpay => "unionpay",
            Self::Promptpay => "promptpay",
            Self::Paynow => "paynow",
            Self::Pix => "pix",
            Self::Qris => "qris",
            Self::Vietqr => "vietqr",
            Self::Emvco => "emvco",
        }
    }
}
