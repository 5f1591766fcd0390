//! Every user-visible string, in English, Khmer and Chinese. Views ask for a `Key`; the language is
//! one signal in context, switchable at any time and remembered in localStorage.

use leptos::prelude::*;

mod cart;
mod items;
mod sales;

/// A language of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English
    En,
    /// Khmer
    Km,
    /// Chinese (simplified)
    Zh,
}

impl Lang {
    /// All, in switcher order.
    pub const ALL: [Lang; 3] = [Lang::Km, Lang::Zh, Lang::En];

    /// BCP 47 tag, for `lang=` and speech.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Km => "km",
            Self::Zh => "zh",
        }
    }

    /// The language's own name.
    pub const fn endonym(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Km => "ខ្មែរ",
            Self::Zh => "中文",
        }
    }

    /// From a stored tag.
    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.tag() == tag)
    }
}

/// A translatable string: its text in English, Khmer and Chinese. Each key is a constant, so a
/// bundle carries only the texts its pages use (an enum matched in one table put every text into
/// every bundle).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([&'static str; 3]);

// reason: each key is named after its English text, which it holds; the names read like the enum
// variants they were.
#[allow(missing_docs, non_upper_case_globals)]
impl Key {
    pub const CreateAccountTitle: Key = Key([
        "Create your merchant account",
        "បង្កើតគណនីអាជីវករ",
        "创建商户账户",
    ]);
    pub const SignInTitle: Key = Key(["Sign in to tonle", "ចូលគណនី tonle", "登录 tonle"]);
    pub const Email: Key = Key(["Email", "អ៊ីមែល", "电子邮箱"]);
    pub const Password: Key = Key([
        "Password (at least 10 characters)",
        "ពាក្យសម្ងាត់ (យ៉ាងតិច ១០ តួ)",
        "密码（至少10个字符）",
    ]);
    pub const BusinessName: Key = Key([
        "Business name (shown on the QR)",
        "ឈ្មោះអាជីវកម្ម (បង្ហាញលើ QR)",
        "商户名称（显示在二维码上）",
    ]);
    pub const City: Key = Key(["City", "ទីក្រុង", "城市"]);
    pub const BakongAccount: Key = Key([
        "Bakong account ID (e.g. shop@aclb)",
        "អត្តសញ្ញាណគណនីបាគង (ឧ. shop@aclb)",
        "Bakong 账户ID（例如 shop@aclb）",
    ]);
    pub const CreateAccount: Key = Key(["Create account", "បង្កើតគណនី", "创建账户"]);
    pub const SignIn: Key = Key(["Sign in", "ចូលគណនី", "登录"]);
    pub const HaveAccount: Key = Key([
        "Already have an account? Sign in",
        "មានគណនីរួចហើយ? ចូលគណនី",
        "已有账户？登录",
    ]);
    pub const NoAccount: Key = Key([
        "New to tonle? Create an account",
        "ថ្មីនៅ tonle? បង្កើតគណនី",
        "初次使用 tonle？创建账户",
    ]);
    pub const Amount: Key = Key(["Amount", "ចំនួនទឹកប្រាក់", "金额"]);
    pub const Note: Key = Key(["Note (optional)", "កំណត់ចំណាំ (ស្រេចចិត្ត)", "备注（可选）"]);
    pub const Charge: Key = Key(["Charge", "គិតប្រាក់", "收款"]);
    pub const ScanToPay: Key = Key([
        "Scan with Bakong or any UnionPay wallet",
        "ស្កេនជាមួយបាគង ឬកាបូប UnionPay",
        "请使用 Bakong 或任意银联钱包扫码",
    ]);
    pub const ExpiresIn: Key = Key(["Expires in", "ផុតកំណត់ក្នុង", "剩余时间"]);
    pub const Paid: Key = Key(["Paid", "បានបង់ប្រាក់", "已支付"]);
    pub const PaidVoice: Key = Key(["Payment received", "បានទទួលការទូទាត់", "收款成功"]);
    pub const Expired: Key = Key(["QR expired", "QR ផុតកំណត់", "二维码已过期"]);
    pub const NewQr: Key = Key(["Make a new QR", "បង្កើត QR ថ្មី", "重新生成二维码"]);
    pub const NewCharge: Key = Key(["New charge", "គិតប្រាក់ថ្មី", "新的收款"]);
    pub const Cancel: Key = Key(["Cancel", "បោះបង់", "取消"]);
    pub const Cancelled: Key = Key(["Cancelled", "បានបោះបង់", "已取消"]);
    pub const RecentPayments: Key = Key(["Recent payments", "ការទូទាត់ថ្មីៗ", "最近收款"]);
    pub const NoPayments: Key = Key(["No payments yet", "មិនទាន់មានការទូទាត់", "暂无收款"]);
    pub const Live: Key = Key(["Live", "បានភ្ជាប់", "已连接"]);
    pub const Reconnecting: Key = Key(["Reconnecting…", "កំពុងភ្ជាប់ឡើងវិញ…", "正在重新连接…"]);
    pub const SignOut: Key = Key(["Sign out", "ចាកចេញ", "退出登录"]);
    pub const Loading: Key = Key(["Loading…", "កំពុងផ្ទុក…", "加载中…"]);
    pub const Waiting: Key = Key(["Waiting for payment", "កំពុងរង់ចាំការទូទាត់", "等待付款"]);
    pub const PaidWith: Key = Key(["Paid with", "បង់តាម", "支付方式"]);
    pub const Bill: Key = Key(["Bill", "វិក្កយបត្រ", "账单号"]);
    pub const PreviewQr: Key = Key([
        "Your counter QR (any amount)",
        "QR នៅតុគិតលុយរបស់អ្នក (ចំនួនណាក៏បាន)",
        "您的收款台二维码（任意金额）",
    ]);
    pub const ErrNetwork: Key = Key([
        "Cannot reach the server. Check the connection and try again.",
        "មិនអាចភ្ជាប់ទៅម៉ាស៊ីនមេបានទេ។ សូមពិនិត្យការតភ្ជាប់ ហើយព្យាយាមម្តងទៀត។",
        "无法连接服务器，请检查网络后重试。",
    ]);
    pub const ErrEmail: Key = Key([
        "Enter an email address like owner@shop.com",
        "សូមបញ្ចូលអ៊ីមែល ដូចជា owner@shop.com",
        "请输入有效的邮箱，例如 owner@shop.com",
    ]);
    pub const ErrEmailTaken: Key = Key([
        "This email already has an account",
        "អ៊ីមែលនេះមានគណនីរួចហើយ",
        "该邮箱已注册",
    ]);
    pub const ErrPassword: Key = Key([
        "Use at least 10 characters",
        "សូមប្រើយ៉ាងតិច ១០ តួអក្សរ",
        "密码至少需要10个字符",
    ]);
    pub const ErrBusinessName: Key = Key([
        "Enter a business name of at most 25 characters",
        "សូមបញ្ចូលឈ្មោះអាជីវកម្ម មិនលើស ២៥ តួ",
        "请输入商户名称，最多25个字符",
    ]);
    pub const ErrCity: Key = Key([
        "Enter a city of at most 15 characters",
        "សូមបញ្ចូលទីក្រុង មិនលើស ១៥ តួ",
        "请输入城市，最多15个字符",
    ]);
    pub const ErrBakong: Key = Key([
        "Enter a Bakong account ID like name@bank",
        "សូមបញ្ចូលអត្តសញ្ញាណគណនីបាគង ដូចជា name@bank",
        "请输入 Bakong 账户ID，例如 name@bank",
    ]);
    pub const ErrAmount: Key = Key([
        "Enter an amount: whole riel, or dollars with up to 2 decimals",
        "សូមបញ្ចូលចំនួនទឹកប្រាក់៖ រៀលគត់ ឬដុល្លារមានទសភាគ ២ ខ្ទង់",
        "请输入金额：瑞尔为整数，美元最多两位小数",
    ]);
    pub const ErrCredentials: Key = Key([
        "Email or password is wrong",
        "អ៊ីមែល ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ",
        "邮箱或密码错误",
    ]);
    pub const ErrSession: Key = Key(["Please sign in again", "សូមចូលគណនីម្តងទៀត", "请重新登录"]);
    pub const ErrGeneric: Key = Key([
        "Something went wrong. Try again.",
        "មានបញ្ហាកើតឡើង។ សូមព្យាយាមម្តងទៀត។",
        "出错了，请重试。",
    ]);
    pub const NavCharge: Key = Key(["Charge", "គិតប្រាក់", "收款"]);
    pub const NavDashboard: Key = Key(["Dashboard", "ផ្ទាំងគ្រប់គ្រង", "概览"]);
    pub const NavHistory: Key = Key(["History", "ប្រវត្តិ", "历史记录"]);
    pub const Keypad: Key = Key(["Keypad", "ក្តារលេខ", "数字键盘"]);
    pub const KeyBack: Key = Key(["Delete last digit", "លុបលេខចុងក្រោយ", "删除最后一位"]);
    pub const KeyClear: Key = Key(["Clear", "សម្អាត", "清除"]);
    pub const Today: Key = Key(["Today", "ថ្ងៃនេះ", "今日"]);
    pub const PaymentsCount: Key = Key(["payments", "ការទូទាត់", "笔收款"]);
    pub const PaymentOne: Key = Key(["payment", "ការទូទាត់", "笔收款"]);
    pub const NothingToday: Key = Key([
        "No payments yet today",
        "ថ្ងៃនេះមិនទាន់មានការទូទាត់",
        "今日暂无收款",
    ]);
    pub const Received: Key = Key(["Received per day", "ទទួលបានប្រចាំថ្ងៃ", "每日收款"]);
    pub const Days7: Key = Key(["7 days", "៧ ថ្ងៃ", "7天"]);
    pub const Days30: Key = Key(["30 days", "៣០ ថ្ងៃ", "30天"]);
    pub const LiveFeed: Key = Key(["Live payments", "ការទូទាត់ផ្ទាល់", "实时收款"]);
    pub const Review: Key = Key(["Needs review", "ត្រូវពិនិត្យ", "待处理"]);
    pub const ReviewEmpty: Key = Key(["Nothing to review", "គ្មានអ្វីត្រូវពិនិត្យ", "没有待处理事项"]);
    pub const PaidLate: Key = Key([
        "Paid after the QR expired",
        "បានបង់ក្រោយ QR ផុតកំណត់",
        "二维码过期后付款",
    ]);
    pub const Unmatched: Key = Key([
        "Matched no open charge",
        "មិនត្រូវនឹងការគិតប្រាក់ណាមួយ",
        "未匹配到待付款订单",
    ]);
    pub const BakongUnauthorized: Key = Key([
        "Bakong refuses the token: save a new one",
        "Bakong បដិសេធ token៖ សូមរក្សាទុក token ថ្មី",
        "Bakong 拒绝了令牌：请保存新令牌",
    ]);
    pub const BakongUnreachable: Key = Key([
        "Bakong cannot be reached: retrying",
        "មិនអាចភ្ជាប់ទៅ Bakong បាន៖ កំពុងព្យាយាមម្តងទៀត",
        "无法连接 Bakong：正在重试",
    ]);
    pub const BakongCannotCheck: Key = Key([
        "Payments cannot be checked right now",
        "មិនអាចពិនិត្យការបង់ប្រាក់បានទេឥឡូវនេះ",
        "暂时无法核对付款",
    ]);
    pub const CheckNow: Key = Key(["Check now", "ពិនិត្យឥឡូវ", "立即核对"]);
    pub const SandboxBand: Key = Key([
        "Sandbox — no real money",
        "របៀបសាកល្បង — មិនមែនប្រាក់ពិតទេ",
        "沙盒模式 — 非真实资金",
    ]);
    pub const TestPay: Key = Key(["Pay as a test wallet", "បង់ដោយកាបូបសាកល្បង", "用测试钱包付款"]);
    pub const TestPayLate: Key = Key([
        "Pay it late as a test wallet",
        "បង់យឺតដោយកាបូបសាកល្បង",
        "用测试钱包逾期付款",
    ]);
    pub const TestWalletBakong: Key = Key([
        "Bakong wallet (Cambodia)",
        "កាបូប Bakong (កម្ពុជា)",
        "Bakong 钱包（柬埔寨）",
    ]);
    pub const TestWalletUnionpay: Key = Key([
        "UnionPay wallet from China (pays in yuan)",
        "កាបូប UnionPay ពីប្រទេសចិន (បង់ជាយ័ន)",
        "来自中国的银联钱包（以人民币支付）",
    ]);
    pub const TestRate: Key = Key([
        "Rate: {c} per 1 yuan (CNY)",
        "អត្រា៖ {c} ក្នុង ១ យ័ន (CNY)",
        "汇率：每 1 元人民币 (CNY) 折合 {c}",
    ]);
    pub const TestPayNote: Key = Key([
        "Sandbox: no money moves. The payment takes the same path as a real one.",
        "របៀបសាកល្បង៖ គ្មានប្រាក់ផ្ទេរទេ។ ការបង់ប្រាក់ដើរតាមផ្លូវដូចការបង់ពិត។",
        "沙盒：不会有资金流动。付款与真实付款走同一流程。",
    ]);
    pub const ErrToken: Key = Key([
        "Paste the whole token",
        "សូមបិទភ្ជាប់ token ទាំងមូល",
        "请粘贴完整令牌",
    ]);
    pub const ToRefund: Key = Key(["To refund", "ត្រូវសងវិញ", "待退款"]);
    pub const NetBakong: Key = Key(["Bakong", "បាគង (Bakong)", "Bakong"]);
    pub const NetUnionPay: Key = Key(["UnionPay", "UnionPay", "银联"]);
    pub const NetSandbox: Key = Key(["Test payment", "ការបង់សាកល្បង", "测试付款"]);
    pub const WrongPin: Key = Key(["Wrong PIN", "PIN មិនត្រឹមត្រូវ", "PIN 不正确"]);
    pub const ConfirmLarge: Key = Key([
        "That is a large amount: check it, then press Charge again",
        "នេះជាចំនួនធំ៖ សូមពិនិត្យ រួចចុច គិតប្រាក់ ម្តងទៀត",
        "金额较大：请核对后再次点击收款",
    ]);
    pub const ErrQrMinutes: Key = Key(["1 to 60 minutes", "ពី ១ ដល់ ៦០ នាទី", "1 至 60 分钟"]);
    pub const TapAgain: Key = Key(["Tap again to confirm", "ចុចម្តងទៀតដើម្បីបញ្ជាក់", "再点一次确认"]);
    pub const Accept: Key = Key(["Keep as sale", "ទទួលជាការលក់", "计为销售"]);
    pub const RefundDue: Key = Key(["Refund the payer", "សងប្រាក់អ្នកបង់", "退款给付款人"]);
    pub const Retry: Key = Key(["Retry", "ព្យាយាមម្តងទៀត", "重试"]);
    pub const Close: Key = Key(["Close", "បិទ", "关闭"]);
    pub const ForgotPassword: Key = Key(["Forgot your password?", "ភ្លេចពាក្យសម្ងាត់?", "忘记密码？"]);
    pub const Help: Key = Key(["Help", "ជំនួយ", "帮助"]);
    pub const NotFound: Key = Key([
        "There is no page at this address.",
        "មិនមានទំព័រនៅអាសយដ្ឋាននេះទេ។",
        "此地址没有页面。",
    ]);
    pub const GoHome: Key = Key(["Go to tonle", "ទៅកាន់ tonle", "前往 tonle"]);
    pub const From: Key = Key(["From", "ពី", "从"]);
    pub const To: Key = Key(["To", "ដល់", "至"]);
    pub const Network: Key = Key(["Network", "បណ្តាញ", "支付网络"]);
    pub const AllNetworks: Key = Key(["All networks", "បណ្តាញទាំងអស់", "全部网络"]);
    pub const BillNumber: Key = Key(["Bill number", "លេខវិក្កយបត្រ", "账单号"]);
    pub const Search: Key = Key(["Search", "ស្វែងរក", "搜索"]);
    pub const DownloadCsv: Key = Key(["Download CSV", "ទាញយក CSV", "下载 CSV"]);
    pub const LoadMore: Key = Key(["Load more", "បង្ហាញបន្ថែម", "加载更多"]);
    pub const NoMatches: Key = Key([
        "No payments match these filters",
        "គ្មានការទូទាត់ត្រូវនឹងលក្ខខណ្ឌទាំងនេះ",
        "没有符合条件的收款",
    ]);
    pub const Transaction: Key = Key(["Transaction", "ប្រតិបត្តិការ", "交易号"]);
    pub const Wallet: Key = Key(["Wallet", "កាបូប", "钱包"]);
    pub const PayerCountry: Key = Key(["Payer country", "ប្រទេសអ្នកបង់", "付款人国家"]);
    pub const PayerPaid: Key = Key(["Payer paid", "អ្នកបង់បានបង់", "付款人支付"]);
    pub const Rate: Key = Key(["Rate", "អត្រា", "汇率"]);
    pub const ReceivedAt: Key = Key(["Received", "ទទួលនៅ", "到账时间"]);
    pub const NextCustomer: Key = Key([
        "Ready for the next customer",
        "រួចរាល់សម្រាប់អតិថិជនបន្ទាប់",
        "准备接待下一位顾客",
    ]);
    pub const NavSettings: Key = Key(["Settings", "ការកំណត់", "设置"]);
    pub const Profile: Key = Key(["Business profile", "ព័ត៌មានអាជីវកម្ម", "商户资料"]);
    pub const AltLanguage: Key = Key([
        "Second language on the QR",
        "ភាសាទីពីរលើ QR",
        "二维码第二语言",
    ]);
    pub const AltNone: Key = Key(["None", "គ្មាន", "无"]);
    pub const AltName: Key = Key(["Name in that language", "ឈ្មោះជាភាសានោះ", "该语言的名称"]);
    pub const AltCity: Key = Key(["City in that language", "ទីក្រុងជាភាសានោះ", "该语言的城市"]);
    pub const UpiTitle: Key = Key([
        "UnionPay account (optional)",
        "គណនី UnionPay (ស្រេចចិត្ត)",
        "银联账户（可选）",
    ]);
    pub const UpiAcquirer: Key = Key([
        "Acquirer IIN (8 digits)",
        "IIN ធនាគារទទួល (៨ ខ្ទង់)",
        "收单机构代码（8位）",
    ]);
    pub const UpiForwarding: Key = Key([
        "Forwarding IIN (8 digits)",
        "IIN ធនាគារបញ្ជូនបន្ត (៨ ខ្ទង់)",
        "转接机构代码（8位）",
    ]);
    pub const UpiMerchant: Key = Key([
        "UnionPay merchant ID (15)",
        "លេខសម្គាល់អាជីវករ UnionPay (១៥)",
        "银联商户号（15位）",
    ]);
    pub const DefaultCurrency: Key = Key([
        "Currency on the charge screen",
        "រូបិយប័ណ្ណលើអេក្រង់គិតប្រាក់",
        "收款默认币种",
    ]);
    pub const QrMinutes: Key = Key([
        "Minutes a QR stays payable",
        "នាទីដែល QR អាចបង់បាន",
        "二维码有效分钟数",
    ]);
    pub const MaxCharge: Key = Key([
        "Largest amount one charge may ask (empty: no limit)",
        "ចំនួនទឹកប្រាក់ធំបំផុតក្នុងការគិតប្រាក់ម្តង (ទទេ៖ គ្មានកំណត់)",
        "单笔收款上限（留空：不限）",
    ]);
    pub const MaxChargeKhr: Key = Key(["In riel (KHR)", "ជាប្រាក់រៀល (KHR)", "瑞尔（KHR）"]);
    pub const MaxChargeUsd: Key = Key(["In dollars (USD)", "ជាប្រាក់ដុល្លារ (USD)", "美元（USD）"]);
    pub const Save: Key = Key(["Save", "រក្សាទុក", "保存"]);
    pub const Saved: Key = Key(["Saved", "បានរក្សាទុក", "已保存"]);
    pub const StoresTitle: Key = Key(["Stores and counters", "ហាង និងតុគិតលុយ", "门店与收银台"]);
    pub const StoreName: Key = Key(["Store name", "ឈ្មោះហាង", "门店名称"]);
    pub const AddStore: Key = Key(["Add store", "បន្ថែមហាង", "添加门店"]);
    pub const Store: Key = Key(["Store", "ហាង", "门店"]);
    pub const CounterLabel: Key = Key([
        "Counter label (on the QR)",
        "ស្លាកតុគិតលុយ (លើ QR)",
        "收银台标签（显示在二维码上）",
    ]);
    pub const AddCounter: Key = Key(["Add counter", "បន្ថែមតុគិតលុយ", "添加收银台"]);
    pub const NoCounters: Key = Key(["No counters yet", "មិនទាន់មានតុគិតលុយ", "暂无收银台"]);
    pub const Poster: Key = Key(["Counter poster", "ផ្ទាំងរូបភាពតុគិតលុយ", "收银台海报"]);
    pub const StaffTitle: Key = Key(["Staff", "បុគ្គលិក", "员工"]);
    pub const Role: Key = Key(["Role", "តួនាទី", "角色"]);
    pub const RoleOwner: Key = Key(["Owner", "ម្ចាស់", "店主"]);
    pub const RoleManager: Key = Key(["Manager", "អ្នកគ្រប់គ្រង", "经理"]);
    pub const RoleCashier: Key = Key(["Cashier", "អ្នកគិតលុយ", "收银员"]);
    pub const Counter: Key = Key(["Counter", "តុគិតលុយ", "收银台"]);
    pub const Invite: Key = Key(["Send invitation", "ផ្ញើការអញ្ជើញ", "发送邀请"]);
    pub const InviteLink: Key = Key([
        "One-time link: share it with them",
        "តំណប្រើម្តង៖ ចែករំលែកទៅពួកគេ",
        "一次性链接：请发给对方",
    ]);
    pub const InviteEmailed: Key = Key([
        "Invitation emailed: opening it proves the address is theirs",
        "បានផ្ញើការអញ្ជើញតាមអ៊ីមែល៖ ការបើកវាបញ្ជាក់ថាអាសយដ្ឋាននោះជារបស់ពួកគេ",
        "邀请已发送到邮箱：打开链接即证明邮箱属于对方",
    ]);
    pub const Unverified: Key = Key(["email not confirmed", "អ៊ីមែលមិនទាន់បញ្ជាក់", "邮箱未验证"]);
    pub const RemoveStaff: Key = Key(["Remove", "ដកចេញ", "移除"]);
    pub const OpenInvitations: Key = Key([
        "Invitations not yet accepted",
        "ការអញ្ជើញដែលមិនទាន់ទទួល",
        "尚未接受的邀请",
    ]);
    pub const ValidUntil: Key = Key(["valid until", "មានសុពលភាពដល់", "有效期至"]);
    pub const SessionsTitle: Key =
        Key(["Where you are signed in", "កន្លែងដែលអ្នកបានចូល", "您的登录设备"]);
    pub const ThisDevice: Key = Key(["this device", "ឧបករណ៍នេះ", "本设备"]);
    pub const LastUsed: Key = Key(["last used", "ប្រើចុងក្រោយ", "最近使用"]);
    pub const UnknownBrowser: Key = Key(["Unknown browser", "កម្មវិធីរុករកមិនស្គាល់", "未知浏览器"]);
    pub const SignOutEverywhere: Key =
        Key(["Sign out everywhere", "ចាកចេញពីគ្រប់កន្លែង", "退出所有设备"]);
    pub const JoinTitle: Key = Key([
        "Join your team on tonle",
        "ចូលរួមក្រុមរបស់អ្នកនៅ tonle",
        "加入您在 tonle 的团队",
    ]);
    pub const Join: Key = Key([
        "Set password and join",
        "កំណត់ពាក្យសម្ងាត់ ហើយចូលរួម",
        "设置密码并加入",
    ]);
    pub const PrintA5: Key = Key(["Print A5", "បោះពុម្ព A5", "打印 A5"]);
    pub const PrintA6: Key = Key(["Print A6", "បោះពុម្ព A6", "打印 A6"]);
    pub const ErrTaken: Key = Key([
        "That name is already used",
        "ឈ្មោះនេះត្រូវបានប្រើរួចហើយ",
        "该名称已被使用",
    ]);
    pub const ErrField: Key = Key(["Check this field", "សូមពិនិត្យប្រអប់នេះ", "请检查此项"]);
    pub const ErrUpi: Key = Key([
        "Enter 8 + 8 digits and a 15-character merchant ID",
        "សូមបញ្ចូល ៨ + ៨ ខ្ទង់ និងលេខអាជីវករ ១៥ តួ",
        "请输入 8 + 8 位数字和 15 位商户号",
    ]);
    pub const ErrAltName: Key = Key([
        "Enter the name in the chosen language (at most 25)",
        "សូមបញ្ចូលឈ្មោះជាភាសាដែលបានជ្រើស (មិនលើស ២៥)",
        "请输入所选语言的名称（最多25个字符）",
    ]);
    pub const KioskTitle: Key = Key(["Pair this display", "ភ្ជាប់អេក្រង់នេះ", "配对此显示屏"]);
    pub const PairingCode: Key = Key([
        "Pairing code (8 digits, from Settings)",
        "លេខកូដភ្ជាប់ (៨ ខ្ទង់ ពីការកំណត់)",
        "配对码（8位，见设置）",
    ]);
    pub const Pair: Key = Key(["Pair", "ភ្ជាប់", "配对"]);
    pub const ErrCode: Key = Key([
        "That code is wrong, used or expired. Open a new one in Settings.",
        "លេខកូដខុស ប្រើរួច ឬផុតកំណត់។ សូមបើកលេខកូដថ្មីក្នុងការកំណត់។",
        "配对码错误、已使用或已过期，请在设置中重新生成。",
    ]);
    pub const Welcome: Key = Key(["Welcome", "សូមស្វាគមន៍", "欢迎光临"]);
    pub const KioskIdle: Key = Key([
        "Your QR appears here when the cashier enters the amount",
        "QR របស់អ្នកនឹងបង្ហាញនៅទីនេះ ពេលអ្នកគិតលុយបញ្ចូលចំនួនទឹកប្រាក់",
        "收银员输入金额后，二维码将显示在这里",
    ]);
    pub const ThankYou: Key = Key(["Thank you!", "សូមអរគុណ!", "谢谢惠顾！"]);
    pub const StartKiosk: Key = Key(["Start kiosk mode", "ចាប់ផ្តើមរបៀបគីយ៉ូស", "进入自助模式"]);
    pub const LeaveKiosk: Key = Key(["Leave kiosk", "ចាកចេញពីគីយ៉ូស", "退出自助模式"]);
    pub const KioskPin: Key = Key([
        "Choose a 4-digit PIN to leave kiosk mode",
        "ជ្រើស PIN ៤ ខ្ទង់ ដើម្បីចាកចេញពីគីយ៉ូស",
        "设置 4 位数退出密码",
    ]);
    pub const EnterPin: Key = Key(["PIN to leave", "PIN ដើម្បីចាកចេញ", "退出密码"]);
    pub const ErrPin: Key = Key(["Use 4 digits", "សូមប្រើលេខ ៤ ខ្ទង់", "请输入4位数字"]);
    pub const PairDisplay: Key =
        Key(["Pair a customer display", "ភ្ជាប់អេក្រង់អតិថិជន", "配对顾客显示屏"]);
    pub const PairHint: Key = Key([
        "On the tablet, open this address and enter the code, or scan it. It works once, for 10 minutes:",
        "នៅលើថេប្លេត បើកអាសយដ្ឋាននេះ ហើយបញ្ចូលលេខកូដ ឬស្កេន។ ប្រើបានតែម្តង ក្នុងរយៈពេល ១០ នាទី៖",
        "在平板上打开以下地址并输入此码，或扫码。仅可使用一次，10分钟内有效：",
    ]);
    pub const Devices: Key = Key(["Customer displays", "អេក្រង់អតិថិជន", "顾客显示屏"]);
    pub const Revoke: Key = Key(["Revoke", "ដកសិទ្ធិ", "撤销"]);
    pub const Revoked: Key = Key(["Revoked", "បានដកសិទ្ធិ", "已撤销"]);
    pub const NoCounter: Key = Key(["No counter", "គ្មានតុគិតលុយ", "不指定收银台"]);
    pub const Offline: Key = Key(["Offline", "គ្មានអ៊ីនធឺណិត", "离线"]);
    pub const IdleQr: Key = Key([
        "Counter QR when idle",
        "QR តុគិតលុយ ពេលទំនេរ",
        "空闲时显示收款码",
    ]);
    pub const Receipt: Key = Key(["Receipt", "បង្កាន់ដៃ", "收据"]);
    pub const PrintReceipt: Key = Key(["Print", "បោះពុម្ព", "打印"]);
    pub const Paper58: Key = Key(["58 mm", "58 mm", "58 毫米"]);
    pub const Paper80: Key = Key(["80 mm", "80 mm", "80 毫米"]);
    pub const PaperA4: Key = Key(["A4", "A4", "A4"]);
    pub const ShiftClose: Key = Key(["End of day", "បិទវេន", "日结"]);
    pub const ShiftTitle: Key = Key(["End-of-day summary", "សេចក្តីសង្ខេបចុងថ្ងៃ", "日结汇总"]);
    pub const AllCounters: Key = Key(["All counters", "តុគិតលុយទាំងអស់", "全部收银台"]);
    pub const Day: Key = Key(["Day", "ថ្ងៃ", "日期"]);
    pub const Total: Key = Key(["Total", "សរុប", "合计"]);
    pub const Payments: Key = Key(["Payments", "ការទូទាត់", "收款"]);
    pub const PrintedAt: Key = Key(["Printed", "បោះពុម្ពនៅ", "打印时间"]);
    pub const WelcomeTitle: Key = Key(["Finish your profile", "បំពេញព័ត៌មានរបស់អ្នក", "完善商户资料"]);
    pub const WelcomeHint: Key = Key([
        "Add your name in Khmer or Chinese and a UnionPay account if you have one: wallets show them. You can change this later in Settings.",
        "បន្ថែមឈ្មោះជាភាសាខ្មែរ ឬចិន និងគណនី UnionPay បើមាន៖ កាបូបនឹងបង្ហាញវា។ អ្នកអាចកែប្រែនៅពេលក្រោយក្នុងការកំណត់។",
        "添加高棉文或中文名称，以及银联账户（如有）：钱包会显示这些信息。之后可在设置中修改。",
    ]);
    pub const ErrWebhookUrl: Key = Key([
        "Use a public https:// address (not a private or local one).",
        "សូមប្រើអាសយដ្ឋាន https:// សាធារណៈ (មិនមែនអាសយដ្ឋានឯកជន ឬក្នុងស្រុក)។",
        "请使用公网 https:// 地址（不能是内网或本机地址）。",
    ]);
    pub const Delete: Key = Key(["Delete", "លុប", "删除"]);
    pub const RotateSecret: Key = Key(["New secret", "សម្ងាត់ថ្មី", "更换密钥"]);
    pub const Integrations: Key = Key(["Integrations", "ការតភ្ជាប់ប្រព័ន្ធ", "系统对接"]);
    pub const StartCharging: Key = Key(["Start taking payments", "ចាប់ផ្តើមទទួលការទូទាត់", "开始收款"]);
    pub const TelegramAlerts: Key =
        Key(["Telegram alerts", "ការជូនដំណឹងតាម Telegram", "Telegram 通知"]);
    pub const TelegramIntro: Key = Key([
        "Each payment as a message in your shop's Telegram group, in Khmer, Chinese or English.",
        "ការទូទាត់នីមួយៗនឹងមកជាសារក្នុងក្រុម Telegram របស់ហាងអ្នក ជាភាសាខ្មែរ ចិន ឬអង់គ្លេស។",
        "每笔付款都会以消息发到您店铺的 Telegram 群组，可选高棉文、中文或英文。",
    ]);
    pub const TelegramNoBot: Key = Key([
        "Telegram alerts are not set up on this server. Whoever runs tonle turns them on with a bot token from @BotFather:",
        "ការជូនដំណឹងតាម Telegram មិនទាន់បានរៀបចំនៅលើម៉ាស៊ីនមេនេះទេ។ អ្នកដែលដំណើរការ tonle អាចបើកវាដោយប្រើ token បូតពី @BotFather៖",
        "此服务器尚未设置 Telegram 通知。运行 tonle 的人可以用 @BotFather 提供的机器人令牌开启：",
    ]);
    pub const TelegramNotAnswered: Key = Key([
        "This server has a Telegram bot, but Telegram has not answered it yet. Groups can be connected once it does.",
        "ម៉ាស៊ីនមេនេះមានបូត Telegram ប៉ុន្តែ Telegram មិនទាន់ឆ្លើយតបនៅឡើយទេ។ អាចភ្ជាប់ក្រុមបាន នៅពេលវាឆ្លើយតប។",
        "此服务器已设置 Telegram 机器人，但 Telegram 尚未响应。响应后即可连接群组。",
    ]);
    pub const MessagesFrom: Key = Key(["Messages come from", "សារមកពី", "消息来自"]);
    pub const MessageLanguage: Key = Key(["Language of the messages", "ភាសានៃសារ", "消息语言"]);
    pub const AlertsFor: Key = Key(["Alerts for", "ជូនដំណឹងសម្រាប់", "通知范围"]);
    pub const WholeBusiness: Key = Key(["Whole business", "អាជីវកម្មទាំងមូល", "整个商户"]);
    pub const WhatToSend: Key = Key(["What to send", "អ្វីដែលត្រូវផ្ញើ", "发送哪些消息"]);
    pub const EventPaid: Key = Key(["Payments", "ការទូទាត់", "收款"]);
    pub const EventPaidLate: Key = Key([
        "Late payments (waiting for your decision)",
        "ការទូទាត់យឺត (រង់ចាំការសម្រេចចិត្តរបស់អ្នក)",
        "逾期付款（等待您处理）",
    ]);
    pub const EventReview: Key = Key(["Payments to review", "ការទូទាត់ដែលត្រូវពិនិត្យ", "待核查的付款"]);
    pub const EventSummary: Key = Key(["Daily summary", "សេចក្តីសង្ខេបប្រចាំថ្ងៃ", "每日汇总"]);
    pub const EventBakong: Key = Key([
        "Bakong token problems",
        "បញ្ហា token Bakong",
        "Bakong 令牌问题",
    ]);
    pub const EventWebhookOff: Key = Key([
        "Webhook endpoint turned off",
        "អាសយដ្ឋាន Webhook ត្រូវបានបិទ",
        "Webhook 地址已停用",
    ]);
    pub const ConnectGroup: Key = Key([
        "Connect a Telegram group",
        "ភ្ជាប់ក្រុម Telegram",
        "连接 Telegram 群组",
    ]);
    pub const OpenTelegramLink: Key = Key([
        "On the phone that has Telegram, open this link or scan the code, pick your shop's group and press Start. The bot confirms in the group.",
        "នៅលើទូរស័ព្ទដែលមាន Telegram សូមបើកតំណនេះ ឬស្កេនកូដ ជ្រើសរើសក្រុមរបស់ហាងអ្នក រួចចុច Start។ បូតនឹងបញ្ជាក់នៅក្នុងក្រុម។",
        "在装有 Telegram 的手机上打开此链接或扫描二维码，选择您店铺的群组，然后点击 Start（开始）。机器人会在群里确认。",
    ]);
    pub const TelegramLinkQr: Key = Key(["Telegram link", "តំណ Telegram", "Telegram 链接"]);
    pub const SendCodeInGroup: Key = Key([
        "Or, when the bot is already in the group, send this message there:",
        "ឬ បើបូតនៅក្នុងក្រុមរួចហើយ សូមផ្ញើសារនេះនៅទីនោះ៖",
        "或者，如果机器人已在群里，请在群里发送这条消息：",
    ]);
    pub const WorksOnceUntil: Key = Key([
        "Works once, for 10 minutes: until",
        "ប្រើបានតែម្តង ក្នុងរយៈពេល ១០ នាទី៖ រហូតដល់",
        "仅可使用一次，有效 10 分钟：截至",
    ]);
    pub const WaitingForGroup: Key = Key([
        "Waiting for your group…",
        "កំពុងរង់ចាំក្រុមរបស់អ្នក…",
        "正在等待您的群组…",
    ]);
    pub const LinkExpired: Key = Key([
        "This link has expired: make a new one.",
        "តំណនេះផុតកំណត់ហើយ៖ សូមបង្កើតតំណថ្មី។",
        "此链接已过期，请重新生成。",
    ]);
    pub const GroupConnected: Key = Key(["Connected:", "បានភ្ជាប់៖", "已连接："]);
    pub const NoGroupYet: Key = Key([
        "No group connected yet.",
        "មិនទាន់មានក្រុមណាមួយភ្ជាប់នៅឡើយទេ។",
        "尚未连接任何群组。",
    ]);
    pub const ReceivingAlerts: Key = Key(["Receiving alerts", "កំពុងទទួលការជូនដំណឹង", "正在接收通知"]);
    pub const GroupRemoved: Key = Key([
        "Telegram stopped delivery to this group: the bot was removed or blocked, or the group deleted. Connect it again with a new link.",
        "Telegram បានឈប់បញ្ជូនសារទៅក្រុមនេះ៖ បូតត្រូវបានដកចេញ ឬបិទ ឬក្រុមត្រូវបានលុប។ សូមភ្ជាប់ម្តងទៀតដោយតំណថ្មី។",
        "Telegram 已停止向此群组发送：机器人被移出或屏蔽，或群组已删除。请用新链接重新连接。",
    ]);
    pub const LastMessage: Key = Key(["Last message", "សារចុងក្រោយ", "最后一条消息"]);
    pub const WaitingToSend: Key = Key(["Waiting to send:", "កំពុងរង់ចាំផ្ញើ៖", "待发送："]);
    pub const QuietFrom: Key = Key([
        "Quiet hours from (no sound)",
        "ម៉ោងស្ងាត់ចាប់ពី (គ្មានសំឡេង)",
        "免打扰开始（静音）",
    ]);
    pub const QuietUntil: Key = Key(["Quiet hours until", "ម៉ោងស្ងាត់រហូតដល់", "免打扰结束"]);
    pub const NoQuietHours: Key = Key(["No quiet hours", "គ្មានម៉ោងស្ងាត់", "不设免打扰"]);
    pub const SummaryAt: Key = Key([
        "Daily summary at",
        "ផ្ញើសេចក្តីសង្ខេបប្រចាំថ្ងៃនៅម៉ោង",
        "每日汇总发送时间",
    ]);
    pub const SendTestMessage: Key = Key(["Send a test message", "ផ្ញើសារសាកល្បង", "发送测试消息"]);
    pub const TestMessageSent: Key = Key([
        "Test message sent: look in the group",
        "បានផ្ញើសារសាកល្បង៖ សូមមើលក្នុងក្រុម",
        "测试消息已发出，请查看群组",
    ]);
    pub const Disconnect: Key = Key(["Disconnect", "ផ្តាច់", "断开"]);
}

