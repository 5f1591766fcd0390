//! chromedriver on a free port and a headless Chromium session, with find/act/check helpers that
//! select only by `data-testid` and wait instead of sleeping.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// How long a step may wait for the page.
pub const STEP: Duration = Duration::from_secs(10);

/// chromedriver plus one browser session; both end on drop.
pub struct Browser {
    driver: Child,
    /// the WebDriver client
    pub client: Client,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium.
    pub async fn start() -> Self {
        let port = free_port();
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_bin}: {e} (apt-get install chromium-driver)")
            });
        let profile = tempfile::tempdir().expect("profile dir");
        let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,900".into(),
            "--autoplay-policy=no-user-gesture-required".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chrome, "args": args }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_err = String::new();
        // chromedriver needs a moment to listen: retry the session a bounded number of times.
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Self {
                        driver,
                        client,
                        _profile: profile,
                    };
                }
                Err(e) => {
                    last_err = e.to_string();
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("no WebDriver session from {driver_bin}: {last_err}");
    }

    fn css(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// Waits for an element by test id. A page that is navigating away (a sign-out, a link into
    /// another bundle) answers "aborted by navigation" meanwhile: that is waited out too.
    pub async fn find(&self, testid: &str) -> Result<fantoccini::elements::Element, String> {
        let sel = Self::css(testid);
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self
                .client
                .wait()
                .at_most(left)
                .for_element(Locator::Css(&sel))
                .await
            {
                Ok(el) => return Ok(el),
                Err(e)
                    if e.to_string().contains("aborted by navigation")
                        && tokio::time::Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(format!("waiting for {testid}: {e}")),
            }
        }
    }

    /// Types into an input (clearing it first).
    pub async fn fill(&self, testid: &str, text: &str) -> Result<(), String> {
        let el = self.find(testid).await?;
        el.clear()
            .await
            .map_err(|e| format!("clear {testid}: {e}"))?;
        el.send_keys(text)
            .await
            .map_err(|e| format!("type into {testid}: {e}"))
    }

    /// Clicks an element; if the page redrew it between finding and clicking, finds it again.
    pub async fn click(&self, testid: &str) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            match self.find(testid).await?.click().await {
                Ok(()) => return Ok(()),
                Err(e)
                    if e.to_string().contains("stale element")
                        && tokio::time::Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(format!("click {testid}: {e}")),
            }
        }
    }

    /// Presses and holds an element for `hold`, then lets go (a long press).
    pub async fn long_press(&self, testid: &str, hold: Duration) -> Result<(), String> {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let element = self.find(testid).await?;
        let press = MouseActions::new("finger".to_owned())
            .then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Pause { duration: hold })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client
            .perform_actions(press)
            .await
            .map_err(|e| format!("long press on {testid}: {e}"))
    }

    /// Reads an attribute.
    pub async fn attr(&self, testid: &str, name: &str) -> Result<String, String> {
        let el = self.find(testid).await?;
        el.attr(name)
            .await
            .map_err(|e| format!("attr {name} of {testid}: {e}"))?
            .ok_or_else(|| format!("{testid} has no {name}"))
    }

    /// Waits until an element's attribute equals `want`.
    pub async fn wait_attr(&self, testid: &str, name: &str, want: &str) -> Result<(), String> {
        self.wait_attr_within(testid, name, want, STEP).await
    }

    /// Like [`Self::wait_attr`], waiting up to `within` (for what takes its real time, e.g. a QR
    /// expiring).
    pub async fn wait_attr_within(
        &self,
        testid: &str,
        name: &str,
        want: &str,
        within: Duration,
    ) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Ok(v) = self.attr(testid, name).await
                && v == want
            {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{testid} never had {name}={want:?}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The visible text of an element.
    pub async fn text(&self, testid: &str) -> Result<String, String> {
        self.find(testid)
            .await?
            .text()
            .await
            .map_err(|e| format!("text of {testid}: {e}"))
    }

    /// Waits until an element's text contains `want`.
    pub async fn wait_text(&self, testid: &str, want: &str) -> Result<String, String> {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let got = self.text(testid).await.unwrap_or_default();
            if got.contains(want) {
                return Ok(got);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{testid} never showed {want:?} (last: {got:?})"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks a button that asks first (cancel, refund, revoke): the first click must only ask,
    /// the second does it.
    pub async fn confirm(&self, testid: &str) -> Result<(), String> {
        self.click(testid).await?;
        self.wait_attr(testid, "data-confirming", "true").await?;
        self.click(testid).await
    }

    /// Waits until an element's visible text is exactly `want` (e.g. an error that went away).
    pub async fn wait_text_is(&self, testid: &str, want: &str) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let got = self.text(testid).await.unwrap_or_default();
            if got.trim() == want {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{testid} kept {got:?}, not {want:?}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until an element shows some text; returns it.
    pub async fn wait_text_not_empty(&self, testid: &str) -> Result<String, String> {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let got = self.text(testid).await.unwrap_or_default();
            if !got.trim().is_empty() {
                return Ok(got);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{testid} stayed empty"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many elements carry a test id now.
    pub async fn count(&self, testid: &str) -> Result<usize, String> {
        self.client
            .find_all(Locator::Css(&Self::css(testid)))
            .await
            .map(|v| v.len())
            .map_err(|e| format!("count {testid}: {e}"))
    }

    /// Waits until exactly `n` elements carry a test id.
    pub async fn wait_count(&self, testid: &str, n: usize) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let got = self.count(testid).await?;
            if got == n {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("expected {n} × {testid}, found {got}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A DOM property (such as an input's current `value`).
    pub async fn prop(&self, testid: &str, name: &str) -> Result<String, String> {
        self.find(testid)
            .await?
            .prop(name)
            .await
            .map_err(|e| format!("prop {name} of {testid}: {e}"))?
            .ok_or_else(|| format!("{testid} has no {name}"))
    }

    /// Opens a path of the app.
    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("open {url}: {e}"))
    }

    /// Runs axe-core in the page; fails on any serious or critical violation, naming each.
    pub async fn axe(&self, screen: &str) -> Result<(), String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/e2e/axe/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{}: {e} (npm ci --prefix tests/e2e/axe; the test command does it)",
                path.display()
            )
        })?;
        self.client
            .execute(&source, vec![])
            .await
            .map_err(|e| format!("inject axe: {e}"))?;
        let found = self
            .client
            .execute_async(
                "const done = arguments[0];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(
                   r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))
                 ), e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .map_err(|e| format!("run axe: {e}"))?;
        let list: Vec<String> = serde_json::from_value(found).unwrap_or_default();
        if list.is_empty() {
            Ok(())
        } else {
            Err(format!("accessibility of {screen}: {}", list.join("; ")))
        }
    }

    /// Saves a PNG screenshot under `TONLE_SCREENSHOTS` (default tests/screenshots).
    pub async fn screenshot(&self, name: &str) {
        let dir = std::env::var("TONLE_SCREENSHOTS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| {
                std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/screenshots")
            });
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let path = dir.join(format!("{name}.png"));
            let _ = std::fs::write(&path, png);
            eprintln!("screenshot: {}", path.display());
        }
    }

    /// Scrolls `testid` to the top of the window, then saves a screenshot (as [`Self::screenshot`]).
    pub async fn screenshot_at(&self, testid: &str, name: &str) {
        if let Ok(el) = self.find(testid).await {
            let arg = serde_json::to_value(&el).unwrap_or_default();
            let _ = self
                .client
                .execute("arguments[0].scrollIntoView({block: 'start'});", vec![arg])
                .await;
        }
        self.screenshot(name).await;
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
