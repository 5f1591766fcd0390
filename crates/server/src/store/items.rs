//! The shop's items, the reference rates behind a yuan estimate, and what paid charges sold.

use super::{ChargeRow, Range, StoreResult};
pub use crate::domain::fx::{FxRow, FxState};
pub use crate::domain::item::ItemRow;

/// Most items a merchant may keep.
pub const MAX_ITEMS: usize = 1000;

/// Items, rates and sales.
#[async_trait::async_trait]
pub trait ItemStore: Send + Sync {
    /// A merchant's items (not deleted), in grid order.
    async fn items(&self, merchant_id: &str) -> StoreResult<Vec<ItemRow>>;
    /// Items of a merchant by id, deleted ones too (a charge names why it cannot sell them).
    async fn items_by_id(&self, merchant_id: &str, ids: &[String]) -> StoreResult<Vec<ItemRow>>;
    /// Inserts items and changes others in one transaction (an import, or one item);
    /// Conflict("items") when the merchant would hold more than `MAX_ITEMS`.
    async fn save_items(
        &self,
        merchant_id: &str,
        new: &[ItemRow],
        changed: &[ItemRow],
        now: i64,
    ) -> StoreResult<()>;
    /// Marks an item deleted; NotFound when there is none.
    async fn delete_item(&self, merchant_id: &str, item_id: &str, now: i64) -> StoreResult<()>;

    /// The merchant's rates.
    async fn fx_state(&self, merchant_id: &str) -> StoreResult<FxState>;
    /// Records fetched rates: each becomes the latest, and replaces every rate in use within
    /// 10% of it (the baseline is made from the first).
    async fn record_fx(&self, rows: &[FxRow]) -> StoreResult<()>;
    /// Sets (or with `None` removes) the merchant's own row for a currency.
    async fn set_merchant_fx(
        &self,
        merchant_id: &str,
        currency: khqr::Currency,
        row: Option<FxRow>,
    ) -> StoreResult<()>;

    /// Paid charges with a sale (lines), paid within the range, at a counter if given.
    async fn sold_charges(
        &self,
        merchant_id: &str,
        range: Range,
        terminal_id: Option<&str>,
    ) -> StoreResult<Vec<(ChargeRow, i64)>>;
}
