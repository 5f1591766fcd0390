//! Payment alerts in Telegram. This part holds what talks to Telegram and what is said: the Bot
//! API client (`api`: `getMe`, `getUpdates`, `sendMessage`, every error typed as the sender acts
//! on it), the messages in Khmer, Chinese and English (`text`), and a stand-in Bot API
//! (`standin`, `tonle simulate telegram`) that answers as Telegram does, 429s, migrated groups and
//! blocked bots included.

pub mod api;
pub mod pace;
pub mod standin;
pub mod text;

#[cfg(test)]
mod tests;
