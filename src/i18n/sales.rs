//! Texts of the sales screens.

use super::Key;

// reason: as in the parent module, each key is named after its English text.
#[allow(missing_docs, non_upper_case_globals)]
// Prefixed `Sales` so they never meet the items' and cart's keys in this one `impl`.
impl Key {
    pub const SalesItemsSold: Key = Key(["Items sold", "មុខទំនិញដែលបានលក់", "已售商品"]);
    pub const SalesTopToday: Key =
        Key(["Today's top items", "មុខទំនិញលក់ដាច់ជាងគេថ្ងៃនេះ", "今日热销商品"]);
    pub const SalesByItem: Key = Key(["By item", "តាមមុខទំនិញ", "按商品"]);
    pub const SalesItem: Key = Key(["Item", "មុខទំនិញ", "商品"]);
    pub const SalesQty: Key = Key(["Qty", "ចំនួន", "数量"]);
    pub const SalesLinesCsv: Key = Key(["Lines (CSV)", "មុខទំនិញលក់ (CSV)", "商品明细 (CSV)"]);
    /// `{rate}` is replaced by the riel per dollar, e.g. "4,100".
    pub const SalesDollarRate: Key = Key([
        "Dollar prices at {rate} ៛ per $",
        "តម្លៃជាដុល្លារ គិតតាមអត្រា {rate} ៛ ក្នុង ១ ដុល្លារ",
        "美元价格按每 1 美元 {rate} ៛ 换算",
    ]);
}
