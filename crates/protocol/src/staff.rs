//! Staff of a merchant: roles, invitations by one-time link.

use serde::{Deserialize, Serialize};

/// What a person may do.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// everything, including payout details and staff
    Owner,
    /// stores, terminals, reports, profile (not payout details)
    Manager,
    /// charges at their terminal and that terminal's payments today
    Cashier,
}

impl StaffRole {
    /// The stored and wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Manager => "manager",
            Self::Cashier => "cashier",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "manager" => Some(Self::Manager),
            "cashier" => Some(Self::Cashier),
            _ => None,
        }
    }
}

/// Who a session is: a member of staff in their role, a paired display, or another system
/// with an API key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionRole {
    /// the owner
    Owner,
    /// a manager
    Manager,
    /// a cashier
    Cashier,
    /// a paired customer display (kiosk)
    Device,
    /// an API key
    ApiKey,
    /// a kind this client does not know yet
    #[default]
    #[serde(other)]
    Unknown,
}

impl From<StaffRole> for SessionRole {
    fn from(r: StaffRole) -> Self {
        match r {
            StaffRole::Owner => Self::Owner,
            StaffRole::Manager => Self::Manager,
            StaffRole::Cashier => Self::Cashier,
        }
    }
}

impl SessionRole {
    /// Owners and managers: they see every counter, settings and integrations.
    pub fn manages(self) -> bool {
        matches!(self, Self::Owner | Self::Manager)
    }
}

/// `POST /api/v1/staff/invitations`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteStaff {
    /// their email
    pub email: String,
    /// manager or cashier
    pub role: StaffRole,
    /// a cashier's terminal
    #[serde(default)]
    pub terminal_id: Option<String>,
}

/// How an invitation reaches the invitee.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationDelivery {
    /// emailed to the address: opening it proves the address is theirs
    Email,
    /// this server sends no email: the inviter hands the link over, and the account stays
    /// unverified until its owner proves the address (a password reset by email)
    #[default]
    #[serde(other)]
    Link,
}

/// An invitation just made. Without email the link is shown once, to the inviter.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// the invitation's id (to list and revoke it)
    pub id: String,
    /// who
    pub email: String,
    /// as what
    pub role: StaffRole,
    /// emailed, or a link to hand over
    #[serde(default)]
    pub delivery: InvitationDelivery,
    /// one-time path to open, e.g. `/join/<token>` (only when the link is handed over)
    #[serde(default)]
    pub accept_path: Option<String>,
    /// the token inside it (only when the link is handed over)
    #[serde(default)]
    pub token: Option<String>,
    /// valid until, epoch ms
    pub expires_at_ms: i64,
}

/// An invitation not yet accepted, revoked or expired (`GET /api/v1/staff/invitations`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    /// id
    pub id: String,
    /// who
    pub email: String,
    /// as what
    pub role: StaffRole,
    /// a cashier's counter
    pub terminal_id: Option<String>,
    /// made at, epoch ms
    pub created_at_ms: i64,
    /// valid until, epoch ms
    pub expires_at_ms: i64,
}

/// `PATCH /api/v1/staff/{id}`: a new role (and a cashier's counter). Their open sessions and
/// event streams end, so every screen of theirs picks up the new role at once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateStaff {
    /// manager or cashier
    pub role: StaffRole,
    /// a cashier's counter (none: the counter-less till)
    #[serde(default)]
    pub terminal_id: Option<String>,
}

/// One signed-in session of the caller (`GET /api/v1/sessions`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// id (to end it)
    pub id: String,
    /// the session this request came with
    pub current: bool,
    /// the browser it signed in from, as it named itself (at most 120 characters)
    pub user_agent: Option<String>,
    /// signed in at, epoch ms
    pub created_at_ms: i64,
    /// last used at, epoch ms (to the nearest few minutes)
    pub last_seen_at_ms: i64,
    /// ends at the latest at, epoch ms (sooner when idle)
    pub expires_at_ms: i64,
}

/// `GET /api/v1/invitations/{token}`: what the link invites to, for the join page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    /// the shop that invites
    pub business_name: String,
    /// who is invited
    pub email: String,
    /// as what
    pub role: StaffRole,
    /// valid until, epoch ms
    pub expires_at_ms: i64,
}

/// `POST /api/v1/invitations/{token}/accept`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptInvitation {
    /// at least 10 characters
    pub password: String,
}

/// A member of staff.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    /// user id
    pub id: String,
    /// email
    pub email: String,
    /// role
    pub role: StaffRole,
    /// a cashier's terminal
    pub terminal_id: Option<String>,
    /// whether they proved the address is theirs (an emailed link)
    #[serde(default)]
    pub email_verified: bool,
}
