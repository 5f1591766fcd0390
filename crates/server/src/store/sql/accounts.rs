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
        let row = sqlx::query("select user_id, merchant_id, email, password_hash, role, email_verified_at from app_user where email = $1 and removed_at is null")
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
                email_verified: r.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
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
            "update merchant set business_name = $2, merchant_city = $3, country = $4, bakong_account_id = $5, default_currency = $6, qr_lifetime_secs = $7, merchant_category_code = $8, khqr_merchant_id = $9, acquiring_bank = $10, upi_account = $11, alt_language = $12, alt_name = $13, alt_city = $14, updated_at = $15, max_charge = $16, usd_khr_rate = $17 where merchant_id = $1",
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
        .bind(
            (!m.max_charge.is_empty())
                .then(|| serde_json::to_string(&m.max_charge))
                .transpose()
                .map_err(other)?,
        )
        .bind(m.usd_khr_rate.map(api::rate_text))
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn create_invitation(
        &self,
        inv: &InvitationRow,
        max_open: usize,
        now: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        let open = format!("used_at is null and revoked_at is null and expires_at > {now}");
        if locked_count(&mut tx, &inv.merchant_id, "invitation", &open).await? >= max_open {
            return Ok(false);
        }
        sqlx::query(
            "insert into invitation (invitation_id, token_hash, merchant_id, email, role, terminal_id, invited_by, expires_at, emailed_at, created_at, updated_at) values ($9, $1, $2, $3, $4, $5, $6, $7, $10, $8, $8)",
        )
        .bind(&inv.token_hash)
        .bind(&inv.merchant_id)
        .bind(&inv.email)
        .bind(inv.role.as_str())
        .bind(&inv.terminal_id)
        .bind(&inv.invited_by)
        .bind(inv.expires_at)
        .bind(now)
        .bind(&inv.invitation_id)
        .bind(inv.emailed.then_some(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn invitation(&self, token_hash: &str, now: i64) -> StoreResult<Option<InvitationRow>> {
        let row = sqlx::query(&format!(
            "select {INVITATION_COLS} from invitation \
             where token_hash = $1 and used_at is null and revoked_at is null and expires_at > $2"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(invitation_row).transpose()
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
            "update invitation set used_at = $2, updated_at = $2 where token_hash = $1 and used_at is null and revoked_at is null and expires_at > $2 returning merchant_id, email, role, terminal_id, emailed_at",
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
            email_verified: row.try_get::<Option<i64>, _>("emailed_at")?.is_some(),
        };
        let terminal: Option<String> = row.try_get("terminal_id")?;
        sqlx::query(
            "insert into app_user (user_id, merchant_id, email, password_hash, role, terminal_id, email_verified_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $8, $7, $7)",
        )
        .bind(&user.user_id)
        .bind(&user.merchant_id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(terminal)
        .bind(now)
        .bind(user.email_verified.then_some(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn staff(&self, merchant_id: &str) -> StoreResult<Vec<StaffRow>> {
        let rows = sqlx::query(&format!(
            "select {STAFF_COLS} from app_user where merchant_id = $1 and removed_at is null order by created_at, user_id"
        ))
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(staff_row).collect()
    }

    async fn reset_password(&self, email: &str, password_hash: &str, now: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let user = set_password(&mut tx, email, password_hash, false, now).await?;
        tx.commit().await?;
        revoked(self, &user).await
    }

    async fn create_session(&self, new: &NewSession<'_>, now: i64) -> StoreResult<()> {
        sqlx::query("insert into session (token_hash, session_id, user_id, merchant_id, user_agent, expires_at, last_seen_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7, $7)")
            .bind(new.token_hash)
            .bind(new.session_id)
            .bind(&new.user.user_id)
            .bind(&new.user.merchant_id)
            .bind(new.user_agent)
            .bind(new.expires_at)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>> {
        let row = sqlx::query(
            "select s.session_id, s.expires_at, coalesce(s.last_seen_at, s.created_at) as last_seen_at, s.user_id, s.merchant_id, u.email, u.role, u.terminal_id \
             from session s join app_user u on u.user_id = s.user_id \
             where s.token_hash = $1 and s.expires_at > $2 and coalesce(s.last_seen_at, s.created_at) > $3 and u.removed_at is null",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - crate::store::SESSION_IDLE_MS)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| -> StoreResult<SessionRow> {
            Ok(SessionRow {
                session_id: r.try_get("session_id")?,
                expires_at: r.try_get("expires_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
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
        let id: Option<String> =
            sqlx::query_scalar("delete from session where token_hash = $1 returning session_id")
                .bind(token_hash)
                .fetch_optional(&self.writer)
                .await?;
        match id {
            Some(id) => revoked(self, &id).await,
            None => Ok(()),
        }
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
        let user = set_password(&mut tx, &email, password_hash, true, now).await?;
        // Every other link for the account is spent too.
        sqlx::query("update password_reset set used_at = $2, updated_at = $2 where email = $1 and used_at is null")
            .bind(&email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        revoked(self, &user).await
    }
}

pub(super) const INVITATION_COLS: &str = "invitation_id, token_hash, merchant_id, email, role, terminal_id, invited_by, expires_at, created_at, emailed_at";

pub(super) fn invitation_row(r: &DbRow) -> StoreResult<InvitationRow> {
    Ok(InvitationRow {
        invitation_id: r.try_get("invitation_id")?,
        token_hash: r.try_get("token_hash")?,
        merchant_id: r.try_get("merchant_id")?,
        email: r.try_get("email")?,
        role: role(&r.try_get::<String, _>("role")?)?,
        terminal_id: r.try_get("terminal_id")?,
        invited_by: r.try_get("invited_by")?,
        expires_at: r.try_get("expires_at")?,
        created_at: r.try_get("created_at")?,
        emailed: r.try_get::<Option<i64>, _>("emailed_at")?.is_some(),
    })
}

pub(super) const STAFF_COLS: &str = "user_id, email, role, terminal_id, email_verified_at";

pub(super) fn staff_row(r: &DbRow) -> StoreResult<StaffRow> {
    Ok(StaffRow {
        user_id: r.try_get("user_id")?,
        email: r.try_get("email")?,
        role: role(&r.try_get::<String, _>("role")?)?,
        terminal_id: r.try_get("terminal_id")?,
        email_verified: r.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
    })
}
