//! UnionPay merchant-presented codes (tag 15) for merchants in China, which Bakong wallets pay,
//! and the typed 8 + 8 + 15 account that a KHQR carries in tag 15.

use crate::error::{ErrorCode as E, KhqrError};
use crate::khqr::{Encoded, Md5};
use crate::money::{Currency, Money};
use crate::tlv;

/// A UnionPay merchant account: acquirer IIN (8 digits) + forwarding IIN (8 digits) + merchant id (15).
#[derive(Clone, PartialEq, Eq)]
pub struct UpiAccount {
    acquirer_iin: String,
    forwarding_iin: String,
    merchant_id: String,
}

impl std::fmt::Debug for UpiAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Masked: the merchant id routes money.
        let tail: String = self
            .merchant_id
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        write!(
            f,
            "UpiAccount({}/{}/…{tail})",
            self.acquirer_iin, self.forwarding_iin
        )
    }
}

impl UpiAccount {
    /// Builds an account from its three parts, checking each.
    pub fn new(
        acquirer_iin: &str,
        forwarding_iin: &str,
        merchant_id: &str,
    ) -> Result<Self, KhqrError> {
        let iin = |v: &str, field: &'static str| {
            if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
                Ok(v.to_owned())
            } else {
                Err(KhqrError::new(
                    E::UpiAccountInformationInvalid,
                    field,
                    "must be 8 digits",
                ))
            }
        };
        let acquirer_iin = iin(acquirer_iin, "upi_acquirer_iin")?;
        let forwarding_iin = iin(forwarding_iin, "upi_forwarding_iin")?;
        if merchant_id.len() != 15 || !merchant_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(KhqrError::new(
                E::UpiAccountInformationInvalid,
                "upi_merchant_id",
                "must be 15 letters or digits",
            ));
        }
        Ok(Self {
            acquirer_iin,
            forwarding_iin,
            merchant_id: merchant_id.to_owned(),
        })
    }

    /// Splits a 31-character tag 15 value.
    pub fn parse(value: &str) -> Result<Self, KhqrError> {
        if value.len() != 31 || !value.is_ascii() {
            return Err(KhqrError::new(
                E::UpiAccountInformationInvalid,
                "upi_merchant_account",
                "must be 31 characters: 8 + 8 + 15",
            ));
        }
        Self::new(&value[..8], &value[8..16], &value[16..])
    }

    /// The tag 15 value.
    pub fn as_tag_value(&self) -> String {
        format!(
            "{}{}{}",
            self.acquirer_iin, self.forwarding_iin, self.merchant_id
        )
    }

    /// Acquirer IIN.
    pub fn acquirer_iin(&self) -> &str {
        &self.acquirer_iin
    }
    /// Forwarding IIN.
    pub fn forwarding_iin(&self) -> &str {
        &self.forwarding_iin
    }
    /// Merchant id.
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }
}

/// A UnionPay code for a merchant in China (CNY, country CN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionPayInput {
    /// tag 15
    pub account: UpiAccount,
    /// tag 59
    pub merchant_name: String,
    /// tag 60
    pub merchant_city: String,
    /// tag 52
    pub merchant_category_code: String,
    /// tag 54 (dynamic when present); must be CNY
    pub amount: Option<Money>,
    /// 62-01
    pub bill_number: Option<String>,
    /// 62-07
    pub terminal_label: Option<String>,
}

/// Builds a UnionPay merchant-presented code.
pub fn encode(input: &UnionPayInput) -> Result<Encoded, KhqrError> {
    let mut out = String::with_capacity(160);
    let too_long = |id: &str| {
        KhqrError::new(
            E::TemplateTooLong,
            "payload",
            format!("tag {id} would exceed 99 characters"),
        )
    };
    let push =
        |out: &mut String, id: &str, v: &str| tlv::write_one(out, id, v).map_err(|_| too_long(id));
    push(&mut out, "00", "01")?;
    push(
        &mut out,
        "01",
        if input.amount.is_some() { "12" } else { "11" },
    )?;
    push(&mut out, "15", &input.account.as_tag_value())?;
    let mcc = &input.merchant_category_code;
    if mcc.len() != 4 || !mcc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KhqrError::new(
            E::InvalidMerchantCategoryCode,
            "merchant_category_code",
            "must be 4 digits",
        ));
    }
    push(&mut out, "52", mcc)?;
    push(&mut out, "53", Currency::Cny.numeric())?;
    if let Some(m) = input.amount {
        if m.currency != Currency::Cny {
            return Err(KhqrError::new(
                E::UnsupportedCurrency,
                "currency",
                "a UnionPay code in China is CNY",
            ));
        }
        push(&mut out, "54", &m.to_decimal_string())?;
    }
    push(&mut out, "58", "CN")?;
    let name = input.merchant_name.as_str();
    if name.is_empty() {
        return Err(KhqrError::new(
            E::MerchantNameRequired,
            "merchant_name",
            "is required",
        ));
    }
    if name.chars().count() > 25 {
        return Err(KhqrError::new(
            E::MerchantNameLengthInvalid,
            "merchant_name",
            "at most 25 characters",
        ));
    }
    push(&mut out, "59", name)?;
    let city = input.merchant_city.as_str();
    if city.is_empty() {
        return Err(KhqrError::new(
            E::MerchantCityTagRequired,
            "merchant_city",
            "is required",
        ));
    }
    if city.chars().count() > 15 {
        return Err(KhqrError::new(
            E::MerchantCityLengthInvalid,
            "merchant_city",
            "at most 15 characters",
        ));
    }
    push(&mut out, "60", city)?;
    let mut add = String::new();
    for (id, v, code, field) in [
        (
            "01",
            &input.bill_number,
            E::BillNumberLengthInvalid,
            "bill_number",
        ),
        (
            "07",
            &input.terminal_label,
            E::TerminalLabelLengthInvalid,
            "terminal_label",
        ),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            if v.chars().count() > 25 {
                return Err(KhqrError::new(code, field, "at most 25 characters"));
            }
            push(&mut add, id, v)?;
        }
    }
    if !add.is_empty() {
        push(&mut out, "62", &add)?;
    }
    tlv::finish_with_crc(&mut out);
    let md5 = Md5::of(&out);
    Ok(Encoded { payload: out, md5 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::MinorUnits;

    #[test]
    fn splits_the_acleda_sample_8_8_15() {
        let a = UpiAccount::parse("1974011600520446ACLB10002312081").unwrap();
        assert_eq!(
            (a.acquirer_iin(), a.forwarding_iin(), a.merchant_id()),
            ("19740116", "00520446", "ACLB10002312081")
        );
        assert!(UpiAccount::parse("1974011600520446ACLB1000231208").is_err());
    }

    #[test]
    fn builds_a_dynamic_cny_code_that_parses_back() {
        let input = UnionPayInput {
            account: UpiAccount::parse("2500034400020344473398443761123").unwrap(),
            merchant_name: "Shanghai Tea House".into(),
            merchant_city: "Shanghai".into(),
            merchant_category_code: "5812".into(),
            amount: Some(Money::new(MinorUnits::new(12_50), Currency::Cny)),
            bill_number: Some("TL-42".into()),
            terminal_label: Some("Counter 1".into()),
        };
        let e = encode(&input).unwrap();
        assert!(e.payload.contains("530315654051"));
        let tree = tlv::parse(&e.payload).unwrap();
        tlv::check_crc(&e.payload).unwrap();
        assert_eq!(crate::Scheme::of(&tree), crate::Scheme::Unionpay);
    }
}
