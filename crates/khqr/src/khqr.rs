//! The KHQR profile (NBC Bakong): build, verify and read individual (29) and merchant (30) codes.
//! Byte-compatible with `bakong-khqr` 1.0.20 where it is right, and stricter where it is wrong.

use crate::amount_text::Decimal;
use crate::error::{ErrorCode as E, KhqrError};
use crate::money::Currency;
use crate::prefix;
use crate::tlv::{self, Tlv};

/// Individual (tag 29) or merchant (tag 30) account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AccountKind {
    /// tag 29
    #[default]
    Individual,
    /// tag 30
    Merchant,
}

impl AccountKind {
    /// The root tag of the account template.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::Individual => "29",
            Self::Merchant => "30",
        }
    }
}

/// Everything a KHQR can carry, named as `tonle qr encode` names it. Empty strings count as absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct KhqrInput {
    /// individual or merchant
    pub kind: AccountKind,
    /// `name@bank`
    pub bakong_account_id: String,
    /// tag 59
    pub merchant_name: String,
    /// tag 60 (SDK default "Phnom Penh")
    pub merchant_city: Option<String>,
    /// 30-01
    pub merchant_id: Option<String>,
    /// 29-02 / 30-02
    pub acquiring_bank: Option<String>,
    /// 29-01
    pub account_information: Option<String>,
    /// KHR or USD (default KHR)
    pub currency: Option<Currency>,
    /// amount as written (a JSON number's text); absent or zero = static
    pub amount: Option<String>,
    /// tag 52 (default 5999)
    pub merchant_category_code: Option<String>,
    /// 62-01
    pub bill_number: Option<String>,
    /// 62-02
    pub mobile_number: Option<String>,
    /// 62-03
    pub store_label: Option<String>,
    /// 62-07
    pub terminal_label: Option<String>,
    /// 62-08
    pub purpose_of_transaction: Option<String>,
    /// 64-00
    pub language_preference: Option<String>,
    /// 64-01
    pub merchant_name_alternate_language: Option<String>,
    /// 64-02
    pub merchant_city_alternate_language: Option<String>,
    /// tag 15, UnionPay acquirer IIN + forwarding IIN + merchant id
    pub upi_merchant_account: Option<String>,
    /// 99-00, epoch ms (default: `now`)
    pub created_at_ms: Option<u64>,
    /// 99-01, epoch ms; required for dynamic codes
    pub expires_at_ms: Option<u64>,
}

/// A built code and the md5 Bakong indexes it by.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Encoded {
    /// the QR payload
    pub payload: String,
    /// md5 of the payload's UTF-8 bytes
    pub md5: Md5,
}

thread_local! {
    static MD5_PREFIX: prefix::Slot<md5::Md5> = const { std::cell::RefCell::new(None) };
}

/// An md5 as the 32 lowercase hex digits Bakong indexes payments by. Held inline: no allocation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Md5([u8; 32]);

impl Md5 {
    /// The md5 of a payload's UTF-8 bytes. The state after the first 64 bytes is remembered per
    /// thread (see `prefix`), so codes for the same merchant hash only what follows it.
    pub fn of(payload: &str) -> Self {
        use md5::Digest;
        let bytes = payload.as_bytes();
        let digest = match prefix::after_block(&MD5_PREFIX, bytes, |head| {
            let mut h = md5::Md5::new();
            h.update(head);
            h
        }) {
            Some((mut h, tail)) => {
                h.update(tail);
                h.finalize()
            }
            None => md5::Md5::digest(bytes),
        };
        Self::from_digest(&digest)
    }

    /// The md5 of a payload computed from scratch (the reference for [`Md5::of`]).
    pub fn uncached(payload: &str) -> Self {
        use md5::Digest;
        Self::from_digest(&md5::Md5::digest(payload.as_bytes()))
    }

    fn from_digest(digest: &[u8]) -> Self {
        let mut hex = [0u8; 32];
        for (pair, &b) in hex.chunks_exact_mut(2).zip(digest) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 0xF)];
        }
        Self(hex)
    }

    /// Parses 32 hex digits (either case; kept lowercase).
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 32 || !b.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let mut hex = [0u8; 32];
        for (h, c) in hex.iter_mut().zip(b) {
            *h = c.to_ascii_lowercase();
        }
        Some(Self(hex))
    }

    /// The 32 hex digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl std::fmt::Display for Md5 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Md5 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Md5({})", self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Md5 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Md5 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Md5::parse(&s).ok_or_else(|| serde::de::Error::custom("md5 must be 32 hex digits"))
    }
}

