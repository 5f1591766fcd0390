//! `/settings`: the business profile (checked by the codec as it is typed, with a live preview of
//! the counter QR), stores and counters with their posters, and staff invitations.

use khqr::Currency;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::app::use_session;
use crate::components::confirm_button::ConfirmButton;
use crate::components::field::Field;
use crate::components::qr_code::QrImage;
use crate::components::top_bar::{LangSwitch, TopBar};
use crate::format;
use crate::i18n::{Key, pick, t, tr, use_i18n};
use crate::load::Load;
use crate::profile::{codec_field, static_qr};

mod bakong;

// Text only Settings shows, kept here so other bundles do not download it: [en, km, zh].
const POSTER_NO_CHECK: [&str; 3] = [
    "Bakong cannot check payments to a poster's static QR: they arrive from bank notifications only.",
    "Bakong មិនអាចពិនិត្យការបង់ប្រាក់តាម QR ស្តាទិចលើផ្ទាំងបានទេ៖ វាមកតែពីការជូនដំណឹងរបស់ធនាគារ។",
    "Bakong 无法核对海报静态二维码的付款：仅通过银行通知接收。",
];
const ADD_STORE_FIRST: [&str; 3] = [
    "Add a store first (below), then its counters",
    "សូមបន្ថែមហាងជាមុនសិន (ខាងក្រោម) រួចបន្ថែមតុគិតលុយ",
    "请先在下方添加门店，再添加收银台",
];

/// The settings screen.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let (email, role) = session
        .with_untracked(|s| s.as_ref().map(|s| (s.email.clone(), s.role.clone())))
        .unwrap_or_default();
    // Payout details, counters and staff are for owners and managers (the server enforces it too).
    let managers = role != "cashier";
    let owner = role == "owner";
    let cashier = move || {
        view! {
            <section class="card" data-testid="settings-cashier">
                <p>{email.clone()}" · "{move || t(lang.get(), Key::RoleCashier)}</p>
                <LangSwitch/>
            </section>
        }
    };
    view! {
        <TopBar/>
        <div class="settings-page">
            <Show when=move || managers fallback=cashier>
                <ProfileSection/>
                <bakong::BakongSection owner=owner/>
                <StoresSection/>
                <StaffSection/>
            </Show>
        </div>
    }
}

fn text(s: RwSignal<String>) -> Option<String> {
    Some(s.get()).filter(|v| !v.trim().is_empty())
}

