//! A mail server for tests: speaks just enough SMTP for one client, keeps every message.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Listens on a free loopback port; every message received is kept, as sent.
pub struct SmtpSink {
    /// `smtp://127.0.0.1:port`
    pub url: String,
    mails: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    /// Starts listening.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = mails.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ready\r\n").await;
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = data.as_mut() {
                            if line == "." {
                                let mail = data.take().unwrap_or_default();
                                kept.lock().unwrap_or_else(|p| p.into_inner()).push(mail);
                                let _ = write.write_all(b"250 kept\r\n").await;
                            } else {
                                body.push_str(line.strip_prefix('.').unwrap_or(&line));
                                body.push('\n');
                            }
                            continue;
                        }
                        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 sink\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 go on\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 OK\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        Self {
            url: format!("smtp://127.0.0.1:{port}"),
            mails,
        }
    }

    /// The first message to arrive within 10 s.
    pub async fn wait_mail(&self) -> Result<String, String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(m) = self
                .mails
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .first()
                .cloned()
            {
                return Ok(m);
            }
            if tokio::time::Instant::now() > deadline {
                return Err("no email arrived".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
