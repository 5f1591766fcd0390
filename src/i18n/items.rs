//! Texts of the items screens.

use super::Key;

// reason: as in the parent module, each key is named after its English text.
#[allow(missing_docs, non_upper_case_globals)]
impl Key {
    pub const ItemsTitle: Key = Key(["Items", "ទំនិញ", "商品"]);
    pub const ItemsHint: Key = Key([
        "What you sell and its prices: cashiers tap items into a cart.",
        "ទំនិញដែលអ្នកលក់ និងតម្លៃ៖ អ្នកគិតលុយចុចដាក់ទំនិញក្នុងកន្ត្រក។",
        "您出售的商品和价格：收银员点选商品加入购物车。",
    ]);
    pub const ItemsReadOnly: Key = Key([
        "Items and prices are changed by the owner or a manager.",
        "ទំនិញ និងតម្លៃ ត្រូវបានកែដោយម្ចាស់ ឬអ្នកគ្រប់គ្រង។",
        "商品和价格由店主或经理修改。",
    ]);
    pub const ItemsEmpty: Key = Key([
        "No items yet. Add what you sell, or import a spreadsheet (CSV).",
        "មិនទាន់មានទំនិញទេ។ បន្ថែមទំនិញដែលអ្នកលក់ ឬនាំចូលតារាង (CSV)។",
        "还没有商品。请添加您出售的商品，或导入表格（CSV）。",
    ]);
    pub const ItemAdd: Key = Key(["Add an item", "បន្ថែមទំនិញ", "添加商品"]);
    pub const ItemEdit: Key = Key(["Edit", "កែ", "编辑"]);
    pub const ItemEditTitle: Key = Key(["Edit the item", "កែទំនិញ", "编辑商品"]);
    pub const ItemName: Key = Key(["Name", "ឈ្មោះ", "名称"]);
    pub const ItemNameKm: Key = Key(["Name in Khmer", "ឈ្មោះជាភាសាខ្មែរ", "高棉语名称"]);
    pub const ItemNameZh: Key = Key(["Name in Chinese", "ឈ្មោះជាភាសាចិន", "中文名称"]);
    pub const ItemCategory: Key = Key([
        "Category (e.g. Drinks)",
        "ប្រភេទ (ឧ. ភេសជ្ជៈ)",
        "分类（例如 饮品）",
    ]);
    pub const ItemNoCategory: Key = Key(["No category", "គ្មានប្រភេទ", "未分类"]);
    pub const ItemPriceKhr: Key = Key(["Price in riel (៛)", "តម្លៃជារៀល (៛)", "瑞尔价格（៛）"]);
    pub const ItemPriceUsd: Key = Key(["Price in dollars ($)", "តម្លៃជាដុល្លារ ($)", "美元价格（$）"]);
    pub const ItemPriceCny: Key = Key(["Price in yuan (¥)", "តម្លៃជាយ៉ន់ (¥)", "人民币价格（¥）"]);
    pub const ItemAvailable: Key = Key(["On sale", "មានលក់", "在售"]);
    pub const ItemSoldOut: Key = Key(["Sold out", "អស់ហើយ", "已售罄"]);
    pub const ItemMoveUp: Key = Key(["Move up", "ដាក់ឡើងលើ", "上移"]);
    pub const ItemMoveDown: Key = Key(["Move down", "ដាក់ចុះក្រោម", "下移"]);
    pub const ItemErrName: Key = Key([
        "Enter a name (up to 60 characters)",
        "សូមបញ្ចូលឈ្មោះ (មិនលើស ៦០ តួ)",
        "请输入名称（最多60个字符）",
    ]);
    pub const ItemErrCategory: Key = Key(["Up to 30 characters", "មិនលើស ៣០ តួ", "最多30个字符"]);
    pub const ItemErrPrice: Key = Key([
        "Enter a price like 12000 or 3.50",
        "សូមបញ្ចូលតម្លៃ ដូចជា 12000 ឬ 3.50",
        "请输入价格，例如 12000 或 3.50",
    ]);
    pub const ItemErrNoPrice: Key = Key([
        "Give at least one price",
        "សូមដាក់តម្លៃយ៉ាងហោចណាស់មួយ",
        "请至少填写一个价格",
    ]);
    pub const ItemsSpreadsheet: Key = Key(["Spreadsheet", "តារាង", "表格"]);
    pub const ItemsCsvHint: Key = Key([
        "One row per item. Rows with an id change that item, rows without one add an item; if a row is wrong nothing is imported.",
        "មួយជួរសម្រាប់ទំនិញមួយ។ ជួរដែលមាន id កែទំនិញនោះ ជួរគ្មាន id បន្ថែមទំនិញថ្មី។ បើជួរណាមួយខុស គ្មានអ្វីត្រូវបាននាំចូលទេ។",
        "每行一个商品。带 id 的行修改该商品，没有 id 的行新增商品；任何一行有误则全部不导入。",
    ]);
    pub const ItemsExport: Key = Key(["Export CSV", "នាំចេញ CSV", "导出 CSV"]);
    pub const ItemsImport: Key = Key(["Import CSV", "នាំចូល CSV", "导入 CSV"]);
    pub const ItemsImported: Key = Key([
        "{created} added, {updated} updated",
        "បានបន្ថែម {created} កែ {updated}",
        "新增 {created} 个，更新 {updated} 个",
    ]);
    pub const ItemsNotImported: Key = Key([
        "Nothing was imported:",
        "គ្មានអ្វីត្រូវបាននាំចូលទេ៖",
        "未导入任何内容：",
    ]);
    pub const ShopRateTitle: Key = Key(["Your dollar rate", "អត្រាដុល្លាររបស់ហាង", "本店美元汇率"]);
    pub const ShopRate: Key = Key(["Riel per dollar", "រៀលក្នុងមួយដុល្លារ", "每美元兑瑞尔"]);
    pub const ShopRateHint: Key = Key([
        "Items priced in dollars and sold in riel are converted at this rate, each line rounded to 100 ៛. Empty: such items are sold in dollars only.",
        "ទំនិញដែលមានតម្លៃជាដុល្លារ ហើយលក់ជារៀល ត្រូវប្តូរតាមអត្រានេះ ហើយបង្គត់មួយជួរៗទៅ ១០០ ៛។ ទុកទទេ៖ ទំនិញទាំងនោះលក់ជាដុល្លារតែប៉ុណ្ណោះ។",
        "以美元定价、用瑞尔收款的商品按此汇率换算，每行取整到 100 ៛。留空：这些商品只能用美元收款。",
    ]);
    pub const ItemErrRate: Key = Key([
        "Enter a rate like 4100",
        "សូមបញ្ចូលអត្រា ដូចជា 4100",
        "请输入汇率，例如 4100",
    ]);
    pub const FxTitle: Key = Key([
        "Yuan estimate for Chinese customers",
        "តម្លៃប្រហាក់ប្រហែលជាយ៉ន់សម្រាប់ភ្ញៀវចិន",
        "为中国顾客显示人民币估算",
    ]);
    pub const FxHint: Key = Key([
        "Before paying, the customer sees about how many yuan the amount is (≈ ¥). The QR's amount never changes.",
        "មុនពេលបង់ប្រាក់ អតិថិជនឃើញចំនួនប្រហាក់ប្រហែលជាយ៉ន់ (≈ ¥)។ ចំនួនទឹកប្រាក់ក្នុង QR មិនប្តូរទេ។",
        "付款前，顾客会看到金额约合多少人民币（≈ ¥）。二维码上的金额不变。",
    ]);
    pub const FxPerRiel: Key = Key(["Yuan per riel", "យ៉ន់ក្នុងមួយរៀល", "每瑞尔兑人民币"]);
    pub const FxPerDollar: Key = Key(["Yuan per dollar", "យ៉ន់ក្នុងមួយដុល្លារ", "每美元兑人民币"]);
    pub const FxNone: Key = Key([
        "No rate: no estimate is shown",
        "គ្មានអត្រា៖ មិនបង្ហាញតម្លៃប្រហាក់ប្រហែលទេ",
        "无汇率：不显示估算",
    ]);
    pub const FxStale: Key = Key([
        "Out of date (over 3 days)",
        "ហួសកាលកំណត់ (លើស ៣ ថ្ងៃ)",
        "已过时（超过3天）",
    ]);
    pub const FxFromNbc: Key = Key([
        "National Bank of Cambodia",
        "ធនាគារជាតិនៃកម្ពុជា",
        "柬埔寨国家银行",
    ]);
    pub const FxFromConfigured: Key = Key([
        "This server's rate source",
        "ប្រភពអត្រារបស់ម៉ាស៊ីនមេនេះ",
        "本服务器的汇率来源",
    ]);
    pub const FxFromOwner: Key = Key(["Set by the owner", "កំណត់ដោយម្ចាស់ហាង", "由店主设定"]);
    pub const FxFromOther: Key = Key(["Another source", "ប្រភពផ្សេង", "其他来源"]);
    pub const FxNotFetched: Key = Key([
        "This server fetches no rates: set your own to show an estimate.",
        "ម៉ាស៊ីនមេនេះមិនទាញយកអត្រាទេ៖ កំណត់អត្រារបស់អ្នក ដើម្បីបង្ហាញតម្លៃប្រហាក់ប្រហែល។",
        "本服务器不自动获取汇率：设定您自己的汇率即可显示估算。",
    ]);
    pub const FxSet: Key = Key(["Use my rate", "ប្រើអត្រារបស់ខ្ញុំ", "使用我的汇率"]);
    pub const FxClear: Key = Key(["Remove my rate", "លុបអត្រារបស់ខ្ញុំ", "删除我的汇率"]);
    pub const FxMine: Key = Key(["My rate", "អត្រារបស់ខ្ញុំ", "我的汇率"]);
    pub const FxJump: Key = Key([
        "The new rate is over 10% from the last one and is not used until you confirm it:",
        "អត្រាថ្មីខុសពីអត្រាមុនលើសពី ១០% ហើយមិនត្រូវបានប្រើទេ រហូតដល់អ្នកបញ្ជាក់៖",
        "新汇率与上次相差超过10%，确认前不会使用：",
    ]);
    pub const FxConfirm: Key = Key(["Confirm", "បញ្ជាក់", "确认"]);
}
