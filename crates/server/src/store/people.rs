//! The people of a merchant after they join: their sessions (listed, ended one by one or all at
//! once, ended when idle), their role, their removal, and the invitations still open. Every way
//! a session ends tells the bus (and, on PostgreSQL, every instance) so its websockets close.

use super::*;

/// A session unused this long ends (an open event stream counts as use).
pub const SESSION_IDLE_MS: i64 = 7 * 86_400_000;
/// How often a session's last use is written: at most every five minutes, so reads stay reads.
pub const SESSION_TOUCH_MS: i64 = 5 * 60_000;
/// How long spent pairing codes and reset links are kept after they end (then forgotten).
pub const SPENT_KEEP_MS: i64 = 86_400_000;
/// How long used, revoked and expired invitations are kept after they end.
pub const INVITATIONS_KEEP_MS: i64 = 30 * 86_400_000;

/// A session as its owner sees it listed.
#[derive(Debug, Clone)]
pub struct SessionListRow {
    /// id
    pub session_id: String,
    /// the browser's own name for itself, cleaned and cut
    pub user_agent: Option<String>,
    /// signed in at
    pub created_at: i64,
    /// last used at (written at most every `SESSION_TOUCH_MS`)
    pub last_seen_at: i64,
    /// ends at the latest at
    pub expires_at: i64,
}

/// A session about to begin.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// SHA-256 of its token
    pub token_hash: &'a str,
    /// its id, shown in lists
    pub session_id: &'a str,
    /// whose
    pub user: &'a UserRow,
    /// the browser's name for itself
    pub user_agent: Option<&'a str>,
    /// ends at the latest at
    pub expires_at: i64,
}

/// Sessions, roles, removal and open invitations.
#[async_trait::async_trait]
pub trait PeopleStore: Send + Sync {
    /// Notes that a session was used now (a no-op when it was within `SESSION_TOUCH_MS`).
    async fn touch_session(&self, token_hash: &str, now: i64) -> StoreResult<()>;
    /// A user's live sessions, newest first.
    async fn sessions_of(&self, user_id: &str, now: i64) -> StoreResult<Vec<SessionListRow>>;
    /// Ends one of a user's sessions; NotFound when they have none so named.
    async fn end_session(&self, user_id: &str, session_id: &str) -> StoreResult<()>;
    /// Ends every session of a user ("sign out everywhere").
    async fn end_sessions_of(&self, user_id: &str) -> StoreResult<()>;
    /// A merchant's invitations not used, revoked or expired, newest first.
    async fn open_invitations(
        &self,
        merchant_id: &str,
        now: i64,
    ) -> StoreResult<Vec<InvitationRow>>;
    /// Revokes an open invitation; NotFound when the merchant has none open so named.
    async fn revoke_invitation(
        &self,
        merchant_id: &str,
        invitation_id: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// A member of staff (not removed).
    async fn staff_member(&self, merchant_id: &str, user_id: &str) -> StoreResult<StaffRow>;
    /// Gives a member of staff a new role and counter; their event streams close so every screen
    /// of theirs reconnects in it (their sessions read the role on every request). NotFound when
    /// the merchant has no such member (or it is the owner).
    async fn update_staff(
        &self,
        merchant_id: &str,
        user_id: &str,
        role: api::StaffRole,
        terminal_id: Option<&str>,
        now: i64,
    ) -> StoreResult<()>;
    /// Removes a member of staff: their sessions end, the invitations they made are revoked, and
    /// their email is free again (kept aside on the row for the record). NotFound when the
    /// merchant has no such member.
    async fn remove_staff(&self, merchant_id: &str, user_id: &str, now: i64) -> StoreResult<()>;
    /// Forgets what can no longer be used: ended sessions (expired or idle) at once, pairing
    /// codes and reset links `SPENT_KEEP_MS` after they end, invitations `INVITATIONS_KEEP_MS`
    /// after. Returns how many rows went.
    async fn prune_spent(&self, now: i64) -> StoreResult<u64>;
}
