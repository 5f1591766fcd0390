//! The merchant app: every screen a merchant and their staff use, in one single-page app (moving
//! between screens never loads a page, and keeps the session and the one websocket).
use leptos::prelude::*;
use protocol::web::{
    CounterPage, IntegrationsPage, MerchantPage, OfficePage, OnboardingPage, PrintPage, Route,
    SetupPage,
};
use tonle_app::app::{Home, NotFound};
use tonle_app::pages::password::{ForgotPage, ResetPage};
use tonle_app::pages::{
    charge::ChargePage, dashboard::DashboardPage, help::HelpPage, history::HistoryPage,
    integrations::IntegrationsPage as Integrations, join::JoinPage, login::LoginPage,
    poster::PosterPage, receipt::ReceiptPage, register::RegisterPage, settings::SettingsPage,
    shift::ShiftPage, welcome::WelcomePage,
};

fn main() {
    tonle_app::app::mount(|MerchantPage(route)| match route {
        Route::Counter(CounterPage::Home) => view! { <Home/> }.into_any(),
        Route::Counter(CounterPage::Login) => view! { <LoginPage/> }.into_any(),
        Route::Counter(CounterPage::Charge) => view! { <ChargePage/> }.into_any(),
        Route::Office(OfficePage::Dashboard) => view! { <DashboardPage/> }.into_any(),
        Route::Office(OfficePage::History) => view! { <HistoryPage/> }.into_any(),
        Route::Office(OfficePage::Help) => view! { <HelpPage/> }.into_any(),
        Route::Setup(SetupPage::Settings) => view! { <SettingsPage/> }.into_any(),
        Route::Integrations(IntegrationsPage::Integrations) => view! { <Integrations/> }.into_any(),
        Route::Onboarding(OnboardingPage::Register) => view! { <RegisterPage/> }.into_any(),
        Route::Onboarding(OnboardingPage::Join(token)) => view! { <JoinPage token/> }.into_any(),
        Route::Onboarding(OnboardingPage::Welcome) => view! { <WelcomePage/> }.into_any(),
        Route::Onboarding(OnboardingPage::Forgot) => view! { <ForgotPage/> }.into_any(),
        Route::Onboarding(OnboardingPage::Reset(token)) => view! { <ResetPage token/> }.into_any(),
        Route::Print(PrintPage::Poster(terminal)) => view! { <PosterPage terminal/> }.into_any(),
        Route::Print(PrintPage::Receipt(id)) => view! { <ReceiptPage id/> }.into_any(),
        Route::Print(PrintPage::Shift) => view! { <ShiftPage/> }.into_any(),
        // The kiosk is its own entry (`kiosk.html`): never a page of this one.
        Route::Kiosk(_) => view! { <NotFound/> }.into_any(),
    });
}
