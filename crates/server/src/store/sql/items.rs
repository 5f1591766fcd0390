//! Items, reference rates and what paid charges sold.

use super::*;

use sqlx::Row;

use super::other;
use crate::store::{FxRow, FxState, ItemRow, ItemStore, MAX_ITEMS, Range, StoreResult};

const ITEM_COLS: &str = "item_id, merchant_id, name, names, category, price_khr, price_usd, price_cny, available, position, store_ids, deleted_at, updated_at";

fn item(r: &DbRow) -> StoreResult<ItemRow> {
    let mut prices = Vec::new();
    for (col, currency) in [
        ("price_khr", khqr::Currency::Khr),
        ("price_usd", khqr::Currency::Usd),
        ("price_cny", khqr::Currency::Cny),
    ] {
        if let Some(minor) = r.try_get::<Option<i64>, _>(col)? {
            prices.push(khqr::Money::new(
                khqr::MinorUnits::new(minor.max(0) as u64),
                currency,
            ));
        }
    }
    let names: String = r.try_get("names")?;
    let stores: String = r.try_get("store_ids")?;
    Ok(ItemRow {
        item_id: r.try_get("item_id")?,
        merchant_id: r.try_get("merchant_id")?,
        name: r.try_get("name")?,
        names: serde_json::from_str(&names).map_err(other)?,
        category: r.try_get("category")?,
        prices,
        available: r.try_get::<i64, _>("available")? != 0,
        position: Some(r.try_get("position")?),
        store_ids: serde_json::from_str(&stores).map_err(other)?,
        deleted: r.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
        updated_at: r.try_get("updated_at")?,
    })
}

fn fx(r: &DbRow) -> StoreResult<FxRow> {
    let currency: String = r.try_get("currency")?;
    let source: String = r.try_get("source")?;
    Ok(FxRow {
        currency: khqr::Currency::from_code(&currency)
            .ok_or_else(|| other(anyhow::anyhow!("stored currency {currency}")))?,
        cny_e8: r.try_get::<i64, _>("cny_e8")?.max(0) as u64,
        source: api::RateSource::parse(&source),
        rate_date: r.try_get("rate_date")?,
        fetched_at: r.try_get("fetched_at")?,
    })
}

fn minor(m: Option<khqr::Money>) -> Option<i64> {
    m.map(|m| m.amount.get() as i64)
}

#[async_trait]
impl ItemStore for Backend {
    async fn items(&self, merchant_id: &str) -> StoreResult<Vec<ItemRow>> {
        let sql = format!(
            "select {ITEM_COLS} from item where merchant_id = $1 and deleted_at is null order by position, name, item_id"
        );
        let rows = sqlx::query(&sql)
            .bind(merchant_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(item).collect()
    }

    async fn items_by_id(&self, merchant_id: &str, ids: &[String]) -> StoreResult<Vec<ItemRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // A cart names few items: one query for all of them, by a JSON list of ids.
        let sql = format!(
            "select {ITEM_COLS} from item where merchant_id = $1 and item_id in (select value from {})",
            dialect::JSON_TEXT_LIST
        );
        let rows = sqlx::query(&sql)
            .bind(merchant_id)
            .bind(serde_json::to_string(ids).map_err(other)?)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(item).collect()
    }

