//! `/help`: how to take a payment, and what each status on the screens means.

use leptos::prelude::*;

use crate::components::top_bar::TopBar;
use crate::i18n::{Key, pick, tr, use_i18n};

// Text only this page shows, kept here so other bundles do not download it: [en, km, zh].
type Text = [&'static str; 3];
const STEPS_TITLE: Text = ["Taking a payment", "ការទទួលការបង់ប្រាក់", "收款步骤"];
const STEPS: [Text; 3] = [
    [
        "Charge: type the amount, pick the currency and tap Charge.",
        "គិតលុយ៖ វាយចំនួនទឹកប្រាក់ ជ្រើសរូបិយប័ណ្ណ ហើយចុច គិតលុយ។",
        "收款：输入金额，选择币种，点击“收款”。",
    ],
    [
        "The customer scans the KHQR with Bakong, a bank app or a UnionPay wallet.",
        "អតិថិជនស្កេន KHQR ដោយ Bakong កម្មវិធីធនាគារ ឬកាបូប UnionPay។",
        "顾客用 Bakong、银行应用或银联钱包扫描 KHQR。",
    ],
    [
        "Paid appears with a chime on every screen of the shop; the next sale starts by itself.",
        "បានបង់ បង្ហាញជាមួយសំឡេងនៅលើអេក្រង់ទាំងអស់របស់ហាង ហើយការលក់បន្ទាប់ចាប់ផ្តើមដោយខ្លួនឯង។",
        "店内所有屏幕都会显示“已付款”并响铃，随后自动开始下一笔。",
    ],
];
const STATUS_TITLE: Text = ["What the statuses mean", "អត្ថន័យនៃស្ថានភាព", "状态说明"];
const STATUSES: [(Text, Text); 5] = [
    (
        ["Paid", "បានបង់", "已付款"],
        [
            "The money reached your account for this bill.",
            "ប្រាក់បានចូលគណនីរបស់អ្នកសម្រាប់វិក្កយបត្រនេះ។",
            "该账单的款项已到账。",
        ],
    ),
    (
        ["Paid late", "បង់យឺត", "逾期付款"],
        [
            "Paid after the QR expired: keep it, or refund the payer from the dashboard.",
            "បង់ក្រោយ QR ផុតកំណត់៖ រក្សាទុក ឬសងប្រាក់អ្នកបង់ពីផ្ទាំងគ្រប់គ្រង។",
            "二维码过期后才付款：可在看板中保留或退款给付款人。",
        ],
    ),
    (
        ["Expired", "ផុតកំណត់", "已过期"],
        [
            "Nobody paid in time. Make a new QR for the same sale with one tap.",
            "គ្មាននរណាបង់ទាន់ពេល។ ចុចម្តងដើម្បីបង្កើត QR ថ្មីសម្រាប់ការលក់ដដែល។",
            "未在时限内付款。一键为同一笔生成新二维码。",
        ],
    ),
    (
        ["Needs review", "ត្រូវពិនិត្យ", "待核对"],
        [
            "A payment that matched no open bill exactly (amount, account or a cancelled bill).",
            "ការបង់ប្រាក់ដែលមិនត្រូវនឹងវិក្កយបត្របើកណាមួយ (ចំនួន គណនី ឬវិក្កយបត្របានបោះបង់)។",
            "未能与未结账单完全匹配的付款（金额、账户或已取消的账单）。",
        ],
    ),
    (
        ["Refund due", "ត្រូវសងប្រាក់", "待退款"],
        [
            "You chose to give it back: it is left out of the day's takings.",
            "អ្នកបានជ្រើសសងវិញ៖ វាមិនរាប់ក្នុងចំណូលប្រចាំថ្ងៃទេ។",
            "您已选择退还：不计入当日营业额。",
        ],
    ),
];
const PASSWORD: Text = [
    "Forgot the password? Use “Forgot password” on the sign-in page, or ask whoever runs your tonle server.",
    "ភ្លេចពាក្យសម្ងាត់? ប្រើ “ភ្លេចពាក្យសម្ងាត់” នៅទំព័រចូល ឬសួរអ្នកដែលគ្រប់គ្រងម៉ាស៊ីនមេ tonle របស់អ្នក។",
    "忘记密码？在登录页点击“忘记密码”，或联系您的 tonle 服务器管理员。",
];

/// The help page.
#[component]
pub fn HelpPage() -> impl IntoView {
    let lang = use_i18n().lang;
    let say = move |text: Text| move || pick(lang.get(), text);
    view! {
        <TopBar/>
        <article class="card help-page" data-testid="help-page">
            <h1>{tr(Key::Help)}</h1>
            <h2>{say(STEPS_TITLE)}</h2>
            <ol>{STEPS.into_iter().map(|s| view! { <li>{say(s)}</li> }).collect_view()}</ol>
            <h2>{say(STATUS_TITLE)}</h2>
            <dl class="help-statuses">
                {STATUSES.into_iter().map(|(name, meaning)| view! {
                    <dt>{say(name)}</dt><dd>{say(meaning)}</dd>
                }).collect_view()}
            </dl>
            <p data-testid="help-password">{say(PASSWORD)}</p>
        </article>
    }
}
