//! Which bundle of the web app serves a path. The app ships as one wasm bundle per area so that
//! each screen downloads only its own code: the counter (sign-up, sign-in, the charge screen,
//! staff joining), the office (dashboard and history), setup (settings and onboarding), printouts
//! (poster, receipt, shift close) and the kiosk (the customer display). The server answers a page
//! request with its bundle's HTML; the app moves within a bundle without reloading and loads the
//! page when a link leaves it.

/// One of the web app's bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `/`, `/register`, `/login`, `/charge`, `/join/{token}` and anything unknown
    Counter,
    /// `/dashboard`, `/history`
    Office,
    /// `/settings`, `/welcome`
    Setup,
    /// `/poster/{terminal}`, `/receipt/{payment}`, `/shift`
    Print,
    /// `/kiosk`
    Kiosk,
}

impl Bundle {
    /// Every bundle.
    pub const ALL: [Bundle; 5] = [
        Self::Counter,
        Self::Office,
        Self::Setup,
        Self::Print,
        Self::Kiosk,
    ];

    /// The bundle that serves `path` (a URL path, with or without a query).
    pub fn for_path(path: &str) -> Self {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        match path.trim_start_matches('/').split('/').next() {
            Some("dashboard" | "history") => Self::Office,
            Some("settings" | "welcome") => Self::Setup,
            Some("poster" | "receipt" | "shift") => Self::Print,
            Some("kiosk") => Self::Kiosk,
            _ => Self::Counter,
        }
    }

    /// The bundle's name: its page is `{name}.html` in the built app, except the counter's,
    /// which is `index.html`, and its binary is `tonle-{name}`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Office => "office",
            Self::Setup => "setup",
            Self::Print => "print",
            Self::Kiosk => "kiosk",
        }
    }

    /// The bundle's page in the built app (`dist/`).
    pub const fn html(self) -> &'static str {
        match self {
            Self::Counter => "index.html",
            Self::Office => "office.html",
            Self::Setup => "setup.html",
            Self::Print => "print.html",
            Self::Kiosk => "kiosk.html",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn paths_pick_their_bundle() {
        for (path, bundle) in [
            ("/", Bundle::Counter),
            ("/charge", Bundle::Counter),
            ("/join/abc", Bundle::Counter),
            ("/nowhere", Bundle::Counter),
            ("/dashboard", Bundle::Office),
            ("/history?q=TL-1", Bundle::Office),
            ("/settings", Bundle::Setup),
            ("/welcome", Bundle::Setup),
            ("/receipt/p-1?print=1", Bundle::Print),
            ("/poster/t-1", Bundle::Print),
            ("/shift", Bundle::Print),
            ("/kiosk?code=12345678", Bundle::Kiosk),
            ("/kioskx", Bundle::Counter),
        ] {
            assert_eq!(Bundle::for_path(path), bundle, "{path}");
        }
    }
}