/// Lowercase hex md5 of a payload.
pub fn md5_hex(payload: &str) -> String {
    Md5::of(payload).to_string()
}
const HEX: &[u8; 16] = b"0123456789abcdef";

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

fn len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

fn err(code: E, field: &'static str, msg: &str) -> KhqrError {
    KhqrError::new(code, field, msg)
}

/// Checks an optional field's length; `Ok(None)` when absent.
fn bounded<'a>(
    v: Option<&'a str>,
    max: usize,
    code: E,
    field: &'static str,
) -> Result<Option<&'a str>, KhqrError> {
    match v {
        Some(s) if len(s) > max => Err(err(code, field, &format!("at most {max} characters"))),
        other => Ok(other),
    }
}

fn required<'a>(
    v: Option<&'a str>,
    max: usize,
    missing: E,
    too_long: E,
    field: &'static str,
) -> Result<&'a str, KhqrError> {
    let s = v.ok_or_else(|| err(missing, field, "is required"))?;
    bounded(Some(s), max, too_long, field)?;
    Ok(s)
}

fn check_account_id(id: Option<&str>) -> Result<&str, KhqrError> {
    let id = id.ok_or_else(|| {
        err(
            E::BakongAccountIdRequired,
            "bakong_account_id",
            "is required",
        )
    })?;
    if len(id) > 32 {
        return Err(err(
            E::BakongAccountIdLengthInvalid,
            "bakong_account_id",
            "at most 32 characters",
        ));
    }
    if !id.contains('@') {
        return Err(err(
            E::BakongAccountIdInvalid,
            "bakong_account_id",
            "must look like name@bank",
        ));
    }
    Ok(id)
}

fn check_mcc(mcc: &str) -> Result<(), KhqrError> {
    if len(mcc) > 4 {
        return Err(err(
            E::MerchantCodeLengthInvalid,
            "merchant_category_code",
            "at most 4 digits",
        ));
    }
    if mcc.is_empty() || !mcc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            E::InvalidMerchantCategoryCode,
            "merchant_category_code",
            "must be 4 digits",
        ));
    }
    Ok(())
}

/// Tag 54 as the SDK writes it, borrowed from the parsed input: `int[.frac]`, with one `0`
/// appended when a USD amount has a single decimal (`1.5` → `1.50`).
struct AmountText<'a> {
    int: &'a str,
    frac: &'a str,
    pad: bool,
}

impl AmountText<'_> {
    fn len(&self) -> usize {
        self.int.len()
            + if self.frac.is_empty() {
                0
            } else {
                1 + self.frac.len() + usize::from(self.pad)
            }
    }

    fn write(&self, out: &mut String) {
        out.push_str("54");
        tlv::push_len(out, self.len());
        out.push_str(self.int);
        if !self.frac.is_empty() {
            out.push('.');
            out.push_str(self.frac);
            if self.pad {
                out.push('0');
            }
        }
    }
}

/// Tag 54 for a KHQR amount, following the SDK: KHR whole, USD at most 2 decimals.
fn amount_text<'a>(
    parsed: Option<&'a Decimal<'a>>,
    currency: Currency,
) -> Result<Option<AmountText<'a>>, KhqrError> {
    let bad = || err(E::TransactionAmountInvalid, "amount", "is invalid");
    let d = parsed.ok_or_else(bad)?;
    if d.is_zero() {
        return Ok(None);
    }
    if d.negative {
        return Err(bad());
    }
    let int = if d.int.is_empty() {
        "0"
    } else {
        d.int.as_ref()
    };
    let frac = d.frac.as_ref();
    let text = match currency {
        Currency::Khr if !frac.is_empty() => {
            return Err(err(
                E::TransactionAmountInvalid,
                "amount",
                "KHR amounts are whole riel",
            ));
        }
        Currency::Usd | Currency::Cny if frac.len() > 2 => {
            return Err(err(
                E::TransactionAmountInvalid,
                "amount",
                "at most 2 decimal places",
            ));
        }
        Currency::Khr | Currency::Usd | Currency::Cny => AmountText {
            int,
            frac,
            pad: frac.len() == 1,
        },
    };
    if text.len() > 13 {
        return Err(err(
            E::TransactionAmountInvalid,
            "amount",
            "at most 13 characters",
        ));
    }
    Ok(Some(text))
}

/// Writes TLVs and remembers the first rule we enforce beyond the SDK. Those are reported only
/// after every SDK check has passed, so wherever the SDK refuses an input we refuse it with the
/// SDK's error name, and where it would write a faulty code we refuse instead.
struct Builder {
    out: String,
    strict: Option<KhqrError>,
}

impl Builder {
    fn push(&mut self, id: &str, value: &str) {
        push_unchecked(&mut self.out, id, value, &mut self.strict);
    }

