//! Counters every instance shares.

use super::*;

#[async_trait]
impl ThrottleStore for Backend {
    async fn throttle_hit(&self, key: &str, window_start: i64, now: i64) -> StoreResult<u64> {
        let hits: i64 = sqlx::query_scalar(
            "insert into throttle (key, window_start, hits, updated_at) values ($1, $2, 1, $3) \
             on conflict (key) do update set \
               hits = case when throttle.window_start = excluded.window_start then throttle.hits + 1 else 1 end, \
               window_start = excluded.window_start, updated_at = excluded.updated_at \
             returning hits",
        )
        .bind(key)
        .bind(window_start)
        .bind(now)
        .fetch_one(&self.writer)
        .await?;
        Ok(hits.max(0) as u64)
    }

    async fn throttle_unhit(&self, key: &str, window_start: i64) -> StoreResult<()> {
        sqlx::query(
            "update throttle set hits = hits - 1 where key = $1 and window_start = $2 and hits > 0",
        )
        .bind(key)
        .bind(window_start)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn throttle_clear(&self, key: &str) -> StoreResult<()> {
        sqlx::query("delete from throttle where key = $1")
            .bind(key)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn prune_throttles(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("delete from throttle where window_start < $1")
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }
}
