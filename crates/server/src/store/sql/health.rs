//! Readiness: a round trip to the database, and the schema version against this binary's.

use super::*;

#[async_trait]
impl HealthStore for Backend {
    async fn ready(&self) -> StoreResult<()> {
        let applied: i64 = sqlx::query_scalar(
            "select coalesce(max(version), 0) from _sqlx_migrations where success",
        )
        .fetch_one(&self.reader)
        .await?;
        let wanted = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        if applied < wanted {
            return Err(other(anyhow::anyhow!(
                "database schema at migration {applied}, this binary needs {wanted}"
            )));
        }
        Ok(())
    }

    async fn outbox_depth(&self) -> StoreResult<u64> {
        let n: i64 =
            sqlx::query_scalar("select count(*) from webhook_delivery where status = 'pending'")
                .fetch_one(&self.reader)
                .await?;
        Ok(n.max(0) as u64)
    }

    async fn holds_sandbox_payments(&self) -> StoreResult<bool> {
        let found: Option<i32> =
            sqlx::query_scalar("select 1 from payment where network = 'sandbox' limit 1")
                .fetch_optional(&self.reader)
                .await?;
        Ok(found.is_some())
    }

    fn pool_stats(&self) -> (u32, usize) {
        // One pool under two names (PostgreSQL) counts once.
        if dialect::ONE_POOL {
            return (self.writer.size(), self.writer.num_idle());
        }
        [&self.writer, &self.reader]
            .iter()
            .fold((0, 0), |(s, i), p| (s + p.size(), i + p.num_idle()))
    }
}
