//! Stores, their counters (terminals), and the counters' printed codes.

use std::sync::LazyLock;

use super::*;
use crate::store::counters::holds_account;

#[async_trait]
impl CounterStore for Backend {
    async fn create_store(&self, st: &StoreRow, max: usize, now: i64) -> StoreResult<bool> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        if locked_count(&mut tx, &st.merchant_id, "store", "1 = 1").await? >= max {
            return Ok(false);
        }
        sqlx::query("insert into store (store_id, merchant_id, name, created_at, updated_at) values ($1, $2, $3, $4, $4)")
            .bind(&st.store_id)
            .bind(&st.merchant_id)
            .bind(&st.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn stores(&self, merchant_id: &str) -> StoreResult<Vec<StoreRow>> {
        let rows = sqlx::query(
            "select store_id, merchant_id, name from store where merchant_id = $1 order by name",
        )
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoreRow {
                    store_id: r.try_get("store_id")?,
                    merchant_id: r.try_get("merchant_id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    async fn create_terminal(&self, t: &TerminalRow, max: usize, now: i64) -> StoreResult<bool> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        if locked_count(&mut tx, &t.merchant_id, "terminal", "1 = 1").await? >= max {
            return Ok(false);
        }
        sqlx::query("insert into terminal (terminal_id, merchant_id, store_id, label, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(&t.terminal_id)
            .bind(&t.merchant_id)
            .bind(&t.store_id)
            .bind(&t.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn terminals(&self, merchant_id: &str) -> StoreResult<Vec<TerminalRow>> {
        let rows = sqlx::query(
            "select t.terminal_id, t.merchant_id, t.store_id, s.name as store_name, t.label from terminal t join store s on s.store_id = t.store_id where t.merchant_id = $1 order by t.label",
        )
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(terminal_row).collect()
    }

    async fn terminal(&self, merchant_id: &str, terminal_id: &str) -> StoreResult<TerminalRow> {
        let row = sqlx::query(
            "select t.terminal_id, t.merchant_id, t.store_id, s.name as store_name, t.label from terminal t join store s on s.store_id = t.store_id where t.merchant_id = $1 and t.terminal_id = $2",
        )
        .bind(merchant_id)
        .bind(terminal_id)
        .fetch_one(&self.reader)
        .await?;
        terminal_row(&row)
    }

    async fn remember_counter_code(
        &self,
        merchant_id: &str,
        terminal_id: &str,
        md5: &str,
        account: &str,
        now: i64,
    ) -> StoreResult<()> {
        static OWNER: LazyLock<String> = LazyLock::new(|| {
            format!(
                "select merchant_id from counter_code where md5 = $1{}",
                dialect::LOCK
            )
        });
        static HOLDS: LazyLock<String> =
            LazyLock::new(|| format!("select {}", holds_account("$1", "$2")));
        let md5 = md5.to_ascii_lowercase();
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        let owner: Option<String> = sqlx::query_scalar(OWNER.as_str())
            .bind(&md5)
            .fetch_optional(&mut *tx)
            .await?;
        let holds = |who: String| {
            sqlx::query_scalar::<_, bool>(HOLDS.as_str())
                .bind(who)
                .bind(account.to_owned())
        };
        match owner {
            None => {
                sqlx::query("insert into counter_code (md5, merchant_id, terminal_id, account, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
                    .bind(&md5)
                    .bind(merchant_id)
                    .bind(terminal_id)
                    .bind(account)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            // The code keeps its first counter: an md5 names one payee and one label.
            Some(owner) if owner == merchant_id => {
                sqlx::query(
                    "update counter_code set account = coalesce(account, $2) where md5 = $1",
                )
                .bind(&md5)
                .bind(account)
                .execute(&mut *tx)
                .await?;
            }
            Some(owner) => {
                let mine = holds(merchant_id.to_owned()).fetch_one(&mut *tx).await?;
                let theirs = holds(owner).fetch_one(&mut *tx).await?;
                if mine && !theirs {
                    sqlx::query("update counter_code set merchant_id = $2, terminal_id = $3, account = $4, updated_at = $5 where md5 = $1")
                        .bind(&md5)
                        .bind(merchant_id)
                        .bind(terminal_id)
                        .bind(account)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
