//! Sessions listed and ended, roles changed, staff removed, open invitations (see
//! `store::people`). Whatever ends sessions says so to the bus after it commits.

use super::*;

use super::accounts::{INVITATION_COLS, STAFF_COLS, invitation_row, staff_row};
use crate::store::{PeopleStore, SessionListRow};

#[async_trait]
impl PeopleStore for Backend {
    async fn touch_session(&self, token_hash: &str, now: i64) -> StoreResult<()> {
        sqlx::query(
            "update session set last_seen_at = $2 where token_hash = $1 and coalesce(last_seen_at, created_at) < $3",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - crate::store::SESSION_TOUCH_MS)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn sessions_of(&self, user_id: &str, now: i64) -> StoreResult<Vec<SessionListRow>> {
        let rows = sqlx::query(
            "select session_id, user_agent, created_at, coalesce(last_seen_at, created_at) as last_seen_at, expires_at from session \
             where user_id = $1 and expires_at > $2 and coalesce(last_seen_at, created_at) > $3 \
             order by coalesce(last_seen_at, created_at) desc, session_id",
        )
        .bind(user_id)
        .bind(now)
        .bind(now - crate::store::SESSION_IDLE_MS)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SessionListRow {
                    session_id: r.try_get("session_id")?,
                    user_agent: r.try_get("user_agent")?,
                    created_at: r.try_get("created_at")?,
                    last_seen_at: r.try_get("last_seen_at")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .collect()
    }

    async fn end_session(&self, user_id: &str, session_id: &str) -> StoreResult<()> {
        let done = sqlx::query("delete from session where user_id = $1 and session_id = $2")
            .bind(user_id)
            .bind(session_id)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        revoked(self, session_id).await
    }

    async fn end_sessions_of(&self, user_id: &str) -> StoreResult<()> {
        sqlx::query("delete from session where user_id = $1")
            .bind(user_id)
            .execute(&self.writer)
            .await?;
        revoked(self, user_id).await
    }

    async fn open_invitations(
        &self,
        merchant_id: &str,
        now: i64,
    ) -> StoreResult<Vec<InvitationRow>> {
        let rows = sqlx::query(&format!(
            "select {INVITATION_COLS} from invitation \
             where merchant_id = $1 and used_at is null and revoked_at is null and expires_at > $2 \
             order by created_at desc, invitation_id"
        ))
        .bind(merchant_id)
        .bind(now)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(invitation_row).collect()
    }

    async fn revoke_invitation(
        &self,
        merchant_id: &str,
        invitation_id: &str,
        now: i64,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "update invitation set revoked_at = $3, updated_at = $3 \
             where merchant_id = $1 and invitation_id = $2 and used_at is null and revoked_at is null and expires_at > $3",
        )
        .bind(merchant_id)
        .bind(invitation_id)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn staff_member(&self, merchant_id: &str, user_id: &str) -> StoreResult<StaffRow> {
        let r = sqlx::query(&format!(
            "select {STAFF_COLS} from app_user where merchant_id = $1 and user_id = $2 and removed_at is null"
        ))
        .bind(merchant_id)
        .bind(user_id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        staff_row(&r)
    }

    async fn update_staff(
        &self,
        merchant_id: &str,
        user_id: &str,
        role: api::StaffRole,
        terminal_id: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "update app_user set role = $3, terminal_id = $4, updated_at = $5 \
             where merchant_id = $1 and user_id = $2 and removed_at is null and role <> 'owner'",
        )
        .bind(merchant_id)
        .bind(user_id)
        .bind(role.as_str())
        .bind(terminal_id)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // Sessions read the role on every request; their event streams start again in it.
        revoked(self, user_id).await
    }

    async fn remove_staff(&self, merchant_id: &str, user_id: &str, now: i64) -> StoreResult<()> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        // The email moves aside (the row stays for who made which charge); the address is free
        // for a new invitation or a shop of their own.
        let done = sqlx::query(
            "update app_user set removed_at = $3, removed_email = email, \
             email = 'removed+' || user_id || '@invalid', password_hash = '!', updated_at = $3 \
             where merchant_id = $1 and user_id = $2 and removed_at is null and role <> 'owner'",
        )
        .bind(merchant_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("delete from session where user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "update invitation set revoked_at = $2, updated_at = $2 \
             where invited_by = $1 and used_at is null and revoked_at is null",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        revoked(self, user_id).await
    }

    async fn prune_spent(&self, now: i64) -> StoreResult<u64> {
        let spent = now - crate::store::SPENT_KEEP_MS;
        let invitations = now - crate::store::INVITATIONS_KEEP_MS;
        let statements: [(&str, i64, i64); 4] = [
            (
                "delete from session where expires_at <= $1 or coalesce(last_seen_at, created_at) <= $2",
                now,
                now - crate::store::SESSION_IDLE_MS,
            ),
            (
                "delete from pairing where expires_at <= $1 or used_at <= $2",
                spent,
                spent,
            ),
            (
                "delete from password_reset where expires_at <= $1 or used_at <= $2",
                spent,
                spent,
            ),
            (
                "delete from invitation where expires_at <= $1 or used_at <= $2 or revoked_at <= $2",
                invitations,
                invitations,
            ),
        ];
        let mut gone = 0;
        for (sql, a, b) in statements {
            gone += sqlx::query(sql)
                .bind(a)
                .bind(b)
                .execute(&self.writer)
                .await?
                .rows_affected();
        }
        Ok(gone)
    }
}
