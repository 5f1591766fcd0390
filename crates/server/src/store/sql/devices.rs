//! Paired customer displays and their pairing codes.

use super::*;

use crate::store::MAX_OPEN_PAIRINGS;

#[async_trait]
impl DeviceStore for Backend {
    async fn create_pairing(
        &self,
        code_hash: &str,
        merchant_id: &str,
        terminal_id: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        // A counter has at most `MAX_OPEN_PAIRINGS` codes open: a new one ends the oldest.
        locked_count(&mut tx, merchant_id, "pairing", "1 = 0").await?;
        let open: Vec<String> = sqlx::query_scalar(
            "select code_hash from pairing where merchant_id = $1 and terminal_id = $2 \
             and used_at is null and expires_at > $3 order by created_at desc, code_hash",
        )
        .bind(merchant_id)
        .bind(terminal_id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        for old in open.iter().skip(MAX_OPEN_PAIRINGS.saturating_sub(1)) {
            sqlx::query("update pairing set expires_at = $2, updated_at = $2 where code_hash = $1")
                .bind(old)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("insert into pairing (code_hash, merchant_id, terminal_id, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(code_hash)
            .bind(merchant_id)
            .bind(terminal_id)
            .bind(expires_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pair_device(
        &self,
        code_hash: &str,
        device_id: &str,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<DeviceRow> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "update pairing set used_at = $2, updated_at = $2 \
             where code_hash = $1 and used_at is null and expires_at > $2 \
             returning merchant_id, terminal_id",
        )
        .bind(code_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let device = DeviceRow {
            device_id: device_id.to_owned(),
            merchant_id: row.try_get("merchant_id")?,
            terminal_id: row.try_get("terminal_id")?,
            name: name.to_owned(),
            revoked_at: None,
            created_at: now,
        };
        sqlx::query("insert into device (device_id, merchant_id, terminal_id, token_hash, name, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(&device.device_id)
            .bind(&device.merchant_id)
            .bind(&device.terminal_id)
            .bind(token_hash)
            .bind(&device.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(device)
    }

    async fn device(&self, token_hash: &str) -> StoreResult<Option<DeviceRow>> {
        let row = sqlx::query(
            "select device_id, merchant_id, terminal_id, name, revoked_at, created_at from device \
             where token_hash = $1 and revoked_at is null",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(device_row).transpose()
    }

    async fn devices(&self, merchant_id: &str) -> StoreResult<Vec<DeviceRow>> {
        let rows = sqlx::query(
            "select device_id, merchant_id, terminal_id, name, revoked_at, created_at from device \
             where merchant_id = $1 order by created_at desc, device_id desc",
        )
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(device_row).collect()
    }

    async fn revoke_device(&self, merchant_id: &str, device_id: &str, now: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "update device set revoked_at = coalesce(revoked_at, $3), updated_at = $3 \
             where merchant_id = $1 and device_id = $2",
        )
        .bind(merchant_id)
        .bind(device_id)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // Its open websockets end now, here and on every instance, not at their next reconnect.
        revoked(self, device_id).await
    }
}
