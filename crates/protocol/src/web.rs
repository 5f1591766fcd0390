//! The web app's pages, once: every path the app answers is a [`Route`], and everything that
//! needs to know the pages is derived from this table. The server answers a page request with
//! the HTML of the route's [`Bundle`]; the app's router parses the address into a `Route`; each
//! bundle's binary draws its pages with an exhaustive match; the build (`xtask web`) builds
//! [`Bundle::ALL`]; links are made with [`Route::path`].
//!
//! The app is one single-page app for the merchant (every screen: sign-up, sign-in, charge,
//! dashboard, history, help, settings, integrations, printouts), so moving between screens never
//! loads a page; and the kiosk, the customer display, is a second entry of its own, so a
//! customer's tablet never carries the merchant's screens. The routes are grouped by area (the
//! counter, the office, setup, integrations, onboarding, printouts, the kiosk); an area is a
//! group of pages, not a download.
//!
//! Adding a page: a variant in its area's page enum below; the compiler then points at
//! [`Route::parse`]'s table, [`Route::path`], [`Route::needs_sign_in`] and the bundle binary's
//! match.

use std::fmt;
use std::fmt::Write as _;

/// One of the web app's entries: a page, its script and its wasm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bundle {
    /// [`MerchantPage`]: every screen a merchant and their staff use
    Merchant,
    /// [`KioskPage`]: the customer display
    Kiosk,
}

impl Bundle {
    /// Every bundle.
    pub const ALL: [Bundle; 2] = [Self::Merchant, Self::Kiosk];

    /// The bundle that serves `path` (a URL path, with or without a query): its route's, and
    /// the merchant app's for a path that is no page (it shows "not found").
    pub fn for_path(path: &str) -> Self {
        Route::parse(path).map_or(Self::Merchant, |r| r.bundle())
    }

    /// The bundle's name: its page is `{name}.html` in the built app, except the merchant
    /// app's, which is `index.html`, and its binary is `tonle-{name}`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Merchant => "merchant",
            Self::Kiosk => "kiosk",
        }
    }

    /// The bundle's page in the built app (`dist/`).
    pub fn html(self) -> String {
        match self {
            Self::Merchant => "index.html".to_owned(),
            other => format!("{}.html", other.name()),
        }
    }

    /// The bundle's binary in the app crate.
    pub fn binary(self) -> String {
        format!("tonle-{}", self.name())
    }
}

/// A page of the web app, by area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The counter's pages.
    Counter(CounterPage),
    /// The office's pages.
    Office(OfficePage),
    /// Settings.
    Setup(SetupPage),
    /// Webhooks and API keys.
    Integrations(IntegrationsPage),
    /// Becoming a merchant or a member of staff.
    Onboarding(OnboardingPage),
    /// Printouts.
    Print(PrintPage),
    /// The kiosk's page.
    Kiosk(KioskPage),
}

/// The counter's pages: the front door and the charge screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterPage {
    /// `/`: to the charge screen when signed in, otherwise to sign-up
    Home,
    /// `/login` (`?next=` a path to return to)
    Login,
    /// `/charge`
    Charge,
}

/// The office's pages: figures, history, help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfficePage {
    /// `/dashboard`
    Dashboard,
    /// `/history` (`?q=` a search)
    History,
    /// `/help`: how to take a payment and what each status means
    Help,
}

/// Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupPage {
    /// `/settings`
    Settings,
    /// `/items`: the shop's items, prices and categories (Settings → Items)
    Items,
}

/// A shop's other systems: webhooks and API keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrationsPage {
    /// `/integrations`: webhook endpoints with their delivery logs, and API keys
    Integrations,
}

/// Becoming a merchant or a member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnboardingPage {
    /// `/register`
    Register,
    /// `/join/{token}`: accepting a staff invitation
    Join(InvitationToken),
    /// `/welcome`: the profile step after sign-up
    Welcome,
    /// `/forgot`: asking for a password-reset link
    Forgot,
    /// `/reset/{token}`: choosing a new password from an emailed link
    Reset(ResetToken),
}

/// Printouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintPage {
    /// `/poster/{terminal}`: a counter's static QR
    Poster(TerminalId),
    /// `/receipt/{payment}`
    Receipt(PaymentId),
    /// `/shift`: the end-of-day summary
    Shift,
}