/// The profile form with its live QR preview (also the sign-up wizard's step).
#[component]
pub fn ProfileSection() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let Some(start) = session.with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.clone()))
    else {
        return ().into_any();
    };
    let business = RwSignal::new(start.business_name.clone());
    let city = RwSignal::new(start.merchant_city.clone());
    let bakong = RwSignal::new(start.bakong_account_id.clone().unwrap_or_default());
    let alt_lang = RwSignal::new(
        start
            .alternate
            .as_ref()
            .map(|a| a.language.clone())
            .unwrap_or_default(),
    );
    let alt_name = RwSignal::new(
        start
            .alternate
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_default(),
    );
    let alt_city = RwSignal::new(
        start
            .alternate
            .as_ref()
            .and_then(|a| a.city.clone())
            .unwrap_or_default(),
    );
    let upi_acq = RwSignal::new(
        start
            .upi
            .as_ref()
            .map(|u| u.acquirer_iin.clone())
            .unwrap_or_default(),
    );
    let upi_fwd = RwSignal::new(
        start
            .upi
            .as_ref()
            .map(|u| u.forwarding_iin.clone())
            .unwrap_or_default(),
    );
    let upi_mid = RwSignal::new(
        start
            .upi
            .as_ref()
            .map(|u| u.merchant_id.clone())
            .unwrap_or_default(),
    );
    let currency = RwSignal::new(start.default_currency);
    let minutes = RwSignal::new((start.qr_lifetime_secs / 60).to_string());
    let error = RwSignal::new(None::<ClientError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let profile = Memo::new(move |_| api::MerchantProfile {
        business_name: business.get(),
        merchant_city: city.get(),
        bakong_account_id: text(bakong),
        alternate: text(alt_lang).map(|language| api::AlternateName {
            language,
            name: alt_name.get(),
            city: text(alt_city),
        }),
        upi: (text(upi_acq).is_some() || text(upi_fwd).is_some() || text(upi_mid).is_some()).then(
            || api::UpiAccountView {
                acquirer_iin: upi_acq.get().trim().to_owned(),
                forwarding_iin: upi_fwd.get().trim().to_owned(),
                merchant_id: upi_mid.get().trim().to_owned(),
            },
        ),
        default_currency: currency.get(),
        qr_lifetime_secs: minutes
            .get()
            .trim()
            .parse::<u32>()
            .unwrap_or(0)
            .saturating_mul(60),
        ..start.clone()
    });
    let live = Memo::new(move |_| profile.with(static_qr));
    let err_for = move |name: &'static str| {
        Signal::derive(move || {
            let server = error.with(|e| {
                e.as_ref()
                    .filter(|e| {
                        e.field()
                            .is_some_and(|f| f == name || f.starts_with(&format!("{name}.")))
                    })
                    .map(error_key)
            });
            server.or_else(|| {
                live.with(|r| r.as_ref().err().map(codec_field))
                    .filter(|(f, _)| *f == name)
                    .map(|(_, k)| k)
            })
        })
    };
    let lifetime_err = Signal::derive(move || {
        let m = minutes.get().trim().parse::<u32>().unwrap_or(0);
        (!(1..=60).contains(&m)).then_some(Key::ErrQrMinutes)
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        saved.set(false);
        error.set(None);
        let body = profile.get_untracked();
        spawn_local(async move {
            match client::update_merchant(&body).await {
                Ok(view) => {
                    session.update(|s| {
                        if let Some(s) = s {
                            s.merchant = view;
                        }
                    });
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let preview =
        Signal::derive(move || live.with(|r| r.as_ref().ok().cloned().unwrap_or_default()));
    let general = move || error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(error_key));
    view! {
        <form class="card profile-form" on:submit=submit data-testid="profile-form" novalidate>
            <h2>{tr(Key::Profile)}</h2>
            <div class="profile-grid">
                <div class="profile-fields">
                    <Field label=Key::BusinessName value=business testid="profile-business-name" error=err_for("business_name")/>
                    <Field label=Key::City value=city testid="profile-city" error=err_for("merchant_city")/>
                    <Field label=Key::BakongAccount value=bakong testid="profile-bakong" error=err_for("bakong_account_id")/>
                    <label for="alt-lang">{tr(Key::AltLanguage)}</label>
                    <select id="alt-lang" data-testid="profile-alt-language" on:change=move |ev| alt_lang.set(event_target_value(&ev))>
                        <option value="" selected=move || alt_lang.get().is_empty()>{tr(Key::AltNone)}</option>
                        <option value="km" selected=move || alt_lang.get() == "km">"ខ្មែរ"</option>
                        <option value="zh" selected=move || alt_lang.get() == "zh">"中文"</option>
                    </select>
                    <Show when=move || !alt_lang.with(String::is_empty) fallback=|| ()>
                        <Field label=Key::AltName value=alt_name testid="profile-alt-name" error=err_for("alternate")/>
                        <Field label=Key::AltCity value=alt_city testid="profile-alt-city" error=Signal::derive(|| None)/>
                    </Show>
                    <fieldset class="upi">
                        <legend>{tr(Key::UpiTitle)}</legend>
                        <Field label=Key::UpiAcquirer value=upi_acq testid="profile-upi-acquirer" error=Signal::derive(|| None)/>
                        <Field label=Key::UpiForwarding value=upi_fwd testid="profile-upi-forwarding" error=Signal::derive(|| None)/>
                        <Field label=Key::UpiMerchant value=upi_mid testid="profile-upi-merchant" error=err_for("upi")/>
                    </fieldset>
                    <label for="default-currency">{tr(Key::DefaultCurrency)}</label>
                    <select id="default-currency" data-testid="profile-currency"
                        on:change=move |ev| if let Some(c) = Currency::from_code(&event_target_value(&ev)) { currency.set(c) }>
                        {[Currency::Khr, Currency::Usd].into_iter().map(|c| view! {
                            <option value=c.code() selected=move || currency.get() == c>{c.code()}</option>
                        }).collect_view()}
                    </select>
                    <Field label=Key::QrMinutes value=minutes testid="profile-qr-minutes" kind="number" error=lifetime_err/>
                </div>
                <Show when=move || live.with(Result::is_ok) fallback=|| ()>
                    <figure class="qr-preview" data-testid="profile-preview">
                        <QrImage payload=preview label=Signal::derive(tr(Key::PreviewQr)) testid="profile-preview-qr"/>
                        <figcaption>{tr(Key::PreviewQr)}</figcaption>
                    </figure>
                </Show>
            </div>
            <p class="form-error" role="alert" data-testid="profile-error">{move || general().map(|k| t(lang.get(), k))}</p>
            <p class="ok" role="status" data-testid="profile-saved">{move || saved.get().then(|| t(lang.get(), Key::Saved))}</p>
            <button type="submit" class="primary" data-testid="profile-save"
                disabled=move || busy.get() || live.with(Result::is_err) || lifetime_err.get().is_some()>{tr(Key::Save)}</button>
        </form>
    }
    .into_any()
}

/// Stores, their counters, and each counter's poster.
#[component]
fn StoresSection() -> impl IntoView {
    let lang = use_i18n().lang;
    let data = Load::new(|| async {
        Ok::<_, ClientError>((client::stores().await?, client::terminals().await?))
    });
    let store_name = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let store_pick = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let add_store = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = store_name.get_untracked();
        spawn_local(async move {
            match client::create_store(&name).await {
                Ok(_) => {
                    store_name.set(String::new());
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let add_counter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let stores = data
            .get()
            .and_then(Result::ok)
            .map(|(s, _)| s)
            .unwrap_or_default();
        let store_id = Some(store_pick.get_untracked())
            .filter(|s| !s.is_empty())
            .or_else(|| stores.first().map(|s| s.id.clone()))
            .unwrap_or_default();
        let body = api::CreateTerminal {
            store_id,
            label: label.get_untracked(),
        };
        spawn_local(async move {
            match client::create_terminal(&body).await {
                Ok(_) => {
                    label.set(String::new());
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let err_for = move |name: &'static str| {
        Signal::derive(move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field() == Some(name))
                    .map(error_key)
            })
        })
    };
    let pairing = RwSignal::new(None::<api::PairingCode>);
    let devices = Load::new(client::devices);
    let open_pairing = move |terminal: String| {
        spawn_local(async move {
            match client::open_pairing(&terminal).await {
                Ok(code) => pairing.set(Some(code)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match client::revoke_device(&id).await {
                Ok(()) => devices.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let pairing_panel = move || {
        pairing.get().map(|p| {
            let link = format!("{origin}/kiosk?code={}", p.code);
            view! {
                <div class="pairing" data-testid="pairing-panel" role="status">
                    <p class="pairing-code" data-testid="pairing-code">{p.code.clone()}</p>
                    <QrImage payload=link label=Signal::derive(tr(Key::PairDisplay)) testid="pairing-qr"/>
                    <p class="muted">{tr(Key::PairHint)}</p>
                    <p class="mono" data-testid="pairing-address">{format!("{origin}/kiosk")}</p>
                </div>
            }
        })
    };
    let devices_list = move || {
        devices.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|d| {
            let id = d.id.clone();
            let revoked = d.revoked_at_ms.is_some();
            let paired = d.paired_at_ms;
            // Which counter each display shows.
            let counter = data
                .get()
                .and_then(Result::ok)
                .and_then(|(_, terms)| terms.into_iter().find(|t| t.id == d.terminal_id))
                .map(|t| format!("{} · {}", t.label, t.store_name))
                .unwrap_or_default();
            view! {
                <li data-testid="device-row" data-device-id=d.id.clone()>
                    <span>{d.name.clone()}" · "<span data-testid="device-counter">{counter}</span>" · "{move || format::date_time(lang.get(), paired, api::Country::KH)}</span>
                    {if revoked {
                        view! { <span class="muted" data-testid="device-revoked">{tr(Key::Revoked)}</span> }.into_any()
                    } else {
                        view! { <ConfirmButton label=Key::Revoke testid="device-revoke" on_confirm=Callback::new(move |()| revoke(id.clone()))/> }.into_any()
                    }}
                </li>
            }
        }).collect_view()
    };
    view! {
        <section class="card" aria-labelledby="stores-title" data-testid="stores-section">
            <h2 id="stores-title">{tr(Key::StoresTitle)}</h2>
            {move || match data.get() {
                None => view! { <p class="loading">{tr(Key::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error" role="alert">{move || t(lang.get(), error_key(&e))}</p> }.into_any(),
                Some(Ok((stores, terminals))) => view! {
                    <Show when={let empty = terminals.is_empty(); move || empty} fallback=|| ()>
                        <p class="muted">{tr(Key::NoCounters)}</p>
                    </Show>
                    <ul class="counter-list">
                        {terminals.into_iter().map(|term| view! {
                            <li data-testid="counter-row">
                                <span><strong>{term.label.clone()}</strong>" · "{term.store_name.clone()}</span>
                                <span class="actions">
                                    <a href=format!("/poster/{}", term.id) data-testid="counter-poster">{tr(Key::Poster)}</a>
                                    <button type="button" data-testid="counter-pair"
                                        on:click={let id = term.id.clone(); move |_| open_pairing(id.clone())}>{tr(Key::PairDisplay)}</button>
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="muted" data-testid="poster-no-check">{move || pick(lang.get(), POSTER_NO_CHECK)}</p>
                    <form class="inline-form" on:submit=add_counter data-testid="counter-form">
                        <label>{tr(Key::Store)}
                            <select data-testid="counter-store" on:change=move |ev| store_pick.set(event_target_value(&ev))>
                                {stores.into_iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <Field label=Key::CounterLabel value=label testid="counter-label" error=err_for("label")/>
                        <button type="submit" data-testid="counter-add">{tr(Key::AddCounter)}</button>
                    </form>
                    <p class="form-error" role="alert" data-testid="counter-store-error">
                        {move || err_for("store_id").get().map(|_| pick(lang.get(), ADD_STORE_FIRST))}
                    </p>
                }.into_any(),
            }}
            <form class="inline-form" on:submit=add_store data-testid="store-form">
                <Field label=Key::StoreName value=store_name testid="store-name" error=err_for("name")/>
                <button type="submit" data-testid="store-add">{tr(Key::AddStore)}</button>
            </form>
            {pairing_panel}
            <h3>{tr(Key::Devices)}</h3>
            <ul class="counter-list" data-testid="devices-list">{devices_list}</ul>
        </section>
    }
}

fn role_key(r: api::StaffRole) -> Key {
    match r {
        api::StaffRole::Owner => Key::RoleOwner,
        api::StaffRole::Manager => Key::RoleManager,
        api::StaffRole::Cashier => Key::RoleCashier,
    }
}

/// Staff and invitations.
#[component]
fn StaffSection() -> impl IntoView {
    let lang = use_i18n().lang;
    let staff = Load::new(client::staff);
    let counters = Load::new(client::terminals);
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(api::StaffRole::Cashier);
    let counter = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let link = RwSignal::new(None::<String>);
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let first = counters
            .get()
            .and_then(Result::ok)
            .and_then(|c| c.first().map(|c| c.id.clone()));
        let body = api::InviteStaff {
            email: email.get_untracked(),
            role: role.get_untracked(),
            terminal_id: (role.get_untracked() == api::StaffRole::Cashier)
                .then(|| {
                    Some(counter.get_untracked())
                        .filter(|c| !c.is_empty())
                        .or(first)
                })
                .flatten(),
        };
        spawn_local(async move {
            match client::invite(&body).await {
                Ok(inv) => {
                    let origin = web_sys::window()
                        .and_then(|w| w.location().origin().ok())
                        .unwrap_or_default();
                    link.set(Some(format!("{origin}{}", inv.accept_path)));
                    email.set(String::new());
                    error.set(None);
                    staff.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let roles = [api::StaffRole::Manager, api::StaffRole::Cashier];
    view! {
        <section class="card" aria-labelledby="staff-title" data-testid="staff-section">
            <h2 id="staff-title">{tr(Key::StaffTitle)}</h2>
            <ul class="staff-list">
                {move || staff.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|m| view! {
                    <li data-testid="staff-row"><span>{m.email.clone()}</span><span class="muted">{move || t(lang.get(), role_key(m.role))}</span></li>
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=invite data-testid="invite-form">
                <Field label=Key::Email value=email testid="invite-email" kind="email"
                    error=Signal::derive(move || error.with(|e| e.as_ref().map(error_key)))/>
                <label>{tr(Key::Role)}
                    <select data-testid="invite-role" on:change=move |ev| {
                        role.set(if event_target_value(&ev) == "manager" { api::StaffRole::Manager } else { api::StaffRole::Cashier })
                    }>
                        {roles.into_iter().map(|r| view! {
                            <option value=if r == api::StaffRole::Manager { "manager" } else { "cashier" } selected=move || role.get() == r>
                                {move || t(lang.get(), role_key(r))}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <Show when=move || role.get() == api::StaffRole::Cashier fallback=|| ()>
                    <label>{tr(Key::Counter)}
                        <select data-testid="invite-counter" on:change=move |ev| counter.set(event_target_value(&ev))>
                            {move || counters.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| view! {
                                <option value=c.id.clone()>{c.label.clone()}" · "{c.store_name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <button type="submit" data-testid="invite-send">{tr(Key::Invite)}</button>
            </form>
            <Show when=move || link.with(Option::is_some) fallback=|| ()>
                <label class="invite-link">{tr(Key::InviteLink)}
                    <input readonly data-testid="invite-link" prop:value=move || link.get().unwrap_or_default()/>
                </label>
            </Show>
        </section>
    }
}
