//! API keys, kept as SHA-256 of the key.

use super::*;

use sqlx::Row;

use super::other;
use crate::store::{ApiKeyRow, StoreError, StoreResult};

const COLS: &str =
    "key_id, merchant_id, name, prefix, scopes, created_by, last_used_at, created_at";

/// How often a key's last use is written: at most once a minute, so a busy POS does not turn
/// every read into a write.
const TOUCH_EVERY_MS: i64 = 60_000;

fn row(r: &DbRow) -> StoreResult<ApiKeyRow> {
    let scopes: String = r.try_get("scopes")?;
    Ok(ApiKeyRow {
        key_id: r.try_get("key_id")?,
        merchant_id: r.try_get("merchant_id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        scopes: serde_json::from_str(&scopes).map_err(other)?,
        created_by: r.try_get("created_by")?,
        last_used_at: r.try_get("last_used_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) async fn create(
    pool: &Pool,
    k: &ApiKeyRow,
    key_hash: &str,
    max: usize,
    now: i64,
) -> StoreResult<bool> {
    let mut tx = pool.begin_with(dialect::BEGIN).await?;
    if locked_count(&mut tx, &k.merchant_id, "api_key", "revoked_at is null").await? >= max {
        return Ok(false);
    }
    sqlx::query(
        "insert into api_key (key_id, merchant_id, name, prefix, key_hash, scopes, created_by, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&k.key_id)
    .bind(&k.merchant_id)
    .bind(&k.name)
    .bind(&k.prefix)
    .bind(key_hash)
    .bind(serde_json::to_string(&k.scopes).map_err(other)?)
    .bind(&k.created_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn list(pool: &Pool, merchant_id: &str) -> StoreResult<Vec<ApiKeyRow>> {
    sqlx::query(&format!(
        "select {COLS} from api_key where merchant_id = $1 and revoked_at is null order by created_at desc, key_id"
    ))
    .bind(merchant_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(row)
    .collect()
}

pub(super) async fn by_hash(
    reader: &Pool,
    writer: &Pool,
    key_hash: &str,
    now: i64,
) -> StoreResult<Option<ApiKeyRow>> {
    let found = sqlx::query(&format!(
        "select {COLS} from api_key where key_hash = $1 and revoked_at is null"
    ))
    .bind(key_hash)
    .fetch_optional(reader)
    .await?;
    let Some(found) = found else { return Ok(None) };
    let key = row(&found)?;
    if key.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY_MS) {
        sqlx::query("update api_key set last_used_at = $2 where key_id = $1")
            .bind(&key.key_id)
            .bind(now)
            .execute(writer)
            .await?;
    }
    Ok(Some(key))
}

pub(super) async fn revoke(
    pool: &Pool,
    merchant_id: &str,
    key_id: &str,
    now: i64,
) -> StoreResult<()> {
    let done = sqlx::query(
        "update api_key set revoked_at = $3, updated_at = $3 where merchant_id = $1 and key_id = $2 and revoked_at is null",
    )
    .bind(merchant_id)
    .bind(key_id)
    .bind(now)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[async_trait]
impl ApiKeyStore for Backend {
    async fn create_api_key(
        &self,
        key: &ApiKeyRow,
        key_hash: &str,
        max: usize,
        now: i64,
    ) -> StoreResult<bool> {
        create(&self.writer, key, key_hash, max, now).await
    }

    async fn api_keys(&self, merchant_id: &str) -> StoreResult<Vec<ApiKeyRow>> {
        list(&self.reader, merchant_id).await
    }

    async fn use_api_key(&self, key_hash: &str, now: i64) -> StoreResult<Option<ApiKeyRow>> {
        by_hash(&self.reader, &self.writer, key_hash, now).await
    }

    async fn revoke_api_key(&self, merchant_id: &str, key_id: &str, now: i64) -> StoreResult<()> {
        revoke(&self.writer, merchant_id, key_id, now).await?;
        revoked(self, key_id).await
    }
}