/// The kiosk: the customer display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KioskPage {
    /// `/kiosk` (`?code=` a pairing code)
    Kiosk,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The identifier as the API writes it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A counter (terminal) of a store, as in `TerminalView::id`.
    TerminalId
);
id_type!(
    /// A payment, as in `PaymentView::id`.
    PaymentId
);
id_type!(
    /// A staff invitation's secret token, as in its link.
    InvitationToken
);
id_type!(
    /// A password-reset link's secret token.
    ResetToken
);

/// Whether `b` may stand as it is in a path segment or query value: letters, digits and
/// `-._~` (RFC 3986 "unreserved"). Every identifier tonle makes is written with these alone.
const fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// `text` with every byte that is not unreserved written as `%XX`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if unreserved(b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

impl Route {
    /// `/`
    pub const HOME: Self = Self::Counter(CounterPage::Home);
    /// `/login`
    pub const LOGIN: Self = Self::Counter(CounterPage::Login);
    /// `/charge`
    pub const CHARGE: Self = Self::Counter(CounterPage::Charge);
    /// `/dashboard`
    pub const DASHBOARD: Self = Self::Office(OfficePage::Dashboard);
    /// `/history`
    pub const HISTORY: Self = Self::Office(OfficePage::History);
    /// `/help`
    pub const HELP: Self = Self::Office(OfficePage::Help);
    /// `/settings`
    pub const SETTINGS: Self = Self::Setup(SetupPage::Settings);
    /// `/items`
    pub const ITEMS: Self = Self::Setup(SetupPage::Items);
    /// `/integrations`
    pub const INTEGRATIONS: Self = Self::Integrations(IntegrationsPage::Integrations);
    /// `/register`
    pub const REGISTER: Self = Self::Onboarding(OnboardingPage::Register);
    /// `/welcome`
    pub const WELCOME: Self = Self::Onboarding(OnboardingPage::Welcome);
    /// `/forgot`
    pub const FORGOT: Self = Self::Onboarding(OnboardingPage::Forgot);
    /// `/shift`
    pub const SHIFT: Self = Self::Print(PrintPage::Shift);
    /// `/kiosk`
    pub const KIOSK: Self = Self::Kiosk(KioskPage::Kiosk);

