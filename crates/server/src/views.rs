//! Mapping stored rows to the wire types of `protocol`.

use crate::api;
use crate::store::MerchantRow;

pub use crate::domain::charge::view as charge;
pub use crate::domain::payment::view as payment;

/// A merchant for the wire.
pub fn merchant(m: &MerchantRow) -> api::MerchantView {
    crate::profile::view(m)
}