    fn strict(&mut self, e: KhqrError) {
        self.strict.get_or_insert(e);
    }
}

fn push_unchecked(out: &mut String, id: &str, value: &str, strict: &mut Option<KhqrError>) {
    if tlv::write_one(out, id, value).is_err() {
        strict.get_or_insert_with(|| {
            err(
                E::TemplateTooLong,
                "payload",
                &format!("tag {id} would exceed 99 characters"),
            )
        });
    }
}

/// Up to five sub-objects of a template, borrowed from the input.
struct Kids<'a> {
    items: [(&'static str, &'a str); 5],
    n: usize,
}

impl<'a> Kids<'a> {
    fn new() -> Self {
        Self {
            items: [("", ""); 5],
            n: 0,
        }
    }

    fn add(&mut self, id: &'static str, value: &'a str) {
        if let Some(slot) = self.items.get_mut(self.n) {
            *slot = (id, value);
            self.n += 1;
        }
    }
}

/// Writes a template with its length computed up front (in characters). A template over 99
/// characters, which the SDK would write with a 3-digit length, is recorded as a strict fault.
fn write_template(out: &mut String, id: &str, kids: &Kids<'_>, strict: &mut Option<KhqrError>) {
    let kids = &kids.items[..kids.n];
    if kids.is_empty() {
        return;
    }
    let mut lens = [0usize; 5];
    for (l, (_, v)) in lens.iter_mut().zip(kids) {
        *l = len(v);
    }
    let total: usize = lens[..kids.len()].iter().map(|l| 4 + l).sum();
    if total > 99 {
        strict.get_or_insert_with(|| {
            err(
                E::TemplateTooLong,
                "payload",
                &format!("tag {id} would exceed 99 characters"),
            )
        });
    }
    out.push_str(id);
    tlv::push_len(out, total);
    for ((kid, v), l) in kids.iter().zip(lens) {
        out.push_str(kid);
        tlv::push_len(out, l);
        out.push_str(v);
    }
}

fn digit_count(v: u64) -> usize {
    v.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// Writes `id` + length + the decimal digits of `v`, without allocating.
fn push_number(out: &mut String, id: &str, v: u64) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(v);
    out.push_str(id);
    tlv::push_len(out, digits.len());
    out.push_str(digits);
}

/// Builds a KHQR. `now_ms` is the clock (the codec reads none): default creation time and expiry check.
pub fn encode(input: &KhqrInput, now_ms: u64) -> Result<Encoded, KhqrError> {
    let mut b = Builder {
        out: String::with_capacity(256),
        strict: None,
    };
    let currency = input.currency.unwrap_or(Currency::Khr);
    let amount = present(&input.amount);
    let parsed = amount.map(Decimal::parse);
    let dynamic_hint = parsed
        .as_ref()
        .is_some_and(|p| p.as_ref().is_none_or(|d| !d.is_zero()));

    b.out.push_str("000201");
    b.out
        .push_str(if dynamic_hint { "010212" } else { "010211" });

    let upi = bounded(
        present(&input.upi_merchant_account),
        99,
        E::UpiAccountInformationLengthInvalid,
        "upi_merchant_account",
    )?;
    if let Some(upi) = upi {
        b.push("15", upi);
    }

    let mut kids = Kids::new();
    account_template(input, &mut kids)?;
    write_template(&mut b.out, input.kind.tag(), &kids, &mut b.strict);

    let mcc = present(&input.merchant_category_code).unwrap_or("5999");
    check_mcc(mcc)?;
    if mcc.len() != 4 {
        // Stricter than the SDK: EMVCo's MCC is exactly four digits.
        b.strict(err(
            E::InvalidMerchantCategoryCode,
            "merchant_category_code",
            "must be 4 digits",
        ));
    }
    b.push("52", mcc);

    match currency {
        Currency::Khr | Currency::Usd => b.push("53", currency.numeric()),
        Currency::Cny => {
            return Err(err(
                E::UnsupportedCurrency,
                "currency",
                "KHQR is KHR or USD",
            ));
        }
    }
    if currency == Currency::Usd && upi.is_some() {
        return Err(err(
            E::UpiAccountInformationInvalidCurrency,
            "upi_merchant_account",
            "a UnionPay account needs a KHR code",
        ));
    }
    let amount_text = match &parsed {
        Some(p) => amount_text(p.as_ref(), currency)?,
        None => None,
    };
    if let Some(a) = &amount_text {
        a.write(&mut b.out);
    }
    b.push("58", "KH");
    let name = required(
        present_str(&input.merchant_name),
        25,
        E::MerchantNameRequired,
        E::MerchantNameLengthInvalid,
        "merchant_name",
    )?;
    b.push("59", name);
    let city = present(&input.merchant_city).unwrap_or("Phnom Penh");
    bounded(
        Some(city),
        15,
        E::MerchantCityLengthInvalid,
        "merchant_city",
    )?;
    b.push("60", city);

    let mut kids = Kids::new();
    additional_template(input, &mut kids)?;
    write_template(&mut b.out, "62", &kids, &mut b.strict);
    let mut kids = Kids::new();
    language_template(input, &mut kids, &mut b.strict)?;
    write_template(&mut b.out, "64", &kids, &mut b.strict);
    if amount_text.is_some() {
        let created = input.created_at_ms.unwrap_or(now_ms);
        let expires = input.expires_at_ms.filter(|e| *e != 0).ok_or_else(|| {
            err(
                E::ExpirationTimestampRequired,
                "expires_at_ms",
                "a dynamic KHQR needs an expiry",
            )
        })?;
        check_timestamps(created, expires, now_ms)?;
        // Both are 13 digits (checked above): 2 × (4 + 13) = 34.
        b.out.push_str("9934");
        push_number(&mut b.out, "00", created);
        push_number(&mut b.out, "01", expires);
    }
    if let Some(e) = b.strict {
        return Err(e);
    }
    let mut out = b.out;
    tlv::finish_with_crc(&mut out);
    let md5 = Md5::of(&out);
    Ok(Encoded { payload: out, md5 })
}

