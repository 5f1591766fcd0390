//! The onboarding bundle: sign-up with the counter QR previewed live, joining a team by
//! invitation, the profile step after sign-up, and a forgotten password.
use leptos::prelude::*;
use protocol::web::OnboardingPage;
use tonle_app::pages::password::{ForgotPage, ResetPage};
use tonle_app::pages::{join::JoinPage, register::RegisterPage, welcome::WelcomePage};

fn main() {
    tonle_app::app::mount(|page| match page {
        OnboardingPage::Register => view! { <RegisterPage/> }.into_any(),
        OnboardingPage::Join(token) => view! { <JoinPage token/> }.into_any(),
        OnboardingPage::Welcome => view! { <WelcomePage/> }.into_any(),
        OnboardingPage::Forgot => view! { <ForgotPage/> }.into_any(),
        OnboardingPage::Reset(token) => view! { <ResetPage token/> }.into_any(),
    });
}
