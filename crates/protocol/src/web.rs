//! Which bundle of the web app serves a path. The app ships as one wasm bundle per area so that
//! each screen downloads only its own code: the counter (sign-in and the charge screen), the
//! office (dashboard and history), onboarding (sign-up, staff joining, the profile step), setup
//! (settings), printouts
//! (poster, receipt, shift close) and the kiosk (the customer display). The server answers a page
//! request with its bundle's HTML; the app moves within a bundle without reloading and loads the
//! page when a link leaves it.

/// One of the web app's bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `/`, `/login`, `/charge` and anything unknown
    Counter,
    /// `/dashboard`, `/history`
    Office,
    /// `/settings`
    Setup,
    /// `/register`, `/join/{token}`, `/welcome`: becoming a merchant or a member of staff
    Onboarding,
    /// `/poster/{terminal}`, `/receipt/{payment}`, `/shift`
    Print,
    /// `/kiosk`
    Kiosk,
}

impl Bundle {
    /// Every bundle.
    pub const ALL: [Bundle; 6] = [
        Self::Counter,
        Self::Office,
        Self::Setup,
        Self::Onboarding,
        Self::Print,
        Self::Kiosk,
    ];

    /// The bundle that serves `path` (a URL path, with or without a query).
    pub fn for_path(path: &str) -> Self {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        match path.trim_start_matches('/').split('/').next() {
            Some("dashboard" | "history") => Self::Office,
            Some("settings") => Self::Setup,
            Some("register" | "join" | "welcome") => Self::Onboarding,
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
            Self::Onboarding => "onboarding",
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
            Self::Onboarding => "onboarding.html",
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
            ("/join/abc", Bundle::Onboarding),
            ("/register", Bundle::Onboarding),
            ("/nowhere", Bundle::Counter),
            ("/dashboard", Bundle::Office),
            ("/history?q=TL-1", Bundle::Office),
            ("/settings", Bundle::Setup),
            ("/welcome", Bundle::Onboarding),
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
