//! Payment alerts in Telegram: a shop links its group (or one forum topic of it) to tonle's bot
//! with a one-time code, and the bot posts there what the shop asks for, in the shop's language.

use serde::{Deserialize, Deserializer, Serialize};

/// The language a chat is posted to in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatLanguage {
    /// Khmer
    #[default]
    Km,
    /// Chinese (simplified)
    Zh,
    /// English
    En,
}

impl ChatLanguage {
    /// The stored and wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Km => "km",
            Self::Zh => "zh",
            Self::En => "en",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "km" => Some(Self::Km),
            "zh" => Some(Self::Zh),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

/// What a chat is told of.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatEvent {
    /// a charge (or a counter's printed code) was paid
    Paid,
    /// a charge was paid after its QR expired: it waits for the merchant's decision
    PaidLate,
    /// a payment settled no charge and waits in the review queue
    Review,
    /// the day's takings, at the chat's hour
    Summary,
    /// Bakong refuses the shop's token, or it expires within 14 days
    Bakong,
    /// tonle turned a webhook endpoint off after it failed for days
    WebhookOff,
}

impl ChatEvent {
    /// Every kind, in the order screens list them.
    pub const ALL: [Self; 6] = [
        Self::Paid,
        Self::PaidLate,
        Self::Review,
        Self::Summary,
        Self::Bakong,
        Self::WebhookOff,
    ];

    /// The stored and wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::PaidLate => "paid_late",
            Self::Review => "review",
            Self::Summary => "summary",
            Self::Bakong => "bakong",
            Self::WebhookOff => "webhook_off",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// Hours in the shop's time zone when messages arrive without sound: from `from` (inclusive) to
/// `to` (exclusive), whole hours 0–23; `from` > `to` spans midnight (22 → 7).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// first quiet hour, 0–23
    pub from: u8,
    /// first hour with sound again, 0–23
    pub to: u8,
}

impl QuietHours {
    /// Whether `hour` (0–23) is quiet.
    pub fn covers(self, hour: u8) -> bool {
        if self.from <= self.to {
            (self.from..self.to).contains(&hour)
        } else {
            hour >= self.from || hour < self.to
        }
    }
}

/// `POST /api/v1/telegram/links`: a one-time code that links the chat it is sent in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewChatLink {
    /// the chat's language
    pub language: ChatLanguage,
    /// only this store's counters
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    /// only this counter
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<String>,
    /// what to post (absent or empty: everything)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<ChatEvent>>,
}

/// A link code: open `url` on the phone that has Telegram and pick the group.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLink {
    /// the code, sent to the bot as `/start <code>`
    pub code: String,
    /// `https://t.me/<bot>?startgroup=<code>`
    pub url: String,
    /// valid until, epoch ms (10 minutes), once
    pub expires_at_ms: i64,
}

/// Whether a chat is posted to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatStatus {
    /// posted to
    Active,
    /// the bot was blocked or removed, or the chat deleted: nothing more is sent
    Removed,
    /// a status this client does not know yet
    #[serde(other)]
    Unknown,
}

/// A linked chat.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelegramChat {
    /// tonle's id of the link
    pub id: String,
    /// Telegram's chat id
    pub chat_id: i64,
    /// the forum topic, when linked in one
    #[serde(default)]
    pub thread_id: Option<i64>,
    /// the chat's title
    pub title: String,
    /// its language
    pub language: ChatLanguage,
    /// only this store
    #[serde(default)]
    pub store_id: Option<String>,
    /// only this counter
    #[serde(default)]
    pub terminal_id: Option<String>,
    /// what is posted (empty: everything)
    pub events: Vec<ChatEvent>,
    /// when messages come without sound
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
    /// the hour (0–23, shop time) the day's summary is posted
    pub summary_hour: u8,
    /// posted to, or removed
    pub status: ChatStatus,
    /// why it was removed, as Telegram said
    #[serde(default)]
    pub removed_reason: Option<String>,
    /// the last message delivered, epoch ms
    #[serde(default)]
    pub last_delivered_at_ms: Option<i64>,
    /// messages waiting to be sent
    pub waiting: u64,
}

/// `GET /api/v1/telegram/chats`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelegramChats {
    /// whether whoever runs tonle set up a bot
    #[serde(default)]
    pub configured: bool,
    /// the bot's username (without `@`); `None` when there is no bot, or Telegram has not
    /// answered `getMe` yet
    pub bot: Option<String>,
    /// the merchant's linked chats, oldest first
    pub items: Vec<TelegramChat>,
}

/// `PATCH /api/v1/telegram/chats/{id}`: what changes (absent fields stay).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChatPatch {
    /// its language
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<ChatLanguage>,
    /// what is posted (empty: everything)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<ChatEvent>>,
    /// quiet hours; `null` clears them
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<QuietHours>))]
    pub quiet_hours: Option<Option<QuietHours>>,
    /// the summary's hour, 0–23
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_hour: Option<u8>,
}

/// A field that is present (even as `null`) becomes `Some`.
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_span_midnight() {
        let q = QuietHours { from: 22, to: 7 };
        assert!(q.covers(23) && q.covers(0) && q.covers(6));
        assert!(!q.covers(7) && !q.covers(21));
        let day = QuietHours { from: 12, to: 14 };
        assert!(day.covers(12) && day.covers(13) && !day.covers(14));
    }

    #[test]
    fn a_patch_tells_null_from_absent() {
        let clear: ChatPatch = serde_json::from_str(r#"{"quiet_hours": null}"#).unwrap();
        assert_eq!(clear.quiet_hours, Some(None));
        let keep: ChatPatch = serde_json::from_str(r#"{"language": "zh"}"#).unwrap();
        assert_eq!(keep.quiet_hours, None);
        assert_eq!(keep.language, Some(ChatLanguage::Zh));
    }
}
