//! Outgoing email (password-reset and invitation links) over SMTP with lettre. Built once at start from
//! `--smtp-url`; a bad URL or sender stops the server at start, not at the first email.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use protocol::web::{OnboardingPage, Route};

use crate::config::MailSettings;

/// Sends tonle's emails.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    /// The mailer `settings` describe.
    pub fn new(settings: &MailSettings) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("--mail-from: {e}"))?;
        Ok(Self {
            transport,
            from,
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The link a reset email carries for `token`.
    pub fn reset_link(&self, token: &str) -> String {
        let page = Route::from(OnboardingPage::Reset(token.into()));
        format!("{}{}", self.public_url, page.path())
    }

    /// The link an invitation email carries for `token`.
    pub fn invitation_link(&self, token: &str) -> String {
        let page = Route::from(OnboardingPage::Join(token.into()));
        format!("{}{}", self.public_url, page.path())
    }

    /// Emails `to` the link that joins `shop`'s staff; opening it proves the address is theirs.
    pub async fn send_invitation(&self, to: &str, shop: &str, token: &str) -> anyhow::Result<()> {
        let link = self.invitation_link(token);
        // The shop's name is the merchant's own text: one line, no control characters.
        let shop = protocol::text::clean_one_line(shop, 100);
        let body = format!(
            "{shop} invites you to take payments with them on tonle. Open this link within 7 days to choose your password:\n{link}\n\
             If you do not know this shop, ignore this email: nothing happens.\n\n\
             {shop} អញ្ជើញអ្នកឱ្យទទួលការទូទាត់ជាមួយពួកគេនៅលើ tonle។ សូមបើកតំណនេះក្នុងរយៈពេល ៧ ថ្ងៃ ដើម្បីជ្រើសពាក្យសម្ងាត់របស់អ្នក៖\n{link}\n\n\
             {shop} 邀请您在 tonle 上与他们一起收款。请在 7 天内打开此链接设置密码：\n{link}\n"
        );
        self.send(to, "tonle: you are invited / ការអញ្ជើញ / 邀请", body)
            .await
    }

    /// Emails `to` the link that sets a new password, in the three languages of the app.
    pub async fn send_reset(&self, to: &str, token: &str) -> anyhow::Result<()> {
        let link = self.reset_link(token);
        let body = format!(
            "Someone asked to reset the password of your tonle account. Open this link within an hour to choose a new one:\n{link}\n\
             If it was not you, ignore this email: your password stays as it is.\n\n\
             មាននរណាម្នាក់បានស្នើកំណត់ពាក្យសម្ងាត់គណនី tonle របស់អ្នកឡើងវិញ។ សូមបើកតំណនេះក្នុងរយៈពេលមួយម៉ោង ដើម្បីជ្រើសពាក្យសម្ងាត់ថ្មី៖\n{link}\n\n\
             有人请求重置您的 tonle 账户密码。请在一小时内打开此链接设置新密码：\n{link}\n"
        );
        self.send(
            to,
            "tonle: reset your password / កំណត់ពាក្យសម្ងាត់ឡើងវិញ / 重置密码",
            body,
        )
        .await
    }

    async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            // Quoted-printable keeps the link's line readable as it is (base64 would hide it
            // from a reader without MIME, and from a test's eyes).
            .body(
                Body::new_with_encoding(body, ContentTransferEncoding::QuotedPrintable)
                    .map_err(|_| anyhow::anyhow!("the email body cannot be encoded"))?,
            )?;
        self.transport.send(message).await?;
        Ok(())
    }
}