    /// The page at `path` (a URL path; a query or fragment is ignored, a trailing `/` too), or
    /// `None` when it is no page of the app. A parameter is an identifier tonle made, so one
    /// with a character outside letters, digits and `-._~` is no page either.
    pub fn parse(path: &str) -> Option<Self> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let mut parts = path.trim_matches('/').split('/');
        let first = parts.next().unwrap_or_default();
        let param = parts.next().filter(|p| !p.is_empty()).map(str::to_owned);
        let odd = param.as_deref().is_some_and(|p| !p.bytes().all(unreserved));
        if parts.next().is_some() || odd {
            return None;
        }
        Some(match (first, param) {
            ("", None) => Self::HOME,
            ("login", None) => Self::LOGIN,
            ("charge", None) => Self::CHARGE,
            ("dashboard", None) => Self::DASHBOARD,
            ("history", None) => Self::HISTORY,
            ("help", None) => Self::HELP,
            ("settings", None) => Self::SETTINGS,
            ("items", None) => Self::ITEMS,
            ("integrations", None) => Self::INTEGRATIONS,
            ("register", None) => Self::REGISTER,
            ("join", Some(token)) => Self::Onboarding(OnboardingPage::Join(token.into())),
            ("welcome", None) => Self::WELCOME,
            ("forgot", None) => Self::FORGOT,
            ("reset", Some(token)) => Self::Onboarding(OnboardingPage::Reset(token.into())),
            ("poster", Some(terminal)) => Self::Print(PrintPage::Poster(terminal.into())),
            ("receipt", Some(payment)) => Self::Print(PrintPage::Receipt(payment.into())),
            ("shift", None) => Self::SHIFT,
            ("kiosk", None) => Self::KIOSK,
            _ => return None,
        })
    }

    /// The page's path, for links; `parse(path())` gives the page back.
    pub fn path(&self) -> String {
        let with = |first: &str, param: &str| format!("/{first}/{}", encode(param));
        match self {
            Self::Counter(CounterPage::Home) => "/".to_owned(),
            Self::Counter(CounterPage::Login) => "/login".to_owned(),
            Self::Counter(CounterPage::Charge) => "/charge".to_owned(),
            Self::Office(OfficePage::Dashboard) => "/dashboard".to_owned(),
            Self::Office(OfficePage::History) => "/history".to_owned(),
            Self::Office(OfficePage::Help) => "/help".to_owned(),
            Self::Setup(SetupPage::Settings) => "/settings".to_owned(),
            Self::Setup(SetupPage::Items) => "/items".to_owned(),
            Self::Integrations(IntegrationsPage::Integrations) => "/integrations".to_owned(),
            Self::Onboarding(OnboardingPage::Register) => "/register".to_owned(),
            Self::Onboarding(OnboardingPage::Join(token)) => with("join", token.as_str()),
            Self::Onboarding(OnboardingPage::Welcome) => "/welcome".to_owned(),
            Self::Onboarding(OnboardingPage::Forgot) => "/forgot".to_owned(),
            Self::Onboarding(OnboardingPage::Reset(token)) => with("reset", token.as_str()),
            Self::Print(PrintPage::Poster(terminal)) => with("poster", terminal.as_str()),
            Self::Print(PrintPage::Receipt(payment)) => with("receipt", payment.as_str()),
            Self::Print(PrintPage::Shift) => "/shift".to_owned(),
            Self::Kiosk(KioskPage::Kiosk) => "/kiosk".to_owned(),
        }
    }

    /// The page's path with one query parameter, its value encoded.
    pub fn path_with(&self, key: &str, value: &str) -> String {
        format!("{}?{key}={}", self.path(), encode(value))
    }

    /// The bundle that draws the page.
    pub const fn bundle(&self) -> Bundle {
        match self {
            Self::Kiosk(_) => Bundle::Kiosk,
            Self::Counter(_)
            | Self::Office(_)
            | Self::Setup(_)
            | Self::Integrations(_)
            | Self::Onboarding(_)
            | Self::Print(_) => Bundle::Merchant,
        }
    }

    /// Whether the page is shown only to a signed-in member of staff. The kiosk signs in with
    /// its own device token; the others are the way in.
    pub const fn needs_sign_in(&self) -> bool {
        // Every page is listed (no wildcard): a new page makes its author decide.
        match self {
            Self::Counter(CounterPage::Charge)
            | Self::Office(OfficePage::Dashboard | OfficePage::History | OfficePage::Help)
            | Self::Setup(SetupPage::Settings | SetupPage::Items)
            | Self::Integrations(IntegrationsPage::Integrations)
            | Self::Onboarding(OnboardingPage::Welcome)
            | Self::Print(PrintPage::Poster(_) | PrintPage::Receipt(_) | PrintPage::Shift) => true,
            Self::Counter(CounterPage::Home | CounterPage::Login)
            | Self::Onboarding(
                OnboardingPage::Register
                | OnboardingPage::Join(_)
                | OnboardingPage::Forgot
                | OnboardingPage::Reset(_),
            )
            | Self::Kiosk(KioskPage::Kiosk) => false,
        }
    }
}

/// The pages of one bundle: what its binary matches on.
pub trait BundlePage: Sized + Clone + PartialEq + Send + Sync + 'static {
    /// The bundle.
    const BUNDLE: Bundle;
    /// The page, when `route` is one of this bundle's.
    fn from_route(route: Route) -> Option<Self>;
}

/// A page of the merchant app: any route but the kiosk's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantPage(pub Route);

impl BundlePage for MerchantPage {
    const BUNDLE: Bundle = Bundle::Merchant;
    fn from_route(route: Route) -> Option<Self> {
        (route.bundle() == Bundle::Merchant).then_some(Self(route))
    }
}

impl BundlePage for KioskPage {
    const BUNDLE: Bundle = Bundle::Kiosk;
    fn from_route(route: Route) -> Option<Self> {
        match route {
            Route::Kiosk(page) => Some(page),
            _ => None,
        }
    }
}

macro_rules! area_page {
    ($page:ident, $variant:ident) => {
        impl From<$page> for Route {
            fn from(page: $page) -> Self {
                Self::$variant(page)
            }
        }
    };
}

