//! Stores, their counters (terminals), and the counters' printed codes.

use super::*;

#[async_trait]
impl CounterStore for Backend {
    async fn create_store(&self, st: &StoreRow, now: i64) -> StoreResult<()> {
        sqlx::query("insert into store (store_id, merchant_id, name, created_at, updated_at) values ($1, $2, $3, $4, $4)")
            .bind(&st.store_id)
            .bind(&st.merchant_id)
            .bind(&st.name)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
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

    async fn create_terminal(&self, t: &TerminalRow, now: i64) -> StoreResult<()> {
        sqlx::query("insert into terminal (terminal_id, merchant_id, store_id, label, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(&t.terminal_id)
            .bind(&t.merchant_id)
            .bind(&t.store_id)
            .bind(&t.label)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
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
        now: i64,
    ) -> StoreResult<()> {
        // A code already known keeps its first counter: an md5 names one payee and one label.
        sqlx::query("insert into counter_code (md5, merchant_id, terminal_id, created_at, updated_at) values ($1, $2, $3, $4, $4) on conflict (md5) do nothing")
            .bind(md5.to_ascii_lowercase())
            .bind(merchant_id)
            .bind(terminal_id)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}
