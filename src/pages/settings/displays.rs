//! Settings → customer displays: pairing a kiosk tablet to a counter (a code and a QR that opens
//! the kiosk page with it), the paired devices with the counter each shows, and revoking one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::components::confirm_button::ConfirmButton;
use crate::components::qr_code::QrImage;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;
use crate::router::Route;

/// The displays card's state: the open pairing code, the devices, the last error.
#[derive(Clone, Copy)]
pub struct Displays {
    pairing: RwSignal<Option<api::PairingCode>>,
    devices: Load<Result<Vec<api::DeviceView>, ClientError>>,
    error: RwSignal<Option<ClientError>>,
}

impl Displays {
    /// Loads the devices.
    pub fn new() -> Self {
        Self {
            pairing: RwSignal::new(None),
            devices: Load::new(client::devices),
            error: RwSignal::new(None),
        }
    }

    /// Opens a pairing code for `terminal` and shows it.
    pub fn pair(self, terminal: String) {
        spawn_local(async move {
            match client::open_pairing(&terminal).await {
                Ok(code) => {
                    self.error.set(None);
                    self.pairing.set(Some(code));
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    fn revoke(self, id: String) {
        spawn_local(async move {
            match client::revoke_device(&id).await {
                Ok(()) => self.devices.refetch(),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}

/// The pairing code when one is open, and the devices with the counter each shows.
#[component]
pub fn DisplaysPanel(
    /// the card's state
    displays: Displays,
    /// the merchant's counters, to name each device's
    #[prop(into)]
    counters: Signal<Vec<api::TerminalView>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let kiosk = format!("{origin}{}", Route::KIOSK.path());
    let pairing_panel = move || {
        displays.pairing.get().map(|p| {
            let link = format!("{origin}{}", Route::KIOSK.path_with("code", &p.code));
            view! {
                <div class="pairing" data-testid="pairing-panel" role="status">
                    <p class="pairing-code" data-testid="pairing-code">{p.code.clone()}</p>
                    <QrImage payload=link label=Signal::derive(tr(Key::PairDisplay)) testid="pairing-qr"/>
                    <p class="muted">{tr(Key::PairHint)}</p>
                    <p class="mono" data-testid="pairing-address">{kiosk.clone()}</p>
                </div>
            }
        })
    };
    let devices_list = move || {
        let counters = counters.get();
        displays.devices.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|d| {
            let id = d.id.clone();
            let revoked = d.revoked_at_ms.is_some();
            let paired = d.paired_at_ms;
            // Which counter each display shows.
            let counter = counters
                .iter()
                .find(|t| t.id == d.terminal_id)
                .map(|t| format!("{} · {}", t.label, t.store_name))
                .unwrap_or_default();
            view! {
                <li data-testid="device-row" data-device-id=d.id.clone()>
                    <span>{d.name.clone()}" · "<span data-testid="device-counter">{counter}</span>" · "{move || format::date_time(lang.get(), paired, api::Country::KH)}</span>
                    {if revoked {
                        view! { <span class="muted" data-testid="device-revoked">{tr(Key::Revoked)}</span> }.into_any()
                    } else {
                        view! { <ConfirmButton label=Key::Revoke testid="device-revoke" on_confirm=Callback::new(move |()| displays.revoke(id.clone()))/> }.into_any()
                    }}
                </li>
            }
        }).collect_view()
    };
    view! {
        {pairing_panel}
        <p class="form-error" role="alert" data-testid="displays-error">
            {move || displays.error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
        </p>
        <h3>{tr(Key::Devices)}</h3>
        <ul class="counter-list" data-testid="devices-list">{devices_list}</ul>
    }
}
