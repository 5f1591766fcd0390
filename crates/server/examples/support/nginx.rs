//! nginx in front of tonle, run with docs/deploy/nginx.conf (its upstream and listener moved):
//! the reverse-proxy test and the proxy latency bench share it.
#![allow(dead_code)] // reason: each includer uses part of it

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running nginx in front of one tonle; stopped when dropped.
pub struct Nginx {
    child: Child,
    /// the port it listens on (127.0.0.1)
    pub port: u16,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's nginx, when installed.
pub fn binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// docs/deploy/nginx.conf with its upstream pointed at `upstream` and its TLS listener replaced
/// by plain HTTP on `port` (no certificate here); every proxy directive is the document's own.
fn site_config(upstream: SocketAddr, port: u16) -> String {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/deploy/nginx.conf");
    let text = std::fs::read_to_string(&doc).expect("docs/deploy/nginx.conf");
    assert!(text.contains("server 127.0.0.1:8080;") && text.contains("listen 443 ssl"));
    text.lines()
        .filter(|l| !l.trim_start().starts_with("ssl_certificate"))
        .map(|l| {
            if l.trim_start().starts_with("listen 443") {
                format!("    listen 127.0.0.1:{port};")
            } else {
                l.replace("server 127.0.0.1:8080;", &format!("server {upstream};"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Nginx {
    /// Starts `bin` with docs/deploy/nginx.conf in `dir`, forwarding to `upstream`.
    pub async fn start(bin: &Path, dir: &Path, upstream: SocketAddr) -> Self {
        let port = free_port();
        std::fs::write(dir.join("tonle.conf"), site_config(upstream, port)).unwrap();
        let d = dir.display();
        let main = format!(
            "daemon off;\nmaster_process off;\nworker_rlimit_nofile 8192;\npid {d}/nginx.pid;\n\
         error_log {d}/error.log warn;\nevents {{ worker_connections 4096; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         include {d}/tonle.conf;\n}}\n"
        );
        std::fs::write(dir.join("nginx.conf"), main).unwrap();
        let child = Command::new(bin)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("nginx starts");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not listen: {}",
                std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Nginx { child, port }
    }
}