fn present_str(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn check_timestamps(created: u64, expires: u64, now_ms: u64) -> Result<(), KhqrError> {
    if digit_count(expires) != 13 || digit_count(created) != 13 {
        let field = if digit_count(expires) != 13 {
            "expires_at_ms"
        } else {
            "created_at_ms"
        };
        return Err(err(
            E::ExpirationTimestampLengthInvalid,
            field,
            "must be 13 digits of epoch milliseconds",
        ));
    }
    if expires < created {
        return Err(err(
            E::ExpirationTimestampInThePast,
            "expires_at_ms",
            "is before the creation time",
        ));
    }
    if expires < now_ms {
        return Err(err(E::KhqrExpired, "expires_at_ms", "has already passed"));
    }
    Ok(())
}

fn account_template<'a>(input: &'a KhqrInput, t: &mut Kids<'a>) -> Result<(), KhqrError> {
    let id = check_account_id(present_str(&input.bakong_account_id))?;
    t.add("00", id);
    match input.kind {
        AccountKind::Merchant => {
            let mid = required(
                present(&input.merchant_id),
                32,
                E::MerchantIdRequired,
                E::MerchantIdLengthInvalid,
                "merchant_id",
            )?;
            let bank = required(
                present(&input.acquiring_bank),
                32,
                E::AcquiringBankRequired,
                E::AcquiringBankLengthInvalid,
                "acquiring_bank",
            )?;
            t.add("01", mid);
            t.add("02", bank);
        }
        AccountKind::Individual => {
            if let Some(info) = bounded(
                present(&input.account_information),
                32,
                E::AccountInformationLengthInvalid,
                "account_information",
            )? {
                t.add("01", info);
            }
            if let Some(bank) = bounded(
                present(&input.acquiring_bank),
                32,
                E::AcquiringBankLengthInvalid,
                "acquiring_bank",
            )? {
                t.add("02", bank);
            }
        }
    }
    Ok(())
}

fn additional_template<'a>(input: &'a KhqrInput, t: &mut Kids<'a>) -> Result<(), KhqrError> {
    let fields: [(&'static str, &Option<String>, E, &'static str); 5] = [
        (
            "01",
            &input.bill_number,
            E::BillNumberLengthInvalid,
            "bill_number",
        ),
        (
            "02",
            &input.mobile_number,
            E::MobileNumberLengthInvalid,
            "mobile_number",
        ),
        (
            "03",
            &input.store_label,
            E::StoreLabelLengthInvalid,
            "store_label",
        ),
        (
            "07",
            &input.terminal_label,
            E::TerminalLabelLengthInvalid,
            "terminal_label",
        ),
        (
            "08",
            &input.purpose_of_transaction,
            E::PurposeOfTransactionLengthInvalid,
            "purpose_of_transaction",
        ),
    ];
    for (id, value, code, field) in fields {
        if let Some(v) = bounded(present(value), 25, code, field)? {
            t.add(id, v);
        }
    }
    Ok(())
}

