//! Registration, sign-in and the merchant profile.

use serde::{Deserialize, Serialize};

/// Where the merchant trades: Cambodia (KHQR) or China (UnionPay).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Country {
    /// Cambodia
    #[default]
    KH,
    /// China
    CN,
}

/// `POST /api/v1/merchants`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterMerchant {
    /// owner's email, unique
    pub email: String,
    /// at least 10 characters
    pub password: String,
    /// shown to payers (≤ 25 characters)
    pub business_name: String,
    /// ≤ 15 characters
    pub merchant_city: String,
    /// `name@bank`, required in Cambodia
    #[serde(default)]
    pub bakong_account_id: Option<String>,
    /// defaults to KH
    #[serde(default)]
    pub country: Country,
}

/// `POST /api/v1/session`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    /// email
    pub email: String,
    /// password
    pub password: String,
}

/// A UnionPay merchant account: acquirer IIN (8 digits), forwarding IIN (8 digits), merchant id (15).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpiAccountView {
    /// 8 digits
    pub acquirer_iin: String,
    /// 8 digits
    pub forwarding_iin: String,
    /// 15 letters or digits
    pub merchant_id: String,
}

/// The merchant's name in a second language (EMVCo tag 64), shown by wallets that read it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlternateName {
    /// `km` or `zh`
    pub language: String,
    /// ≤ 25 characters
    pub name: String,
    /// ≤ 15 characters
    #[serde(default)]
    pub city: Option<String>,
}

/// The editable profile: `PUT /api/v1/merchant` takes it whole.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantProfile {
    /// display name (tag 59, ≤ 25)
    pub business_name: String,
    /// city (tag 60, ≤ 15)
    pub merchant_city: String,
    /// KH or CN
    #[serde(default)]
    pub country: Country,
    /// ISO 18245 merchant category code, 4 digits
    #[serde(default = "default_mcc")]
    pub merchant_category_code: String,
    /// Bakong account `name@bank` (required in Cambodia)
    #[serde(default)]
    pub bakong_account_id: Option<String>,
    /// KHQR merchant id (with `acquiring_bank`, makes a merchant (tag 30) account)
    #[serde(default)]
    pub merchant_id: Option<String>,
    /// acquiring bank
    #[serde(default)]
    pub acquiring_bank: Option<String>,
    /// UnionPay account: tag 15 on KHR codes in Cambodia; the whole code in China
    #[serde(default)]
    pub upi: Option<UpiAccountView>,
    /// name and city in Khmer or Chinese
    #[serde(default)]
    pub alternate: Option<AlternateName>,
    /// currency preselected on the charge screen
    pub default_currency: khqr::Currency,
    /// seconds a dynamic QR stays payable (60–3600)
    #[serde(default = "default_lifetime")]
    pub qr_lifetime_secs: u32,
    /// the largest amount one charge may ask, per currency (a mistyped extra zero is refused
    /// at the counter); none for a currency: up to what a QR can carry
    #[serde(default)]
    pub max_charge: Vec<ChargeCap>,
    /// riel per dollar at this shop (e.g. `"4100"`): a dollar-priced item sold in riel is
    /// converted at it, and the line rounded to 100 riel; none: such items are not sold in riel
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_khr_rate: Option<String>,
}

/// The largest amount one charge may ask in one currency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeCap {
    /// the currency
    pub currency: khqr::Currency,
    /// in major units, e.g. `"500"` or `"2000000"`
    pub amount: String,
}

fn default_mcc() -> String {
    "5999".to_owned()
}

fn default_lifetime() -> u32 {
    300
}

/// A merchant's profile as the app shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantView {
    /// merchant id
    pub id: String,
    /// the profile
    #[serde(flatten)]
    pub profile: MerchantProfile,
}

/// The signed-in user and their merchant.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// email of the signed-in user
    pub email: String,
    /// who this is: owner, manager, cashier, a paired display or an API key
    pub role: crate::SessionRole,
    /// their merchant
    pub merchant: MerchantView,
    /// the counter a cashier or a paired display is bound to
    #[serde(default)]
    pub terminal_id: Option<String>,
}

/// `POST /api/v1/password-resets`: a merchant or member of staff forgot their password.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPasswordReset {
    /// the account's email
    pub email: String,
}

/// How a forgotten password is reset on this server.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetDelivery {
    /// a link is emailed to the address, if it has an account (the answer is the same if not)
    Email,
    /// this server sends no email: whoever runs it resets the password
    /// (`tonle admin reset-password`)
    Operator,
}

/// The answer to a password-reset request: the same whether or not the email has an account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetRequested {
    /// how the reset reaches the account's owner
    pub delivery: ResetDelivery,
}

/// `POST /api/v1/password-resets/{token}`: the new password, from the emailed link.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetPassword {
    /// the new password, 10 to 1024 characters
    pub password: String,
}
