//! `tonle serve`'s Telegram flags: the deployment's bot.

use clap::Args;

use crate::config::TelegramSettings;

/// The bot that posts payment alerts to shops' Telegram groups (made with @BotFather).
#[derive(Args)]
pub struct TelegramArgs {
    /// The bot's token from @BotFather. Without it, shops cannot link Telegram groups.
    #[arg(long, env = "TONLE_TELEGRAM_BOT_TOKEN", hide_env_values = true)]
    pub telegram_bot_token: Option<String>,
    /// The Bot API tonle calls (`{url}/bot{token}/{method}`): Telegram's, or a stand-in
    /// (`tonle simulate telegram`).
    #[arg(long, env = "TONLE_TELEGRAM_API_URL", default_value = TelegramSettings::API_URL)]
    pub telegram_api_url: String,
}

impl TelegramArgs {
    /// The bot's settings, when a token was given.
    pub fn settings(self) -> Option<TelegramSettings> {
        let token = self.telegram_bot_token.filter(|t| !t.trim().is_empty())?;
        Some(TelegramSettings {
            api_url: self.telegram_api_url,
            token: token.trim().to_owned(),
        })
    }
}