fn language_template<'a>(
    input: &'a KhqrInput,
    t: &mut Kids<'a>,
    strict: &mut Option<KhqrError>,
) -> Result<(), KhqrError> {
    let pref = present(&input.language_preference);
    let name = present(&input.merchant_name_alternate_language);
    let city = present(&input.merchant_city_alternate_language);
    if pref.is_none() && name.is_none() && city.is_none() {
        return Ok(());
    }
    if pref.is_some() && name.is_none() {
        return Err(err(
            E::MerchantNameAlternateLanguageRequired,
            "merchant_name_alternate_language",
            "is required with a language preference",
        ));
    }
    if let Some(name) = name {
        // Stricter than the SDK, which crashes on a name without a language.
        let pref = pref.ok_or_else(|| {
            err(
                E::LanguagePreferenceRequired,
                "language_preference",
                "is required with an alternate name",
            )
        })?;
        bounded(
            Some(pref),
            2,
            E::LanguagePreferenceLengthInvalid,
            "language_preference",
        )?;
        t.add("00", pref);
        bounded(
            Some(name),
            25,
            E::MerchantNameAlternateLanguageLengthInvalid,
            "merchant_name_alternate_language",
        )?;
        t.add("01", name);
    } else {
        // Stricter than the SDK, which writes a template 64 without its mandatory 01.
        strict.get_or_insert_with(|| {
            err(
                E::MerchantNameAlternateLanguageRequired,
                "merchant_name_alternate_language",
                "is required with an alternate city",
            )
        });
    }
    if let Some(city) = bounded(
        city,
        15,
        E::MerchantCityAlternateLanguageLengthInvalid,
        "merchant_city_alternate_language",
    )? {
        t.add("02", city);
    }
    Ok(())
}

/// The fields of a KHQR, as written in the payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KhqrFields {
    /// individual or merchant, when the code has 29 or 30
    pub kind: Option<AccountKind>,
    /// 29/30-00
    pub bakong_account_id: Option<String>,
    /// 30-01
    pub merchant_id: Option<String>,
    /// 29-01
    pub account_information: Option<String>,
    /// 29/30-02
    pub acquiring_bank: Option<String>,
    /// 00
    pub payload_format_indicator: Option<String>,
    /// 01: "11" static, "12" dynamic
    pub point_of_initiation_method: Option<String>,
    /// 15
    pub upi_merchant_account: Option<String>,
    /// 52
    pub merchant_category_code: Option<String>,
    /// 53 as an alpha code when known, else as written
    pub currency: Option<String>,
    /// 54 as written
    pub amount: Option<String>,
    /// 58
    pub country_code: Option<String>,
    /// 59
    pub merchant_name: Option<String>,
    /// 60
    pub merchant_city: Option<String>,
    /// 62-01
    pub bill_number: Option<String>,
    /// 62-02
    pub mobile_number: Option<String>,
    /// 62-03
    pub store_label: Option<String>,
    /// 62-07
    pub terminal_label: Option<String>,
    /// 62-08
    pub purpose_of_transaction: Option<String>,
    /// 64-00
    pub language_preference: Option<String>,
    /// 64-01
    pub merchant_name_alternate_language: Option<String>,
    /// 64-02
    pub merchant_city_alternate_language: Option<String>,
    /// 99-00
    pub created_at_ms: Option<u64>,
    /// 99-01
    pub expires_at_ms: Option<u64>,
    /// 63
    pub crc: Option<String>,
}

impl KhqrFields {
    /// Reads the known fields from a parsed tree; unknown tags are left in the tree.
    pub fn from_tree(root: &[Tlv]) -> Self {
        let mut f = Self::default();
        let text = |t: &Tlv| t.text().map(str::to_owned);
        for t in root {
            match t.id.as_str() {
                "00" => f.payload_format_indicator = text(t),
                "01" => f.point_of_initiation_method = text(t),
                "15" => f.upi_merchant_account = text(t),
                "29" | "30" if f.kind.is_none() => {
                    f.kind = Some(if t.id == "29" {
                        AccountKind::Individual
                    } else {
                        AccountKind::Merchant
                    });
                    f.bakong_account_id = t.child_text("00").map(str::to_owned);
                    if t.id == "30" {
                        f.merchant_id = t.child_text("01").map(str::to_owned);
                    } else {
                        f.account_information = t.child_text("01").map(str::to_owned);
                    }
                    f.acquiring_bank = t.child_text("02").map(str::to_owned);
                }
                "52" => f.merchant_category_code = text(t),
                "53" => {
                    f.currency = t.text().map(|n| {
                        Currency::from_numeric(n).map_or(n.to_owned(), |c| c.code().to_owned())
                    })
                }
                "54" => f.amount = text(t),
                "58" => f.country_code = text(t),
                "59" => f.merchant_name = text(t),
                "60" => f.merchant_city = text(t),
                "62" => {
                    f.bill_number = t.child_text("01").map(str::to_owned);
                    f.mobile_number = t.child_text("02").map(str::to_owned);
                    f.store_label = t.child_text("03").map(str::to_owned);
                    f.terminal_label = t.child_text("07").map(str::to_owned);
                    f.purpose_of_transaction = t.child_text("08").map(str::to_owned);
                }
                "64" => {
                    f.language_preference = t.child_text("00").map(str::to_owned);
                    f.merchant_name_alternate_language = t.child_text("01").map(str::to_owned);
                    f.merchant_city_alternate_language = t.child_text("02").map(str::to_owned);
                }
                "99" => {
                    f.created_at_ms = t.child_text("00").and_then(|v| v.parse().ok());
                    f.expires_at_ms = t.child_text("01").and_then(|v| v.parse().ok());
                }
                "63" => f.crc = text(t),
                _ => {}
            }
        }
        f
    }

