//! Merchants, their people (staff, invitations), sessions and password resets.

use super::*;

#[async_trait]
impl AccountStore for Backend {
    async fn register(&self, new: NewMerchant, now: i64) -> StoreResult<MerchantRow> {
        let m = &new.merchant;
        let mut tx = self.begin().await?;
        sqlx::query(
            "insert into merchant (merchant_id, business_name, merchant_city, country, bakong_account_id, default_currency, qr_lifetime_secs, bill_prefix, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(&m.merchant_id)
        .bind(&m.business_name)
        .bind(&m.merchant_city)
        .bind(country_code(m.country))
        .bind(&m.bakong_account_id)
        .bind(m.default_currency.code())
        .bind(i64::from(m.qr_lifetime_secs))
        .bind(&m.bill_prefix)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("insert into app_user (user_id, merchant_id, email, password_hash, role, created_at, updated_at) values ($1, $2, $3, $4, 'owner', $5, $5)")
            .bind(&new.user_id)
            .bind(&m.merchant_id)
            .bind(&new.email)
            .bind(&new.password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(new.merchant)
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>> {
        let row = sqlx::query("select user_id, merchant_id, email, password_hash, role from app_user where email = $1")
            .bind(email)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| -> StoreResult<UserRow> {
            Ok(UserRow {
                user_id: r.try_get("user_id")?,
                merchant_id: r.try_get("merchant_id")?,
                email: r.try_get("email")?,
                password_hash: r.try_get("password_hash")?,
                role: role(&r.try_get::<String, _>("role")?)?,
            })
        })
        .transpose()
    }

    async fn merchant(&self, merchant_id: &str) -> StoreResult<MerchantRow> {
        let r = sqlx::query("select * from merchant where merchant_id = $1")
            .bind(merchant_id)
            .fetch_one(&self.reader)
            .await?;
        merchant_row(&r)
    }

    async fn update_merchant(&self, m: &MerchantRow, now: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "update merchant set business_name = $2, merchant_city = $3, country = $4, bakong_account_id = $5, default_currency = $6, qr_lifetime_secs = $7, merchant_category_code = $8, khqr_merchant_id = $9, acquiring_bank = $10, upi_account = $11, alt_language = $12, alt_name = $13, alt_city = $14, updated_at = $15 where merchant_id = $1",
        )
        .bind(&m.merchant_id)
        .bind(&m.business_name)
        .bind(&m.merchant_city)
        .bind(country_code(m.country))
        .bind(&m.bakong_account_id)
        .bind(m.default_currency.code())
        .bind(i64::from(m.qr_lifetime_secs))
        .bind(&m.merchant_category_code)
        .bind(&m.khqr_merchant_id)
        .bind(&m.acquiring_bank)
        .bind(&m.upi_account)
        .bind(&m.alt_language)
        .bind(&m.alt_name)
        .bind(&m.alt_city)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn create_invitation(&self, inv: &InvitationRow, now: i64) -> StoreResult<()> {
        sqlx::query(
            "insert into invitation (token_hash, merchant_id, email, role, terminal_id, invited_by, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&inv.token_hash)
        .bind(&inv.merchant_id)
        .bind(&inv.email)
        .bind(inv.role.as_str())
        .bind(&inv.terminal_id)
        .bind(&inv.invited_by)
        .bind(inv.expires_at)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn invitation(&self, token_hash: &str, now: i64) -> StoreResult<Option<InvitationRow>> {
        let row = sqlx::query(
            "select token_hash, merchant_id, email, role, terminal_id, invited_by, expires_at from invitation \
             where token_hash = $1 and used_at is null and expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(InvitationRow {
                token_hash: r.try_get("token_hash")?,
                merchant_id: r.try_get("merchant_id")?,
                email: r.try_get("email")?,
                role: role(&r.try_get::<String, _>("role")?)?,
                terminal_id: r.try_get("terminal_id")?,
                invited_by: r.try_get("invited_by")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        user_id: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<UserRow> {
        let mut tx = self.begin().await?;
        // Claiming the invitation and creating the user are one step: a link works exactly once.
        let row = sqlx::query(
            "update invitation set used_at = $2, updated_at = $2 where token_hash = $1 and used_at is null and expires_at > $2 returning merchant_id, email, role, terminal_id",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let user = UserRow {
            user_id: user_id.to_owned(),
            merchant_id: row.try_get("merchant_id")?,
            email: row.try_get("email")?,
            password_hash: password_hash.to_owned(),
            role: role(&row.try_get::<String, _>("role")?)?,
        };
        let terminal: Option<String> = row.try_get("terminal_id")?;
        sqlx::query(
            "insert into app_user (user_id, merchant_id, email, password_hash, role, terminal_id, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(&user.user_id)
        .bind(&user.merchant_id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(terminal)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn staff(&self, merchant_id: &str) -> StoreResult<Vec<StaffRow>> {
        let rows = sqlx::query("select user_id, email, role, terminal_id from app_user where merchant_id = $1 order by created_at")
            .bind(merchant_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StaffRow {
                    user_id: r.try_get("user_id")?,
                    email: r.try_get("email")?,
                    role: role(&r.try_get::<String, _>("role")?)?,
                    terminal_id: r.try_get("terminal_id")?,
                })
            })
            .collect()
    }

    async fn reset_password(&self, email: &str, password_hash: &str, now: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        set_password(&mut tx, email, password_hash, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user: &UserRow,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query("insert into session (token_hash, user_id, merchant_id, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(token_hash)
            .bind(&user.user_id)
            .bind(&user.merchant_id)
            .bind(expires_at)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>> {
        let row = sqlx::query(
            "select s.user_id, s.merchant_id, u.email, u.role, u.terminal_id from session s join app_user u on u.user_id = s.user_id where s.token_hash = $1 and s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| -> StoreResult<SessionRow> {
            Ok(SessionRow {
                user_id: r.try_get("user_id")?,
                merchant_id: r.try_get("merchant_id")?,
                email: r.try_get("email")?,
                role: role(&r.try_get::<String, _>("role")?)?,
                terminal_id: r.try_get("terminal_id")?,
            })
        })
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("delete from session where token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn create_password_reset(
        &self,
        token_hash: &str,
        email: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query("insert into password_reset (token_hash, email, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $4)")
            .bind(token_hash)
            .bind(email)
            .bind(expires_at)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn password_reset(&self, token_hash: &str, now: i64) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "select email from password_reset where token_hash = $1 and used_at is null and expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?)
    }

    async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let email: Option<String> = sqlx::query_scalar(
            "update password_reset set used_at = $2, updated_at = $2 \
             where token_hash = $1 and used_at is null and expires_at > $2 returning email",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let email = email.ok_or(StoreError::NotFound)?;
        set_password(&mut tx, &email, password_hash, now).await?;
        // Every other link for the account is spent too.
        sqlx::query("update password_reset set used_at = $2, updated_at = $2 where email = $1 and used_at is null")
            .bind(&email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