/// One of three translations, for text a single page keeps to itself (so other bundles do not
/// download it): `[en, km, zh]`.
pub fn pick(lang: Lang, text: [&'static str; 3]) -> &'static str {
    let [en, km, zh] = text;
    match lang {
        Lang::En => en,
        Lang::Km => km,
        Lang::Zh => zh,
    }
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    let [en, km, zh] = table(key);
    match lang {
        Lang::En => en,
        Lang::Km => km,
        Lang::Zh => zh,
    }
}

fn table(key: Key) -> [&'static str; 3] {
    key.0
}

/// The language signal in context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    /// current language
    pub lang: RwSignal<Lang>,
}

const STORAGE_KEY: &str = "tonle.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Provides the language, restored from localStorage (Khmer by default), and keeps `<html lang>` in step.
pub fn provide_i18n() -> I18n {
    let saved = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|t| Lang::from_tag(&t));
    let lang = RwSignal::new(saved.unwrap_or(Lang::Km));
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, l.tag());
        }
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.set_attribute("lang", l.tag());
        }
    });
    let i = I18n { lang };
    provide_context(i);
    i
}

/// The language context.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        lang: RwSignal::new(Lang::Km),
    })
}

/// A reactive text for `key`.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_i18n().lang;
    move || t(lang.get(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_three_non_empty_distinct_texts() {
        for key in [
            Key::Charge,
            Key::Paid,
            Key::ErrAmount,
            Key::Live,
            Key::ScanToPay,
        ] {
            let [en, km, zh] = table(key);
            assert!(!en.is_empty() && !km.is_empty() && !zh.is_empty());
            assert_ne!(en, km);
            assert_ne!(en, zh);
        }
    }
}