    /// True when point of initiation is "12" (a one-time code).
    pub fn is_dynamic(&self) -> bool {
        self.point_of_initiation_method.as_deref() == Some("12")
    }
}

/// Checks a KHQR the way the SDK's `verify` does (CRC, required tags, field rules, dynamic expiry),
/// and returns its fields. `now_ms` decides expiry.
pub fn verify(payload: &str, now_ms: u64) -> Result<KhqrFields, KhqrError> {
    tlv::check_crc(payload)?;
    if len(payload) < 12 {
        return Err(err(E::KhqrInvalid, "payload", "is too short"));
    }
    let root = tlv::parse_lenient(payload)?;
    let f = KhqrFields::from_tree(&root);
    let has = |id: &str| root.iter().any(|t| t.id == id);
    if f.is_dynamic() {
        if !has("54") {
            return Err(err(
                E::InvalidDynamicKhqr,
                "amount",
                "a dynamic KHQR needs an amount",
            ));
        }
        if !has("99") {
            return Err(err(
                E::ExpirationTimestampRequired,
                "expires_at_ms",
                "a dynamic KHQR needs an expiry",
            ));
        }
    }
    if has("54") && !has("99") {
        return Err(err(
            E::ExpirationTimestampRequired,
            "expires_at_ms",
            "an amount needs an expiry",
        ));
    }
    fn need<'a>(v: &'a Option<String>, code: E, field: &'static str) -> Result<&'a str, KhqrError> {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| err(code, field, "is required"))
    }
    let pfi = need(
        &f.payload_format_indicator,
        E::PayloadFormatIndicatorTagRequired,
        "payload_format_indicator",
    )?;
    if f.kind.is_none() {
        return Err(err(
            E::BakongAccountIdRequired,
            "bakong_account_id",
            "a KHQR needs tag 29 or 30",
        ));
    }
    let mcc = need(
        &f.merchant_category_code,
        E::MerchantCategoryTagRequired,
        "merchant_category_code",
    )?;
    let cur = root.iter().find(|t| t.id == "53").and_then(Tlv::text);
    let cur = cur.ok_or_else(|| err(E::CurrencyTypeRequired, "currency", "is required"))?;
    let country = need(&f.country_code, E::CountryCodeTagRequired, "country_code")?;
    let name = need(&f.merchant_name, E::MerchantNameRequired, "merchant_name")?;
    let city = need(
        &f.merchant_city,
        E::MerchantCityTagRequired,
        "merchant_city",
    )?;

    if len(pfi) > 2 {
        return Err(err(
            E::PayloadFormatIndicatorLengthInvalid,
            "payload_format_indicator",
            "at most 2 characters",
        ));
    }
    if let Some(poi) = &f.point_of_initiation_method {
        if len(poi) > 2 {
            return Err(err(
                E::PointInitiationLengthInvalid,
                "point_of_initiation_method",
                "at most 2 characters",
            ));
        }
        if poi != "11" && poi != "12" {
            return Err(err(
                E::PointOfInitiationMethodInvalid,
                "point_of_initiation_method",
                "must be 11 or 12",
            ));
        }
    }
    bounded(
        f.upi_merchant_account.as_deref(),
        99,
        E::UpiAccountInformationLengthInvalid,
        "upi_merchant_account",
    )?;
    check_account_id(f.bakong_account_id.as_deref().filter(|s| !s.is_empty()))?;
    match f.kind {
        Some(AccountKind::Merchant) => {
            required(
                f.merchant_id.as_deref(),
                32,
                E::MerchantIdRequired,
                E::MerchantIdLengthInvalid,
                "merchant_id",
            )?;
            required(
                f.acquiring_bank.as_deref(),
                32,
                E::AcquiringBankRequired,
                E::AcquiringBankLengthInvalid,
                "acquiring_bank",
            )?;
        }
        Some(AccountKind::Individual) | None => {
            bounded(
                f.account_information.as_deref(),
                32,
                E::AccountInformationLengthInvalid,
                "account_information",
            )?;
            bounded(
                f.acquiring_bank.as_deref(),
                32,
                E::AcquiringBankLengthInvalid,
                "acquiring_bank",
            )?;
        }
    }
    if len(mcc) > 4 {
        return Err(err(
            E::MerchantCodeLengthInvalid,
            "merchant_category_code",
            "at most 4 digits",
        ));
    }
    if !mcc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            E::InvalidMerchantCategoryCode,
            "merchant_category_code",
            "must be digits",
        ));
    }
    if len(cur) > 3 {
        return Err(err(
            E::TransactionCurrencyLengthInvalid,
            "currency",
            "at most 3 digits",
        ));
    }
    if cur != "116" && cur != "840" {
        return Err(err(
            E::UnsupportedCurrency,
            "currency",
            "KHQR is KHR (116) or USD (840)",
        ));
    }
    if let Some(a) = &f.amount
        && (len(a) > 13 || a.contains('-'))
    {
        return Err(err(E::TransactionAmountInvalid, "amount", "is invalid"));
    }
    if len(country) > 3 {
        return Err(err(
            E::CountryCodeLengthInvalid,
            "country_code",
            "is too long",
        ));
    }
    bounded(
        Some(name),
        25,
        E::MerchantNameLengthInvalid,
        "merchant_name",
    )?;
    bounded(
        Some(city),
        15,
        E::MerchantCityLengthInvalid,
        "merchant_city",
    )?;
    for (v, code, field) in [
        (&f.bill_number, E::BillNumberLengthInvalid, "bill_number"),
        (
            &f.mobile_number,
            E::MobileNumberLengthInvalid,
            "mobile_number",
        ),
        (&f.store_label, E::StoreLabelLengthInvalid, "store_label"),
        (
            &f.terminal_label,
            E::TerminalLabelLengthInvalid,
            "terminal_label",
        ),
        (
            &f.purpose_of_transaction,
            E::PurposeOfTransactionLengthInvalid,
            "purpose_of_transaction",
        ),
    ] {
        bounded(v.as_deref(), 25, code, field)?;
    }
    if f.language_preference.is_some() && f.merchant_name_alternate_language.is_none() {
        return Err(err(
            E::MerchantNameAlternateLanguageRequired,
            "merchant_name_alternate_language",
            "is required",
        ));
    }
    bounded(
        f.language_preference.as_deref(),
        2,
        E::LanguagePreferenceLengthInvalid,
        "language_preference",
    )?;
    bounded(
        f.merchant_name_alternate_language.as_deref(),
        25,
        E::MerchantNameAlternateLanguageLengthInvalid,
        "merchant_name_alternate_language",
    )?;
    bounded(
        f.merchant_city_alternate_language.as_deref(),
        15,
        E::MerchantCityAlternateLanguageLengthInvalid,
        "merchant_city_alternate_language",
    )?;
    if f.is_dynamic() {
        let ts = root.iter().find(|t| t.id == "99");
        let raw_exp = ts.and_then(|t| t.child_text("01"));
        let raw_exp = raw_exp.ok_or_else(|| {
            err(
                E::ExpirationTimestampRequired,
                "expires_at_ms",
                "is required",
            )
        })?;
        let exp: u64 = match raw_exp.parse() {
            Ok(v) if raw_exp.len() == 13 => v,
            _ => {
                return Err(err(
                    E::ExpirationTimestampLengthInvalid,
                    "expires_at_ms",
                    "must be 13 digits",
                ));
            }
        };
        let created = f.created_at_ms.unwrap_or(0);
        if exp < created {
            return Err(err(
                E::ExpirationTimestampInThePast,
                "expires_at_ms",
                "is before the creation time",
            ));
        }
        if exp < now_ms {
            return Err(err(E::KhqrExpired, "expires_at_ms", "has passed"));
        }
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_764_000_000_000;

    fn individual() -> KhqrInput {
        KhqrInput {
            bakong_account_id: "jonhsmith@nbcq".into(),
            merchant_name: "Jonh Smith".into(),
            ..Default::default()
        }
    }

    #[test]
    fn static_individual_with_khmer_matches_sdk_vector_v2() {
        let input = KhqrInput {
            merchant_city: Some("Siam Reap".into()),
            language_preference: Some("km".into()),
            merchant_name_alternate_language: Some("ចន ស្មីន".into()),
            merchant_city_alternate_language: Some("សៀមរាប".into()),
            ..individual()
        };
        let e = encode(&input, NOW).unwrap();
        assert_eq!(
            e.payload,
            "00020101021129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6009Siam Reap64280002km0108ចន ស្មីន0206សៀមរាប6304A8B1"
        );
        assert_eq!(e.md5.as_str(), "95863987758c3bfb7fd45f729d45ea3e");
    }

    #[test]
    fn upi_khr_matches_sdk_vector_v6_and_refuses_usd() {
        let input = KhqrInput {
            upi_merchant_account: Some("1974011600520446ACLB10002312081".into()),
            ..individual()
        };
        let e = encode(&input, NOW).unwrap();
        assert_eq!(
            e.payload,
            "00020101021115311974011600520446ACLB1000231208129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6010Phnom Penh63044637"
        );
        let usd = KhqrInput {
            currency: Some(Currency::Usd),
            ..input
        };
        assert_eq!(
            encode(&usd, NOW).unwrap_err().code,
            E::UpiAccountInformationInvalidCurrency
        );
    }

    #[test]
    fn dynamic_codes_carry_timestamps_and_verify() {
        let input = KhqrInput {
            currency: Some(Currency::Usd),
            amount: Some("1.5".into()),
            bill_number: Some("TL-000001".into()),
            expires_at_ms: Some(NOW + 600_000),
            ..individual()
        };
        let e = encode(&input, NOW).unwrap();
        assert!(e.payload.contains("54041.50"));
        assert!(
            e.payload
                .contains(&format!("99340013{NOW}0113{}", NOW + 600_000))
        );
        let f = verify(&e.payload, NOW + 1).unwrap();
        assert_eq!(f.amount.as_deref(), Some("1.50"));
        assert_eq!(
            verify(&e.payload, NOW + 600_001).unwrap_err().code,
            E::KhqrExpired
        );
    }

    #[test]
    fn refuses_with_sdk_error_names() {
        let cases: Vec<(KhqrInput, E)> = vec![
            (
                KhqrInput {
                    amount: Some("100.5".into()),
                    expires_at_ms: Some(NOW + 1000),
                    ..individual()
                },
                E::TransactionAmountInvalid,
            ),
            (
                KhqrInput {
                    amount: Some("-1".into()),
                    expires_at_ms: Some(NOW + 1000),
                    ..individual()
                },
                E::TransactionAmountInvalid,
            ),
            (
                KhqrInput {
                    amount: Some("100".into()),
                    ..individual()
                },
                E::ExpirationTimestampRequired,
            ),
            (
                KhqrInput {
                    bakong_account_id: "nobank".into(),
                    ..individual()
                },
                E::BakongAccountIdInvalid,
            ),
            (
                KhqrInput {
                    merchant_name: "x".repeat(26),
                    ..individual()
                },
                E::MerchantNameLengthInvalid,
            ),
            (
                KhqrInput {
                    merchant_category_code: Some("123".into()),
                    ..individual()
                },
                E::InvalidMerchantCategoryCode,
            ),
            (
                KhqrInput {
                    merchant_name_alternate_language: Some("ចន".into()),
                    ..individual()
                },
                E::LanguagePreferenceRequired,
            ),
            (
                KhqrInput {
                    kind: AccountKind::Merchant,
                    ..individual()
                },
                E::MerchantIdRequired,
            ),
        ];
        for (input, code) in cases {
            assert_eq!(encode(&input, NOW).unwrap_err().code, code, "{input:?}");
        }
    }

    #[test]
    fn refuses_templates_over_99_characters_where_the_sdk_writes_three_digits() {
        let input = KhqrInput {
            bill_number: Some("b".repeat(25)),
            mobile_number: Some("1".repeat(25)),
            store_label: Some("s".repeat(25)),
            terminal_label: Some("t".repeat(25)),
            ..individual()
        };
        assert_eq!(encode(&input, NOW).unwrap_err().code, E::TemplateTooLong);
    }
}

/// Any merchant-presented payload, read into its tree, scheme, CRC state and known fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// recognised scheme
    pub scheme: crate::Scheme,
    /// whether the CRC matches
    pub crc_valid: bool,
    /// known fields
    pub fields: KhqrFields,
    /// the whole tree, unknown tags included
    pub tlv: Vec<Tlv>,
}

/// Reads any EMVCo merchant-presented payload (structure checked; the CRC is reported, not required).
pub fn decode_any(payload: &str) -> Result<Decoded, KhqrError> {
    let tree = tlv::parse(payload)?;
    Ok(Decoded {
        scheme: crate::Scheme::of(&tree),
        crc_valid: tlv::check_crc(payload).is_ok(),
        fields: KhqrFields::from_tree(&tree),
        tlv: tree,
    })
}
