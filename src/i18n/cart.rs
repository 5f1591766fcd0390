//! Texts of the cart screens: the item grid and the cart at the counter, the lines a charge sold
//! and the yuan estimate on the charge screen and the kiosk.

use super::Key;

// reason: as in the parent module, each key is named after its English text.
#[allow(missing_docs, non_upper_case_globals)]
impl Key {
    pub const CartAll: Key = Key(["All", "ទាំងអស់", "全部"]);
    pub const CartCategories: Key = Key(["Categories", "ប្រភេទ", "分类"]);
    pub const CartItems: Key = Key(["Items", "ទំនិញ", "商品"]);
    pub const CartTitle: Key = Key(["Cart", "កន្ត្រក", "购物车"]);
    pub const CartEmpty: Key = Key([
        "Tap an item to add it, or type an amount.",
        "ចុចលើទំនិញដើម្បីបន្ថែម ឬវាយបញ្ចូលចំនួនទឹកប្រាក់។",
        "点击商品加入，或输入金额。",
    ]);
    pub const CartTotal: Key = Key(["Total", "សរុប", "合计"]);
    pub const CartClear: Key = Key(["Clear", "សម្អាត", "清空"]);
    pub const CartMore: Key = Key(["One more", "បន្ថែមមួយទៀត", "加一份"]);
    pub const CartLess: Key = Key(["One less", "បន្ថយមួយ", "减一份"]);
    pub const CartRemove: Key = Key(["Remove", "ដកចេញ", "移除"]);
    pub const CartSoldOut: Key = Key(["Sold out", "អស់ហើយ", "已售罄"]);
    pub const CartNoPrice: Key = Key([
        "No price in this currency",
        "គ្មានតម្លៃជារូបិយប័ណ្ណនេះ",
        "无此币种价格",
    ]);
    pub const CartCustom: Key = Key(["Custom amount", "ចំនួនទឹកប្រាក់ផ្សេង", "自定义金额"]);
    pub const CartAddCustom: Key = Key(["Add to cart", "ដាក់ក្នុងកន្ត្រក", "加入购物车"]);
    pub const CartDescription: Key =
        Key(["What for (optional)", "សម្រាប់អ្វី (ស្រេចចិត្ត)", "用途（可选）"]);
    /// `{n}`: how many things are in the cart
    pub const CartCount: Key = Key(["{n} items", "{n} មុខ", "{n} 件"]);
    pub const CartOpen: Key = Key(["Open the cart", "បើកកន្ត្រក", "打开购物车"]);
    pub const CartBack: Key = Key(["Back to the items", "ត្រឡប់ទៅទំនិញ", "返回商品"]);
    pub const CartTypedAmount: Key = Key([
        "The amount typed is added to the cart when you charge.",
        "ចំនួនទឹកប្រាក់ដែលបានវាយ នឹងបញ្ចូលក្នុងកន្ត្រកពេលគិតប្រាក់។",
        "收款时，输入的金额将加入购物车。",
    ]);
    pub const CartLineUnavailable: Key = Key([
        "This cannot be sold now: sold out, removed, or no price in this currency. Remove it.",
        "មិនអាចលក់បានទេឥឡូវនេះ៖ អស់ហើយ ត្រូវបានលុប ឬគ្មានតម្លៃជារូបិយប័ណ្ណនេះ។ សូមដកវាចេញ។",
        "此项目前无法出售：已售罄、已删除或无此币种价格。请移除。",
    ]);
    pub const CartLineQuantity: Key = Key([
        "Quantity from 1 to 999",
        "ចំនួនពី ១ ដល់ ៩៩៩",
        "数量须为 1 至 999",
    ]);
    pub const CartLineDescription: Key = Key([
        "Keep the text under 60 characters",
        "សូមសរសេរតិចជាង ៦០ តួអក្សរ",
        "说明请少于 60 个字符",
    ]);
    pub const CartSold: Key = Key(["Sold", "បានលក់", "已售"]);
    pub const CartYourOrder: Key = Key(["Your order", "ការបញ្ជាទិញរបស់អ្នក", "您的订单"]);
    /// `{rate}`: riel per dollar, e.g. "4,100"
    pub const CartAtShopRate: Key = Key([
        "Dollar prices at {rate} ៛ per $",
        "តម្លៃដុល្លារ គិតតាមអត្រាហាង {rate} ៛ ក្នុង ១ ដុល្លារ",
        "美元价格按本店汇率每 1 美元 {rate} ៛ 换算",
    ]);
    pub const FxAbout: Key = Key(["About, in Chinese yuan", "ប្រហែល ជាប្រាក់យ៉ន់ចិន", "约合人民币"]);
    pub const FxNbc: Key = Key(["NBC", "ធ.ជ.ក", "柬埔寨国家银行"]);
    pub const FxReference: Key = Key(["Reference rate", "អត្រាយោង", "参考汇率"]);
    pub const FxShops: Key = Key(["Shop's rate", "អត្រារបស់ហាង", "本店汇率"]);
    /// `{date}`: the date the rate's source states
    pub const FxRateOfNbc: Key = Key([
        "NBC rate of {date}",
        "អត្រា ធ.ជ.ក ថ្ងៃទី {date}",
        "柬埔寨国家银行 {date} 汇率",
    ]);
    /// `{date}`
    pub const FxRateOfShop: Key = Key([
        "the shop's rate of {date}",
        "អត្រារបស់ហាង ថ្ងៃទី {date}",
        "本店 {date} 汇率",
    ]);
    /// `{date}`
    pub const FxRateOfReference: Key = Key([
        "reference rate of {date}",
        "អត្រាយោង ថ្ងៃទី {date}",
        "{date} 参考汇率",
    ]);
    pub const FxMayBeOutdated: Key = Key(["may be outdated", "អាចមិនទាន់សម័យ", "可能已过时"]);
    pub const FxIssuerFees: Key = Key([
        "Estimate only: your card issuer's rate and fees may differ.",
        "គ្រាន់តែជាការប៉ាន់ស្មាន៖ អត្រា និងកម្រៃរបស់ធនាគារចេញកាតអ្នកអាចខុសគ្នា។",
        "仅供参考：发卡机构的汇率和手续费可能不同。",
    ]);
}