    async fn save_items(
        &self,
        merchant_id: &str,
        new: &[ItemRow],
        changed: &[ItemRow],
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        if !new.is_empty() {
            let held: i64 = sqlx::query_scalar(
                "select count(*) from item where merchant_id = $1 and deleted_at is null",
            )
            .bind(merchant_id)
            .fetch_one(&mut *tx)
            .await?;
            if held as usize + new.len() > MAX_ITEMS {
                return Err(StoreError::Conflict("items"));
            }
        }
        for it in new {
            sqlx::query(
                "insert into item (item_id, merchant_id, name, names, category, price_khr, price_usd, price_cny, available, position, store_ids, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                   coalesce($10, (select coalesce(max(position), 0) + 1 from item where merchant_id = $2 and deleted_at is null)), $11, $12, $12)",
            )
            .bind(&it.item_id)
            .bind(merchant_id)
            .bind(&it.name)
            .bind(serde_json::to_string(&it.names).map_err(other)?)
            .bind(&it.category)
            .bind(minor(it.price(khqr::Currency::Khr)))
            .bind(minor(it.price(khqr::Currency::Usd)))
            .bind(minor(it.price(khqr::Currency::Cny)))
            .bind(i64::from(it.available))
            .bind(it.position)
            .bind(serde_json::to_string(&it.store_ids).map_err(other)?)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for it in changed {
            let done = sqlx::query(
                "update item set name = $3, names = $4, category = $5, price_khr = $6, price_usd = $7, price_cny = $8, \
                   available = $9, position = coalesce($10, position), store_ids = $11, updated_at = $12 \
                 where merchant_id = $1 and item_id = $2 and deleted_at is null",
            )
            .bind(merchant_id)
            .bind(&it.item_id)
            .bind(&it.name)
            .bind(serde_json::to_string(&it.names).map_err(other)?)
            .bind(&it.category)
            .bind(minor(it.price(khqr::Currency::Khr)))
            .bind(minor(it.price(khqr::Currency::Usd)))
            .bind(minor(it.price(khqr::Currency::Cny)))
            .bind(i64::from(it.available))
            .bind(it.position)
            .bind(serde_json::to_string(&it.store_ids).map_err(other)?)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_item(&self, merchant_id: &str, item_id: &str, now: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "update item set deleted_at = $3, updated_at = $3 where merchant_id = $1 and item_id = $2 and deleted_at is null",
        )
        .bind(merchant_id)
        .bind(item_id)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn fx_state(&self, merchant_id: &str) -> StoreResult<FxState> {
        let rows = sqlx::query(
            "select merchant_id, currency, cny_e8, source, rate_date, fetched_at from fx_rate where merchant_id in ('', $1)",
        )
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        let mut own = Vec::new();
        let mut baseline = Vec::new();
        for r in &rows {
            let whose: String = r.try_get("merchant_id")?;
            if whose.is_empty() {
                baseline.push(fx(r)?);
            } else {
                own.push(fx(r)?);
            }
        }
        let mut used = own.clone();
        used.extend(
            baseline
                .into_iter()
                .filter(|b| !own.iter().any(|o| o.currency == b.currency)),
        );
        used.sort_by_key(|r| r.currency);
        let latest = sqlx::query(
            "select currency, cny_e8, source, rate_date, fetched_at from fx_latest order by currency",
        )
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(fx)
        .collect::<StoreResult<_>>()?;
        Ok(FxState { used, latest })
    }

    async fn record_fx(&self, rows: &[FxRow]) -> StoreResult<()> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        for r in rows {
            let code = r.currency.code();
            let e8 = r.cny_e8 as i64;
            sqlx::query(
                "insert into fx_latest (currency, cny_e8, source, rate_date, fetched_at) values ($1, $2, $3, $4, $5) \
                 on conflict (currency) do update set cny_e8 = excluded.cny_e8, source = excluded.source, \
                   rate_date = excluded.rate_date, fetched_at = excluded.fetched_at",
            )
            .bind(code)
            .bind(e8)
            .bind(r.source.as_str())
            .bind(&r.rate_date)
            .bind(r.fetched_at)
            .execute(&mut *tx)
            .await?;
            // The first rate ever is the baseline; later ones move every fetched rate in use that
            // they are within 10% of (an owner's own rate stays).
            sqlx::query(
                "insert into fx_rate (merchant_id, currency, cny_e8, source, rate_date, fetched_at) values ('', $1, $2, $3, $4, $5) \
                 on conflict (merchant_id, currency) do nothing",
            )
            .bind(code)
            .bind(e8)
            .bind(r.source.as_str())
            .bind(&r.rate_date)
            .bind(r.fetched_at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "update fx_rate set cny_e8 = $2, source = $3, rate_date = $4, fetched_at = $5 \
                 where currency = $1 and source <> 'owner' and abs(cny_e8 - $2) * 10 <= cny_e8",
            )
            .bind(code)
            .bind(e8)
            .bind(r.source.as_str())
            .bind(&r.rate_date)
            .bind(r.fetched_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_merchant_fx(
        &self,
        merchant_id: &str,
        currency: khqr::Currency,
        row: Option<FxRow>,
    ) -> StoreResult<()> {
        let Some(r) = row else {
            sqlx::query("delete from fx_rate where merchant_id = $1 and currency = $2")
                .bind(merchant_id)
                .bind(currency.code())
                .execute(&self.writer)
                .await?;
            return Ok(());
        };
        sqlx::query(
            "insert into fx_rate (merchant_id, currency, cny_e8, source, rate_date, fetched_at) values ($1, $2, $3, $4, $5, $6) \
             on conflict (merchant_id, currency) do update set cny_e8 = excluded.cny_e8, source = excluded.source, \
               rate_date = excluded.rate_date, fetched_at = excluded.fetched_at",
        )
        .bind(merchant_id)
        .bind(currency.code())
        .bind(r.cny_e8 as i64)
        .bind(r.source.as_str())
        .bind(&r.rate_date)
        .bind(r.fetched_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn sold_charges(
        &self,
        merchant_id: &str,
        range: Range,
        terminal_id: Option<&str>,
    ) -> StoreResult<Vec<(ChargeRow, i64)>> {
        let sql = format!(
            "select {CHARGE_COLS}, paid_at from charge where merchant_id = $1 and sale is not null \
               and status in ('paid', 'paid_late') and coalesce(resolution, '') <> 'refund_due' \
               and ($2 is null or paid_at >= $2) and ($3 is null or paid_at < $3) \
               and ($4 is null or coalesce(terminal_id, '') = $4) \
             order by paid_at, charge_id limit 100000"
        );
        let rows = sqlx::query(&sql)
            .bind(merchant_id)
            .bind(range.from_ms)
            .bind(range.to_ms)
            .bind(terminal_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                let charge = charge_row(r)?;
                let paid_at = r
                    .try_get::<Option<i64>, _>("paid_at")?
                    .unwrap_or(charge.created_at);
                Ok((charge, paid_at))
            })
            .collect()
    }
}
