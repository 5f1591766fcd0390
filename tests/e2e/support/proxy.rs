//! A TCP proxy between the browsers and the server that breaks the network the ways a shop's
//! Wi-Fi and mobile data do: passes, delays every chunk, cuts silently (connections stay open and
//! nothing more crosses, no FIN, no RST: the browser is never told), or drops (RST).

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the network does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// everything crosses
    Pass,
    /// everything crosses this much later, each way
    Delay(Duration),
    /// nothing crosses on connections open now or opened until the next state; they stay open
    Silent,
}

#[derive(Debug, Clone, Copy)]
struct State {
    fault: Fault,
    /// connections opened before this epoch are dead (cut) or reset (dropped)
    epoch: u64,
    reset: bool,
}

/// The proxy; stops when dropped.
pub struct Proxy {
    /// base URL browsers use, e.g. http://127.0.0.1:43125
    pub url: String,
    state: watch::Sender<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Listens on a free port and forwards to `upstream` (host:port).
    pub async fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("proxy addr"));
        let (state, rx) = watch::channel(State {
            fault: Fault::Pass,
            epoch: 0,
            reset: false,
        });
        let upstream: Arc<str> = upstream.into();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let _ = client.set_nodelay(true);
                tokio::spawn(connection(client, upstream.clone(), rx.clone()));
            }
        });
        Self { url, state, task }
    }

    /// From now on the network does `fault`. A silent cut kills every open connection silently.
    pub fn set(&self, fault: Fault) {
        self.state.send_modify(|s| {
            if fault == Fault::Silent {
                s.epoch += 1;
            }
            s.fault = fault;
            s.reset = false;
        });
    }

    /// Resets every open connection (RST), then passes again.
    pub fn drop_all(&self) {
        self.state.send_modify(|s| {
            s.epoch += 1;
            s.fault = Fault::Pass;
            s.reset = true;
        });
    }
}

async fn connection(client: TcpStream, upstream: Arc<str>, mut rx: watch::Receiver<State>) {
    let born = *rx.borrow_and_update();
    // Opened during a silent cut: it never gets through.
    let dead_from_birth = born.fault == Fault::Silent;
    let Ok(server) = TcpStream::connect(&*upstream).await else {
        return;
    };
    let _ = server.set_nodelay(true);
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let (mut up, mut down) = (vec![0u8; 16 * 1024], vec![0u8; 16 * 1024]);
    let mut dead = dead_from_birth;
    loop {
        tokio::select! {
            changed = rx.changed() => {
                if changed.is_err() { return; }
                let s = *rx.borrow_and_update();
                if s.epoch != born.epoch && !dead_from_birth {
                    if s.reset {
                        // RST instead of FIN.
                        if let Ok(c) = cr.reunite(cw) { let _ = c.set_zero_linger(); }
                        return;
                    }
                    dead = true;
                }
            }
            n = cr.read(&mut up) => {
                let Ok(n @ 1..) = n else { return };
                if !dead && forward(&rx, &mut sw, &up[..n]).await.is_err() { return; }
            }
            n = sr.read(&mut down) => {
                let Ok(n @ 1..) = n else {
                    // The server closed: pass that on only while the network works.
                    if dead { std::future::pending::<()>().await; }
                    return;
                };
                if !dead && forward(&rx, &mut cw, &down[..n]).await.is_err() { return; }
            }
        }
    }
}

async fn forward(
    rx: &watch::Receiver<State>,
    to: &mut tokio::net::tcp::OwnedWriteHalf,
    bytes: &[u8],
) -> std::io::Result<()> {
    let fault = rx.borrow().fault;
    if let Fault::Delay(d) = fault {
        tokio::time::sleep(d).await;
    }
    to.write_all(bytes).await
}