area_page!(CounterPage, Counter);
area_page!(OfficePage, Office);
area_page!(SetupPage, Setup);
area_page!(IntegrationsPage, Integrations);
area_page!(OnboardingPage, Onboarding);
area_page!(PrintPage, Print);
area_page!(KioskPage, Kiosk);

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiled, never run: a page added to the table stops the tests' build here until it is
    /// listed in `every_route` (whose round trip then needs `Route::parse` to know it).
    #[allow(dead_code)]
    fn listed(route: &Route) {
        match route {
            Route::Counter(CounterPage::Home | CounterPage::Login | CounterPage::Charge)
            | Route::Office(OfficePage::Dashboard | OfficePage::History | OfficePage::Help)
            | Route::Setup(SetupPage::Settings | SetupPage::Items)
            | Route::Integrations(IntegrationsPage::Integrations)
            | Route::Onboarding(
                OnboardingPage::Register
                | OnboardingPage::Join(_)
                | OnboardingPage::Welcome
                | OnboardingPage::Forgot
                | OnboardingPage::Reset(_),
            )
            | Route::Print(PrintPage::Poster(_) | PrintPage::Receipt(_) | PrintPage::Shift)
            | Route::Kiosk(KioskPage::Kiosk) => {}
        }
    }

    /// One of each page (see `listed`).
    fn every_route() -> Vec<Route> {
        vec![
            Route::HOME,
            Route::LOGIN,
            Route::CHARGE,
            Route::DASHBOARD,
            Route::HISTORY,
            Route::HELP,
            Route::SETTINGS,
            Route::ITEMS,
            Route::INTEGRATIONS,
            Route::REGISTER,
            OnboardingPage::Join("tok_en-1.x~".into()).into(),
            Route::WELCOME,
            Route::FORGOT,
            OnboardingPage::Reset("r3s3t".into()).into(),
            PrintPage::Poster("t-1".into()).into(),
            PrintPage::Receipt("8f14e45f-ceea-467a-9575-2b5e0e2b4d1a".into()).into(),
            Route::SHIFT,
            Route::KIOSK,
        ]
    }

    #[test]
    fn every_path_parses_back_to_its_route() {
        for route in every_route() {
            let path = route.path();
            assert_eq!(Route::parse(&path), Some(route.clone()), "{path}");
            assert_eq!(Bundle::for_path(&path), route.bundle(), "{path}");
            assert_eq!(
                Route::parse(&format!("{path}/?a=b#c")),
                Some(route.clone()),
                "{path}"
            );
        }
    }

    #[test]
    fn paths_pick_their_bundle() {
        for (path, bundle) in [
            ("/", Bundle::Merchant),
            ("/charge", Bundle::Merchant),
            ("/join/abc", Bundle::Merchant),
            ("/register", Bundle::Merchant),
            ("/nowhere", Bundle::Merchant),
            ("/dashboard", Bundle::Merchant),
            ("/help", Bundle::Merchant),
            ("/history?q=TL-1", Bundle::Merchant),
            ("/settings", Bundle::Merchant),
            ("/integrations", Bundle::Merchant),
            ("/welcome", Bundle::Merchant),
            ("/receipt/p-1?print=1", Bundle::Merchant),
            ("/poster/t-1", Bundle::Merchant),
            ("/shift", Bundle::Merchant),
            ("/kiosk?code=12345678", Bundle::Kiosk),
            ("/kioskx", Bundle::Merchant),
        ] {
            assert_eq!(Bundle::for_path(path), bundle, "{path}");
        }
    }

    #[test]
    fn what_is_no_page_is_none() {
        for path in [
            "/nowhere",
            "/charge/extra",
            "/poster",
            "/poster/",
            "/shift/x/y",
            "/login/x",
            "/receipt/a/b",
            "/api/v1/charges",
            "/receipt/a%2Fb",
            "/join/tok en",
            "/poster/%3Cscript%3E",
        ] {
            assert_eq!(Route::parse(path), None, "{path}");
        }
        assert_eq!(Route::parse(""), Some(Route::HOME));
        assert_eq!(
            Route::parse("/join/tok/"),
            Some(OnboardingPage::Join("tok".into()).into())
        );
    }

    #[test]
    fn bundle_pages_take_only_their_own_routes() {
        for route in every_route() {
            let kiosk = route == Route::KIOSK;
            assert_eq!(
                MerchantPage::from_route(route.clone()).is_some(),
                !kiosk,
                "{route:?}"
            );
            assert_eq!(KioskPage::from_route(route.clone()).is_some(), kiosk);
        }
        assert_eq!(Bundle::Merchant.html(), "index.html");
        assert_eq!(Bundle::Kiosk.html(), "kiosk.html");
        assert_eq!(Bundle::Merchant.binary(), "tonle-merchant");
    }

    #[test]
    fn queries_are_encoded() {
        assert_eq!(
            Route::LOGIN.path_with("next", "/history?q=a bü"),
            "/login?next=%2Fhistory%3Fq%3Da%20b%C3%BC"
        );
        assert!(Route::HISTORY.needs_sign_in());
        assert!(!Route::KIOSK.needs_sign_in());
    }
}
