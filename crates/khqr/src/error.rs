//! Errors of the codec: TLV structure errors and KHQR rule errors named as the NBC SDK names them.

use std::fmt;

/// A structural fault in an EMVCo TLV string, with the character position where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    /// The string ended inside an id or a length.
    #[error("truncated data object at character {at}")]
    Truncated {
        /// character offset
        at: usize,
    },
    /// An id that is not two digits.
    #[error("id {id:?} at character {at} is not two digits")]
    BadId {
        /// the id as read
        id: String,
        /// character offset
        at: usize,
    },
    /// A length that is not two digits, is zero, or runs past the end.
    #[error("length {len:?} of tag {tag} at character {at} is invalid")]
    BadLength {
        /// tag whose length is wrong
        tag: String,
        /// the length as read
        len: String,
        /// character offset
        at: usize,
    },
    /// A value longer than the two-digit length field can carry.
    #[error("value of tag {tag} has {len} characters; EMVCo allows at most 99")]
    ValueTooLong {
        /// tag whose value is too long
        tag: String,
        /// its length in characters
        len: usize,
    },
    /// Tag 00 is not the first object.
    #[error("payload format indicator (00) must be the first data object")]
    FormatIndicatorNotFirst,
    /// Tag 63 is missing or not the last object.
    #[error("CRC (63) must be the last data object, with 4 hex digits")]
    CrcNotLast,
    /// The CRC does not match.
    #[error("CRC mismatch: payload says {found}, computed {expected}")]
    CrcMismatch {
        /// computed CRC
        expected: String,
        /// CRC written in the payload
        found: String,
    },
}

/// The error names of the NBC `bakong-khqr` SDK (`errorCode.js`), so integrators see the same names.
#[allow(missing_docs)] // reason: each variant is the SDK's constant of the same name; `message()` documents it
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "SCREAMING_SNAKE_CASE"))]
pub enum ErrorCode {
    BakongAccountIdRequired,
    MerchantNameRequired,
    BakongAccountIdInvalid,
    TransactionAmountInvalid,
    MerchantTypeRequired,
    BakongAccountIdLengthInvalid,
    MerchantNameLengthInvalid,
    KhqrInvalid,
    CurrencyTypeRequired,
    BillNumberLengthInvalid,
    StoreLabelLengthInvalid,
    TerminalLabelLengthInvalid,
    PayloadFormatIndicatorLengthInvalid,
    PointInitiationLengthInvalid,
    MerchantCodeLengthInvalid,
    TransactionCurrencyLengthInvalid,
    CountryCodeLengthInvalid,
    MerchantCityLengthInvalid,
    CrcLengthInvalid,
    PayloadFormatIndicatorTagRequired,
    CrcTagRequired,
    MerchantCategoryTagRequired,
    CountryCodeTagRequired,
    MerchantCityTagRequired,
    UnsupportedCurrency,
    MerchantIdRequired,
    AcquiringBankRequired,
    MerchantIdLengthInvalid,
    AcquiringBankLengthInvalid,
    MobileNumberLengthInvalid,
    AccountInformationLengthInvalid,
    LanguagePreferenceRequired,
    LanguagePreferenceLengthInvalid,
    MerchantNameAlternateLanguageRequired,
    MerchantNameAlternateLanguageLengthInvalid,
    MerchantCityAlternateLanguageLengthInvalid,
    PurposeOfTransactionLengthInvalid,
    UpiAccountInformationLengthInvalid,
    UpiAccountInformationInvalidCurrency,
    ExpirationTimestampRequired,
    KhqrExpired,
    InvalidDynamicKhqr,
    PointOfInitiationMethodInvalid,
    ExpirationTimestampLengthInvalid,
    ExpirationTimestampInThePast,
    InvalidMerchantCategoryCode,
    /// Ours, not the SDK's: a template would exceed 99 characters (the SDK writes a 3-digit length).
    TemplateTooLong,
    /// Ours: the UnionPay account is not acquirer IIN (8 digits) + forwarding IIN (8 digits) + MID (15).
    UpiAccountInformationInvalid,
    /// Ours: the payload's TLV structure is broken.
    TlvInvalid,
    /// Ours: a field is not valid for this profile (e.g. a CNY KHQR).
    FieldInvalid,
}

