//! Reading rows, from sqlx's rows and from the payment writer's rusqlite rows alike.

use super::*;

pub(super) fn role(stored: &str) -> Result<api::StaffRole, StoreError> {
    api::StaffRole::parse(stored)
        .ok_or_else(|| other(anyhow::anyhow!("unknown role {stored} in database")))
}

pub(super) fn network(stored: &str) -> Result<api::Network, StoreError> {
    api::Network::parse(stored)
        .ok_or_else(|| other(anyhow::anyhow!("unknown network {stored} in database")))
}

pub(super) fn md5(stored: &str) -> Result<khqr::khqr::Md5, StoreError> {
    khqr::khqr::Md5::parse(stored)
        .ok_or_else(|| other(anyhow::anyhow!("malformed md5 {stored} in database")))
}

pub(super) fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::from_code(code)
        .ok_or_else(|| other(anyhow::anyhow!("unknown currency {code} in database")))
}

/// Reading a column by name, from sqlx's rows and from the payment writer's rusqlite rows alike,
/// so each row type is mapped once.
pub(crate) trait Cols {
    fn text(&self, col: &str) -> StoreResult<String>;
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>>;
    fn int(&self, col: &str) -> StoreResult<i64>;
}

impl Cols for DbRow {
    fn text(&self, col: &str) -> StoreResult<String> {
        Ok(self.try_get(col)?)
    }
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        Ok(self.try_get(col)?)
    }
    fn int(&self, col: &str) -> StoreResult<i64> {
        Ok(self.try_get(col)?)
    }
}

pub(super) fn money(row: &impl Cols) -> Result<Money, StoreError> {
    let minor = row.int("amount_minor")?;
    Ok(Money::new(
        MinorUnits::new(minor.max(0) as u64),
        currency(&row.text("currency")?)?,
    ))
}

pub(super) fn merchant_row(r: &DbRow) -> Result<MerchantRow, StoreError> {
    let country: String = r.try_get("country")?;
    Ok(MerchantRow {
        merchant_id: r.try_get("merchant_id")?,
        business_name: r.try_get("business_name")?,
        merchant_city: r.try_get("merchant_city")?,
        country: if country == "CN" {
            api::Country::CN
        } else {
            api::Country::KH
        },
        bakong_account_id: r.try_get("bakong_account_id")?,
        default_currency: currency(r.try_get("default_currency")?)?,
        qr_lifetime_secs: r.try_get::<i64, _>("qr_lifetime_secs")? as u32,
        bill_prefix: r.try_get("bill_prefix")?,
        merchant_category_code: r.try_get("merchant_category_code")?,
        khqr_merchant_id: r.try_get("khqr_merchant_id")?,
        acquiring_bank: r.try_get("acquiring_bank")?,
        upi_account: r.try_get("upi_account")?,
        alt_language: r.try_get("alt_language")?,
        alt_name: r.try_get("alt_name")?,
        alt_city: r.try_get("alt_city")?,
        max_charge: match r.try_get::<Option<String>, _>("max_charge")? {
            Some(json) => serde_json::from_str(&json).map_err(other)?,
            None => Vec::new(),
        },
        usd_khr_rate: r
            .try_get::<Option<String>, _>("usd_khr_rate")?
            .as_deref()
            .and_then(api::parse_rate),
    })
}

pub(super) fn country_code(c: api::Country) -> &'static str {
    match c {
        api::Country::KH => "KH",
        api::Country::CN => "CN",
    }
}

pub(super) fn resolution(stored: &str) -> api::Resolution {
    match stored {
        "accepted" => api::Resolution::Accepted,
        "refund_due" => api::Resolution::RefundDue,
        _ => api::Resolution::Unknown,
    }
}

pub(super) fn resolution_name(r: api::Resolution) -> StoreResult<&'static str> {
    match r {
        api::Resolution::Accepted => Ok("accepted"),
        api::Resolution::RefundDue => Ok("refund_due"),
        api::Resolution::Unknown => Err(StoreError::Conflict("resolution")),
    }
}

pub(crate) fn charge_row(r: &impl Cols) -> Result<ChargeRow, StoreError> {
    Ok(ChargeRow {
        charge_id: r.text("charge_id")?.into(),
        merchant_id: r.text("merchant_id")?.into(),
        bill_number: r.text("bill_number")?.into(),
        money: money(r)?,
        status: api::ChargeStatus::parse(&r.text("status")?),
        payload: r.text("payload")?,
        md5: md5(&r.text("md5")?)?,
        merchant_name: r.text("merchant_name")?,
        note: r.opt_text("note")?,
        request_hash: r.opt_text("request_hash")?,
        terminal_id: r.opt_text("terminal_id")?.map(Into::into),
        resolution: r.opt_text("resolution")?.as_deref().map(resolution),
        expires_at: r.int("expires_at")?,
        created_at: r.int("created_at")?,
        sale: match r.opt_text("sale")? {
            Some(json) => serde_json::from_str(&json).map_err(other)?,
            None => Default::default(),
        },
    })
}

pub(super) fn device_row(r: &DbRow) -> Result<DeviceRow, StoreError> {
    Ok(DeviceRow {
        device_id: r.try_get("device_id")?,
        merchant_id: r.try_get("merchant_id")?,
        terminal_id: r.try_get("terminal_id")?,
        name: r.try_get("name")?,
        revoked_at: r.try_get("revoked_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) fn terminal_row(r: &DbRow) -> Result<TerminalRow, StoreError> {
    Ok(TerminalRow {
        terminal_id: r.try_get("terminal_id")?,
        merchant_id: r.try_get("merchant_id")?,
        store_id: r.try_get("store_id")?,
        store_name: r.try_get("store_name")?,
        label: r.try_get("label")?,
    })
}

pub(crate) fn payment_row(r: &impl Cols) -> Result<PaymentRow, StoreError> {
    let payer = r.text("payer")?;
    let sale: crate::domain::charge::Sale = match r.opt_text("sale")? {
        Some(json) => serde_json::from_str(&json).map_err(other)?,
        None => Default::default(),
    };
    Ok(PaymentRow {
        payment_id: r.text("payment_id")?.into(),
        merchant_id: r.text("merchant_id")?.into(),
        network: network(&r.text("network")?)?,
        transaction_id: r.text("transaction_id")?,
        charge_id: r.opt_text("charge_id")?.map(Into::into),
        bill_number: r.opt_text("bill_number")?.map(Into::into),
        terminal_id: r.opt_text("terminal_id")?.map(Into::into),
        money: money(r)?,
        payer: serde_json::from_str(&payer).map_err(other)?,
        paid_at: r.int("paid_at")?,
        created_at: r.int("created_at")?,
        resolution: r.opt_text("resolution")?.as_deref().map(resolution),
        review: r
            .opt_text("review_reason")?
            .as_deref()
            .map(api::ReviewReason::parse),
        lines: sale.lines,
        usd_khr_rate: sale.usd_khr_rate,
    })
}

pub(super) fn event_row(r: &DbRow) -> Result<api::Event, StoreError> {
    let data: String = r.try_get("data")?;
    Ok(api::Event {
        seq: r.try_get::<i64, _>("seq")? as u64,
        at_ms: r.try_get("created_at")?,
        data: serde_json::from_str(&data).map_err(other)?,
    })
}
