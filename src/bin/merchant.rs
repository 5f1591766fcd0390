//! The merchant app: every screen a merchant and their staff use, in one single-page app (moving
//! between screens never loads a page, and keeps the session and the one websocket). Every screen
//! but the charge screen is a `#[wasm_split]` function: the build puts its code in its group's
//! chunk, fetched the first time one of the group's screens is drawn (see `tonle_app::chunks`).
use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use protocol::web::{
    CounterPage, IntegrationsPage, InvitationToken, MerchantPage, OfficePage, OnboardingPage,
    PaymentId, PrintPage, ResetToken, Route, SetupPage, TerminalId,
};
use tonle_app::app::{Home, NotFound};
use tonle_app::chunks::{ahead, prefetch, screen};
use tonle_app::components::cart::{CartBar, CartPanel, CustomLine};
use tonle_app::components::charge_form::{
    BarArgs, CartViews, CustomArgs, GridArgs, PanelArgs, set_cart_views,
};
use tonle_app::components::item_grid::ItemGrid;
use tonle_app::pages::password::{ForgotPage, ResetPage};
use tonle_app::pages::{
    charge::ChargePage, dashboard::DashboardPage, help::HelpPage, history::HistoryPage,
    integrations::IntegrationsPage as Integrations, items::ItemsPage, join::JoinPage,
    login::LoginPage, poster::PosterPage, receipt::ReceiptPage, register::RegisterPage,
    settings::SettingsPage, shift::ShiftPage, welcome::WelcomePage,
};

type Drawn = Result<AnyView, SplitLoaderError>;

/// Declares `$name`, a split function drawing `$page`, in the chunk `$chunk` (screens used
/// together share one: fewer, larger chunks cost less than one per screen, which would leave a
/// chunk for every set of screens that shares some code).
macro_rules! screen_in {
    ($chunk:ident, $name:ident, $preload:ident, $page:expr) => {
        #[wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name() -> Drawn {
            Ok($page.into_any())
        }
    };
    ($chunk:ident, $name:ident, $preload:ident, $arg:ident: $ty:ty, $page:expr) => {
        #[wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name($arg: $ty) -> Drawn {
            Ok($page.into_any())
        }
    };
}

// The office: the day's figures, the history, and what is printed from them.
screen_in!(
    office,
    dashboard,
    preload_dashboard,
    view! { <DashboardPage/> }
);
screen_in!(office, history, preload_history, view! { <HistoryPage/> });
screen_in!(office, help, preload_help, view! { <HelpPage/> });
screen_in!(office, shift, preload_shift, view! { <ShiftPage/> });
screen_in!(office, poster, preload_poster, terminal: TerminalId, view! { <PosterPage terminal/> });
screen_in!(office, receipt, preload_receipt, id: PaymentId, view! { <ReceiptPage id/> });
// Setting up: the shop, its staff and counters, and the integrations.
screen_in!(setup, settings, preload_settings, view! { <SettingsPage/> });
screen_in!(
    setup,
    integrations,
    preload_integrations,
    view! { <Integrations/> }
);
screen_in!(setup, items, preload_items, view! { <ItemsPage/> });
// Before signing in: once per device, or once ever.
screen_in!(onboarding, login, preload_login, view! { <LoginPage/> });
screen_in!(
    onboarding,
    register,
    preload_register,
    view! { <RegisterPage/> }
);
screen_in!(
    onboarding,
    welcome,
    preload_welcome,
    view! { <WelcomePage/> }
);
screen_in!(onboarding, forgot, preload_forgot, view! { <ForgotPage/> });
screen_in!(onboarding, join, preload_join, token: InvitationToken, view! { <JoinPage token/> });
screen_in!(onboarding, reset, preload_reset, token: ResetToken, view! { <ResetPage token/> });

// The charge screen's cart (a shop with items): fetched after the keypad is drawn, so a
// keypad-only counter never waits for it.
#[wasm_split(cart, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_cart))]
fn cart_grid(a: GridArgs) -> Drawn {
    Ok(
        view! { <ItemGrid items=a.items currency=a.currency usd_khr=a.usd_khr on_add=a.on_add/> }
            .into_any(),
    )
}
#[wasm_split(cart, wasm_split_path = ::leptos::wasm_split, fallible)]
fn cart_panel(a: PanelArgs) -> Drawn {
    Ok(
        view! { <CartPanel cart=a.cart priced=a.priced total=a.total line_error=a.line_error/> }
            .into_any(),
    )
}
#[wasm_split(cart, wasm_split_path = ::leptos::wasm_split, fallible)]
fn cart_custom(a: CustomArgs) -> Drawn {
    Ok(view! { <CustomLine cart=a.cart amount=a.amount currency=a.currency description=a.description/> }.into_any())
}
#[wasm_split(cart, wasm_split_path = ::leptos::wasm_split, fallible)]
fn cart_bar(a: BarArgs) -> Drawn {
    Ok(view! { <CartBar cart=a.cart total=a.total open=a.open/> }.into_any())
}

fn main() {
    set_cart_views(CartViews {
        grid: |a| screen(move || cart_grid(a)),
        panel: |a| screen(move || cart_panel(a)),
        custom: |a| screen(move || cart_custom(a)),
        bar: |a| screen(move || cart_bar(a)),
    });
    tonle_app::app::mount(|MerchantPage(route)| match route {
        Route::Counter(CounterPage::Home) => view! { <Home/> }.into_any(),
        Route::Counter(CounterPage::Login) => screen(login),
        // The counter is what a cashier opens all day: in the main module, drawn at once.
        Route::Counter(CounterPage::Charge) => view! { <ChargePage/> }.into_any(),
        Route::Office(OfficePage::Dashboard) => screen(dashboard),
        Route::Office(OfficePage::History) => screen(history),
        Route::Office(OfficePage::Help) => screen(help),
        Route::Setup(SetupPage::Settings) => screen(settings),
        Route::Setup(SetupPage::Items) => screen(items),
        Route::Integrations(IntegrationsPage::Integrations) => screen(integrations),
        Route::Onboarding(OnboardingPage::Register) => screen(register),
        Route::Onboarding(OnboardingPage::Join(token)) => screen(move || join(token.clone())),
        Route::Onboarding(OnboardingPage::Welcome) => screen(welcome),
        Route::Onboarding(OnboardingPage::Forgot) => screen(forgot),
        Route::Onboarding(OnboardingPage::Reset(token)) => screen(move || reset(token.clone())),
        Route::Print(PrintPage::Poster(t)) => screen(move || poster(t.clone())),
        Route::Print(PrintPage::Receipt(id)) => screen(move || receipt(id.clone())),
        Route::Print(PrintPage::Shift) => screen(shift),
        // The kiosk is its own entry (`kiosk.html`): never a page of this one.
        Route::Kiosk(_) => view! { <NotFound/> }.into_any(),
    });
    // The top bar's screens are one tap from every signed-in screen, and sign-in is where a
    // session that ends leads: their chunks are fetched once the page has settled.
    prefetch(|| {
        ahead(preload_login());
        ahead(preload_dashboard());
        ahead(preload_history());
        ahead(preload_settings());
        ahead(preload_cart());
    });
}