impl ErrorCode {
    /// The SDK's constant name, e.g. `TRANSACTION_AMOUNT_INVALID`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::BakongAccountIdRequired => "BAKONG_ACCOUNT_ID_REQUIRED",
            Self::MerchantNameRequired => "MERCHANT_NAME_REQUIRED",
            Self::BakongAccountIdInvalid => "BAKONG_ACCOUNT_ID_INVALID",
            Self::TransactionAmountInvalid => "TRANSACTION_AMOUNT_INVALID",
            Self::MerchantTypeRequired => "MERCHANT_TYPE_REQUIRED",
            Self::BakongAccountIdLengthInvalid => "BAKONG_ACCOUNT_ID_LENGTH_INVALID",
            Self::MerchantNameLengthInvalid => "MERCHANT_NAME_LENGTH_INVALID",
            Self::KhqrInvalid => "KHQR_INVALID",
            Self::CurrencyTypeRequired => "CURRENCY_TYPE_REQUIRED",
            Self::BillNumberLengthInvalid => "BILL_NUMBER_LENGTH_INVALID",
            Self::StoreLabelLengthInvalid => "STORE_LABEL_LENGTH_INVALID",
            Self::TerminalLabelLengthInvalid => "TERMINAL_LABEL_LENGTH_INVALID",
            Self::PayloadFormatIndicatorLengthInvalid => "PAYLOAD_FORMAT_INDICATOR_LENGTH_INVALID",
            Self::PointInitiationLengthInvalid => "POINT_INITIATION_LENGTH_INVALID",
            Self::MerchantCodeLengthInvalid => "MERCHANT_CODE_LENGTH_INVALID",
            Self::TransactionCurrencyLengthInvalid => "TRANSACTION_CURRENCY_LENGTH_INVALID",
            Self::CountryCodeLengthInvalid => "COUNTRY_CODE_LENGTH_INVALID",
            Self::MerchantCityLengthInvalid => "MERCHANT_CITY_LENGTH_INVALID",
            Self::CrcLengthInvalid => "CRC_LENGTH_INVALID",
            Self::PayloadFormatIndicatorTagRequired => "PAYLOAD_FORMAT_INDICATOR_TAG_REQUIRED",
            Self::CrcTagRequired => "CRC_TAG_REQUIRED",
            Self::MerchantCategoryTagRequired => "MERCHANT_CATEGORY_TAG_REQUIRED",
            Self::CountryCodeTagRequired => "COUNTRY_CODE_TAG_REQUIRED",
            Self::MerchantCityTagRequired => "MERCHANT_CITY_TAG_REQUIRED",
            Self::UnsupportedCurrency => "UNSUPPORTED_CURRENCY",
            Self::MerchantIdRequired => "MERCHANT_ID_REQUIRED",
            Self::AcquiringBankRequired => "ACQUIRING_BANK_REQUIRED",
            Self::MerchantIdLengthInvalid => "MERCHANT_ID_LENGTH_INVALID",
            Self::AcquiringBankLengthInvalid => "ACQUIRING_BANK_LENGTH_INVALID",
            Self::MobileNumberLengthInvalid => "MOBILE_NUMBER_LENGTH_INVALID",
            Self::AccountInformationLengthInvalid => "ACCOUNT_INFORMATION_LENGTH_INVALID",
            Self::LanguagePreferenceRequired => "LANGUAGE_PREFERENCE_REQUIRED",
            Self::LanguagePreferenceLengthInvalid => "LANGUAGE_PREFERENCE_LENGTH_INVALID",
            Self::MerchantNameAlternateLanguageRequired => {
                "MERCHANT_NAME_ALTERNATE_LANGUAGE_REQUIRED"
            }
            Self::MerchantNameAlternateLanguageLengthInvalid => {
                "MERCHANT_NAME_ALTERNATE_LANGUAGE_LENGTH_INVALID"
            }
            Self::MerchantCityAlternateLanguageLengthInvalid => {
                "MERCHANT_CITY_ALTERNATE_LANGUAGE_LENGTH_INVALID"
            }
            Self::PurposeOfTransactionLengthInvalid => "PURPOSE_OF_TRANSACTION_LENGTH_INVALID",
            Self::UpiAccountInformationLengthInvalid => "UPI_ACCOUNT_INFORMATION_LENGTH_INVALID",
            Self::UpiAccountInformationInvalidCurrency => {
                "UPI_ACCOUNT_INFORMATION_INVALID_CURRENCY"
            }
            Self::ExpirationTimestampRequired => "EXPIRATION_TIMESTAMP_REQUIRED",
            Self::KhqrExpired => "KHQR_EXPIRED",
            Self::InvalidDynamicKhqr => "INVALID_DYNAMIC_KHQR",
            Self::PointOfInitiationMethodInvalid => "POINT_OF_INITIATION_METHOD_INVALID",
            Self::ExpirationTimestampLengthInvalid => "EXPIRATION_TIMESTAMP_LENGTH_INVALID",
            Self::ExpirationTimestampInThePast => "EXPIRATION_TIMESTAMP_IN_THE_PAST",
            Self::InvalidMerchantCategoryCode => "INVALID_MERCHANT_CATEGORY_CODE",
            Self::TemplateTooLong => "TEMPLATE_TOO_LONG",
            Self::UpiAccountInformationInvalid => "UPI_ACCOUNT_INFORMATION_INVALID",
            Self::TlvInvalid => "TLV_INVALID",
            Self::FieldInvalid => "FIELD_INVALID",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A KHQR rule broken by an input or a payload: the SDK's error name, the field, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message} ({field})")]
pub struct KhqrError {
    /// the SDK error name
    pub code: ErrorCode,
    /// the input field (snake_case, as in `tonle qr encode`)
    pub field: &'static str,
    /// a sentence for people
    pub message: String,
}

impl KhqrError {
    pub(crate) fn new(code: ErrorCode, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}

impl From<TlvError> for KhqrError {
    fn from(e: TlvError) -> Self {
        let code = match e {
            TlvError::CrcMismatch { .. } | TlvError::CrcNotLast => ErrorCode::KhqrInvalid,
            TlvError::ValueTooLong { .. } => ErrorCode::TemplateTooLong,
            _ => ErrorCode::TlvInvalid,
        };
        Self::new(code, "payload", e.to_string())
    }
}
